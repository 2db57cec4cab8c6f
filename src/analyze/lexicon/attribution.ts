/**
 * Attribution cues: verbs (and a few phrases) that introduce what someone said,
 * wrote or thinks. Each verb is listed as [base, 3rd person, past, -ing]; the
 * 3rd-person form is left empty where it is more often a noun in news text
 * ("reports", "claims", "notes", "states", "posts").
 */
const VERBS: [string, string, string, string][] = [
  ['say', 'says', 'said', 'saying'],
  ['tell', 'tells', 'told', 'telling'],
  ['add', 'adds', 'added', 'adding'],
  ['stress', 'stresses', 'stressed', 'stressing'],
  ['warn', 'warns', 'warned', 'warning'],
  ['emphasize', 'emphasizes', 'emphasized', 'emphasizing'],
  ['emphasise', 'emphasises', 'emphasised', 'emphasising'],
  ['argue', 'argues', 'argued', 'arguing'],
  ['insist', 'insists', 'insisted', 'insisting'],
  ['claim', '', 'claimed', 'claiming'],
  ['note', '', 'noted', 'noting'],
  ['write', 'writes', 'wrote', 'writing'],
  ['tweet', '', 'tweeted', 'tweeting'],
  ['post', '', 'posted', ''],
  ['announce', 'announces', 'announced', 'announcing'],
  ['confirm', 'confirms', 'confirmed', 'confirming'],
  ['deny', 'denies', 'denied', 'denying'],
  ['explain', 'explains', 'explained', 'explaining'],
  ['acknowledge', 'acknowledges', 'acknowledged', 'acknowledging'],
  ['admit', 'admits', 'admitted', 'admitting'],
  ['suggest', 'suggests', 'suggested', 'suggesting'],
  ['report', '', 'reported', ''],
  ['declare', 'declares', 'declared', 'declaring'],
  ['recall', 'recalls', 'recalled', 'recalling'],
  ['respond', 'responds', 'responded', 'responding'],
  ['reply', 'replies', 'replied', 'replying'],
  ['ask', 'asks', 'asked', ''],
  ['conclude', 'concludes', 'concluded', 'concluding'],
  ['state', '', 'stated', 'stating'],
  ['predict', 'predicts', 'predicted', 'predicting'],
  ['promise', 'promises', 'promised', 'promising'],
  ['complain', 'complains', 'complained', 'complaining'],
  ['contend', 'contends', 'contended', 'contending'],
  ['maintain', 'maintains', 'maintained', ''],
  ['observe', 'observes', 'observed', 'observing'],
  ['assert', 'asserts', 'asserted', 'asserting'],
  ['allege', 'alleges', 'alleged', 'alleging'],
  ['concede', 'concedes', 'conceded', 'conceding'],
  ['testify', 'testifies', 'testified', 'testifying'],
  ['remark', '', 'remarked', ''],
  ['continue', 'continues', 'continued', ''],
  ['exclaim', 'exclaims', 'exclaimed', ''],
  ['reiterate', 'reiterates', 'reiterated', 'reiterating'],
  ['caution', 'cautions', 'cautioned', 'cautioning'],
  ['believe', 'believes', 'believed', ''],
  ['think', 'thinks', 'thought', ''],
  ['agree', 'agrees', 'agreed', ''],
  ['estimate', 'estimates', 'estimated', ''],
  ['find', 'finds', 'found', ''],
  ['show', 'shows', 'showed', ''],
  ['joke', 'jokes', 'joked', 'joking'],
  ['boast', 'boasts', 'boasted', 'boasting'],
  ['vow', 'vows', 'vowed', 'vowing'],
  ['pledge', 'pledges', 'pledged', 'pledging'],
  ['insinuate', 'insinuates', 'insinuated', ''],
  ['charge', '', 'charged', ''],
  ['mention', 'mentions', 'mentioned', 'mentioning'],
  ['indicate', 'indicates', 'indicated', 'indicating'],
  ['reveal', 'reveals', 'revealed', 'revealing'],
  ['disclose', 'discloses', 'disclosed', ''],
  ['hope', 'hopes', 'hoped', ''],
  ['fear', 'fears', 'feared', ''],
  ['worry', 'worries', 'worried', ''],
  ['point out', 'points out', 'pointed out', 'pointing out'],
];

/** Verbs that introduce a direct quote only, never reported speech ("asked", "continued"). */
export const QUOTE_ONLY = new Set(['ask', 'continue', 'exclaim', 'joke', 'reply', 'respond']);
/** Verbs that take a recipient before their content ("told reporters that …"). */
export const TAKES_RECIPIENT = new Set(['tell']);
/** Verbs that need "that" before reported content to count (they have other senses). */
export const NEED_THAT = new Set(['find', 'show', 'hope', 'fear', 'worry', 'agree', 'estimate', 'mention', 'indicate', 'reveal', 'disclose', 'promise', 'predict', 'charge', 'confirm', 'deny', 'admit', 'acknowledge', 'believe', 'think', 'allege', 'report', 'warn', 'announce', 'remark', 'state', 'post', 'tweet', 'recall', 'maintain', 'observe', 'pledge', 'vow', 'boast', 'write', 'note', 'add']);

/** Lower-cased verb form → base form. */
export const CUE_FORMS = new Map<string, string>();
for (const forms of VERBS) for (const form of forms) if (form) CUE_FORMS.set(form, forms[0]);

/** One regular expression matching any cue form (longest first), with an optional auxiliary. */
export const CUE_RE = new RegExp(
  String.raw`\b(?:(?:has|have|had|will|would)\s+)?(` +
    [...CUE_FORMS.keys()].sort((a, b) => b.length - a.length).map((f) => f.replace(/ /g, '\\s+')).join('|') +
    String.raw`|according\s+to)\b`,
  'gi',
);

/** Adverbs allowed between a speaker and the cue ("Lavrov also said"). */
export const CUE_ADVERBS = new Set([
  'also', 'later', 'then', 'previously', 'recently', 'again', 'once', 'repeatedly', 'reportedly', 'publicly',
  'privately', 'further', 'subsequently', 'earlier', 'often', 'frequently', 'simply', 'bluntly', 'flatly', 'firmly',
  'never', 'always', 'had', 'has', 'have', 'separately', 'initially', 'first', 'finally',
]);

/** Personal pronouns that can be a speaker. */
export const PRONOUNS = new Set(['he', 'she', 'they', 'we', 'i', 'you', 'it']);

/** Words that end a speaker phrase when scanning left from a cue. */
export const CLAUSE_WORDS = new Set([
  'that', 'because', 'but', 'while', 'when', 'after', 'before', 'since', 'although', 'though', 'where', 'if',
  'whether', 'as', 'so', 'than', 'until', 'unless', 'once',
]);

/**
 * Web boilerplate recognised one line (or one paragraph) at a time: comment
 * prompts, share bars, newsletter prompts, related-content headings,
 * advertisement leftovers, copyright lines, photo credits, bylines, bare
 * dates, navigation crumbs. Used by the plain-text cleaner on every line and by
 * the HTML extractor on every paragraph of the main text. Every rule is a
 * pattern of how sites label these things, bounded by a word count so that a
 * sentence of the article that happens to start the same way survives.
 */

export type BoilerplateKind =
  | 'comments' | 'share' | 'signup' | 'related' | 'related-heading' | 'advertisement' | 'copyright'
  | 'caption' | 'byline' | 'date' | 'navigation' | 'link';

const COMMENT_PROMPT = /^(?:(?:leave|post|add|write|submit|view|show|load|read|see|hide) (?:a |an |the |your |new |all )?(?:reply|comments?|responses?|replies|discussion)\b|(?:no|\d+|one) (?:comments?|responses?|replies)(?: yet)?\b|be the first to (?:comment|reply)\b|comments? (?:are|is) (?:closed|moderated|disabled)\b|(?:click|tap) here to (?:comment|reply)\b|start the discussion\b|tell us what you think\b|have your say\b|cancel reply\b|your email address will not be published\b|you must be logged in to post a comment\b|required fields are marked\b|(?:comments?|responses?|replies|discussion|join the (?:conversation|discussion)|what do you think)[\s:!?.…()\d]*$)/i;

const SHARE = /^(?:share(?: this)?(?: article| story| post| page| on [\w+ ]+| via [\w ]+)?|tweet(?: this)?|pin(?: it)?|e-?mail(?: this)?(?: article| story)?|print(?: this)?(?: article| page| story)?|copy(?: the)? link|link copied|whatsapp|facebook|twitter|linkedin|reddit|messenger|flipboard|telegram|follow us(?: on [\w ,&]+)?|share(?:s)?)$/i;
/** Labels of share buttons; a line made only of these is a share bar ("Whatsapp Facebook Pin Email"). */
const SHARE_WORDS = new Set(['share', 'shares', 'tweet', 'facebook', 'twitter', 'x', 'whatsapp', 'pinterest', 'pin', 'pint', 'linkedin', 'reddit', 'email', 'e-mail', 'mail', 'print', 'telegram', 'messenger', 'flipboard', 'copy', 'link', 'comment', 'comments', 'save', 'baixar', 'compartilhar', 'partager', 'teilen', 'compartir', 'condividi', '']);
const SOCIAL_FOLLOW = /^(?:follow|like|find) (?:us|\w+(?: \w+){0,3}) on (?:twitter|facebook|instagram|x|youtube|linkedin|tiktok|threads|bluesky|google news)\b/i;

const SIGNUP = /^(?:sign up|sign-up|subscribe|register|get (?:our|the) [\w -]*(?:newsletter|alerts?|briefing)|join (?:our|the) [\w -]*(?:newsletter|mailing list|community)|want (?:more )?(?:stories|news|articles) like this|(?:click|tap) here to (?:subscribe|sign up|register|join|follow|read)|never miss (?:a|an|the)\b|get [\w\s]{1,40} delivered (?:to|through|straight to) your (?:inbox|letterbox|door)|don'?t miss (?:a|an|out)\b|stay (?:up to date|informed|on top)|newsletter\b|to access more\b.*\b(?:sign up|subscribe|register)\b|(?:already (?:a )?subscriber|log ?in|sign ?in)\b)/i;
const SIGNUP_ANYWHERE = /\b(?:sign up for (?:our|the|a) |subscribe to (?:our|the) |(?:sign|log) in to (?:continue|read|comment)|newsletters?\b.*\b(?:sign up|subscribe|inbox)|(?:sign up|subscribe)\b.*\bnewsletters?\b|every (?:day|week|morning) we send)/i;

/** Headings that open a block of links to other content (which runs to the end of its block). */
const RELATED_HEADING = /^(?:recommended(?: for you| news| stories| articles| reading| videos?)?|related(?: articles?| stories| news| posts?| coverage| content| topics| links| videos?| reading)?|read (?:more|next|also)|also read|see also|more (?:from|on|in|stories|news|articles|like this|to read|to explore|videos?)\b.{0,40}|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|trending(?: now| stories| news)?|most (?:popular|read|viewed|shared|watched)|popular(?: now| posts| stories| articles)?|(?:the )?latest(?: news| stories| posts| articles| headlines)?|top (?:stories|news|headlines)|editor'?s? picks?|what to read next|more to explore|don'?t miss|in case you missed it|recent (?:posts|articles|stories|news)|other (?:news|stories)|also on [\w.-]+|around the web|from the web|promoted (?:stories|content)|sponsored (?:stories|links|content)|more headlines|further reading|next (?:article|story|post)|previous (?:article|story|post))[\s:!.…]*$/i;
/** A single line pointing to another article: "Read more: …", "Related: …", "On example.com: …", "[Related: …]". */
const RELATED_LINE = /^[[(]?\s*(?:read (?:more|also|next)|related(?: article| story| coverage)?|also read|see also|more|watch|listen|recommended|also on [\w.-]+|on [\w-]+\.(?:com|org|net|co\.uk)|click here|read the full (?:story|article))\s*:/i;

const ADVERTISEMENT = /^[-–—_·*|\s]*(?:advertisement|advertising|advert|ad|ads|sponsored(?: content| post| links?)?|paid (?:content|post)|promoted|anzeige|werbung|publicidad|publicité|pubblicità|reklama|iklan|advertentie|story continues (?:below|after)(?: (?:this )?(?:advertisement|ad))?|continue reading (?:below|the main story|after (?:the )?(?:ad|advertisement))|article continues (?:below|after)(?: (?:this )?(?:advertisement|ad))?|scroll (?:down )?to continue(?: reading)?|content continues below)(?:[-–—_·*|\s]|spot_img|spot_im)*$/i;

const COPYRIGHT_START = /^(?:copyright\b|©|\(c\)\s*\d{4}|ⓒ|all rights reserved)/i;
const COPYRIGHT_ANYWHERE = /\ball rights reserved\b|\bmay not be (?:published|reproduced|broadcast|rewritten|redistributed)\b|無断転載|무단전재|版权所有/i;

const CAPTION_START = /^(?:photos?|images?|pictures?|pictured|illustration|graphic|videos?|foto|fotos|credit|credits|photograph|photo credit|image credit|image copyright|image caption|media caption|file photo|caption|source image|(?:top|lead|main|header) image)\s*(?::|by\b|credit\b|copyright\b|caption\b|courtesy\b|©|\/|$)/i;
/** Agency or picture-desk credits at the end of a caption: "…/Getty Images", "(AP Photo/Jane Doe)", "Credit: EPA". */
const CAPTION_CREDIT = /(?:\/\s*(?:getty(?: images)?|afp|ap|reuters|epa|shutterstock|alamy|istock(?:photo)?|rex|bloomberg|sipa|zuma(?: press)?|anadolu)(?: via getty(?: images)?)?\s*\)?\s*$|\((?:ap|afp|reuters|epa|getty)?\s*(?:photo|images?|foto)s?\b[^)]*\)\s*$|\bcredit:\s*[^.]{0,80}$|\bphoto(?:graph)?(?: by)?:\s*[^.]{0,80}$|\b(?:via|by) getty images\s*$|\bgetty images\s*$)/i;

const BYLINE = /^(?:by|written by|posted by|story by|words by|text by|reporting by|report by|von|par|por|di|door|av)\s+\p{Lu}[\p{L}.'’-]*(?:[\s,]+(?:and\s+|&\s+|y\s+|und\s+|et\s+|e\s+)?\p{Lu}[\p{L}.'’-]*){0,8}(?:\s*[,|–—-]\s*.{0,60})?$/u;
const AUTHOR_LABEL = /^(?:author|authors|by|posted by|written by|editor|editors|reporter|contributor|contributors|about the author|view author archive|e-?mail the author|more from (?:this )?author|view all posts by .{1,40}|all posts by .{1,40}|see all articles by .{1,40})[:.]?$/i;

/** Notices that a widget needs scripts ("This slideshow requires JavaScript."). */
const NO_SCRIPT = /\b(?:requires? javascript|enable javascript|javascript (?:is )?(?:disabled|required)|turn on javascript|browser (?:does not|doesn'?t) support)\b/i;
const NAVIGATION = /^(?:skip to (?:main )?(?:content|navigation|main)|(?:sign|log) ?(?:in|out|up)|menu|search|close|open|back to top|home|next|previous|prev|loading(?: content)?\s*(?:\.\.\.|…)?|(?:filed|posted) (?:under|in):?.*|tags?:.*|topics?:.*|categor(?:y|ies):.*|keywords?:.*|(?:image|photo) \d+ of \d+|\d+ of \d+|show more|show less|expand|collapse|listen to (?:this )?article|(?:\d+ )?min(?:ute)?s? read|reading time:.*|print this page|jump to)[\s.:…]*$/i;
/** "Home › News › World": three or more short parts between › » > separators, no sentence punctuation. */
function isBreadcrumb(text: string): boolean {
  if (/[.!?]$/.test(text)) return false;
  const parts = text.split(/\s*[›»>]\s*/);
  return parts.length >= 3 && parts.every((part) => part.length <= 60);
}

const MONTHS = 'jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|october|nov|november|dec|december|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|januar|februar|märz|juni|juli|oktober|dezember|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|maret|mei|juni|agustus|desember';
const DATE_WORDS = new Set([
  ...MONTHS.split('|'),
  'mon', 'monday', 'tue', 'tues', 'tuesday', 'wed', 'wednesday', 'thu', 'thur', 'thurs', 'thursday', 'fri', 'friday', 'sat', 'saturday', 'sun', 'sunday',
  'segunda', 'terça', 'quarta', 'quinta', 'sexta', 'feira', 'sábado', 'domingo', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche',
  'am', 'pm', 'a', 'p', 'm', 'gmt', 'utc', 'est', 'edt', 'cst', 'cdt', 'mst', 'mdt', 'pst', 'pdt', 'bst', 'cet', 'cest', 'ist', 'jst', 'et', 'pt', 'ct', 'mt', 'wib',
  'published', 'updated', 'posted', 'modified', 'last', 'first', 'date', 'on', 'at', 'de', 'às', 'of', 'the', 'le', 'el', 'à', 'um', 'am', 'publié', 'mis', 'à', 'jour', 'publicado', 'actualizado', 'atualizado', 'em', 'pubblicato', 'aggiornato', 'veröffentlicht', 'aktualisiert',
  'ago', 'hour', 'hours', 'minute', 'minutes', 'min', 'mins', 'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years', 'yesterday', 'today', 'just', 'now', 'and', 'hrs', 'h',
]);

const MONTH_OR_DAY = new Set([...MONTHS.split('|'), 'mon', 'monday', 'tue', 'tues', 'tuesday', 'wed', 'wednesday', 'thu', 'thur', 'thurs', 'thursday', 'fri', 'friday', 'sat', 'saturday', 'sun', 'sunday', 'segunda', 'terça', 'quarta', 'quinta', 'sexta', 'sábado', 'domingo', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche']);

/** True for a line that is only a date or time, maybe with "Published"/"Updated" and a time zone. */
export function isDateLine(line: string): boolean {
  if (line.length > 90) return false;
  const numeric = /\d{1,2}:\d{2}|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}/.test(line);
  const words = line.toLowerCase().split(/[\s,|/.:()·•–—-]+/).filter(Boolean);
  if (words.length === 0) return false;
  let numbers = 0;
  let calendar = 0;
  let label = 0;
  for (const word of words) {
    if (/^\d{1,4}(?:st|nd|rd|th|h|e|º|°)?$/.test(word) || /^\d{1,2}(?:am|pm)$/.test(word)) { numbers++; continue; }
    if (!DATE_WORDS.has(word)) return false;
    if (MONTH_OR_DAY.has(word)) calendar++;
    else if (/^(?:published|updated|posted|modified|ago|yesterday|today)$/.test(word)) label++;
  }
  if (numbers > 0) return numeric || calendar > 0 || label > 0;
  return calendar > 0 && words.length <= 3;
}

function wordCount(line: string): number {
  let n = 0;
  for (const _ of line.matchAll(/[\p{L}\p{N}]+/gu)) n++;
  return n;
}

/**
 * What kind of boilerplate a line is, or null when it may be article text.
 */
export function classifyLine(line: string): BoilerplateKind | null {
  const text = line.trim();
  if (!text) return null;
  const words = wordCount(text);
  if (words === 0) return /^[\s\p{P}\p{S}]+$/u.test(text) && text.length < 10 ? 'navigation' : null;
  if (words <= 12 && COMMENT_PROMPT.test(text)) return 'comments';
  if (words <= 7 && (SHARE.test(text) || /^share\b.*[:!]?$/i.test(text) && !/[.!?]$/.test(text) && words <= 4)) return 'share';
  if (words <= 25 && SOCIAL_FOLLOW.test(text)) return 'share';
  if (words <= 8 && text.split(/[\s|•·/,]+/).every((w) => SHARE_WORDS.has(w.toLowerCase()))) return 'share';
  if (words <= 8 && ADVERTISEMENT.test(text)) return 'advertisement';
  if (/spot_im(?:g)?\b/.test(text) && words <= 8) return 'advertisement';
  if (words <= 8 && RELATED_HEADING.test(text)) return 'related-heading';
  if (words <= 30 && RELATED_LINE.test(text)) return 'related';
  if (words <= 30 && SIGNUP.test(text) && !/^(?:register|subscribe)\w* (?:to|for|with) (?:vote|the (?:draft|military))/i.test(text) && (words <= 6 || SIGNUP_ANYWHERE.test(text) || /^(?:sign up|subscribe|newsletter|want more)/i.test(text))) return 'signup';
  if (words <= 40 && SIGNUP_ANYWHERE.test(text) && /\b(?:newsletters?|inbox|sign up|subscribe)\b/i.test(text) && !/["“”]/.test(text)) return 'signup';
  if (words <= 40 && (COPYRIGHT_START.test(text) || COPYRIGHT_ANYWHERE.test(text))) return 'copyright';
  if (words <= 25 && CAPTION_START.test(text)) return 'caption';
  if (words <= 30 && CAPTION_CREDIT.test(text)) return 'caption';
  if (words <= 8 && AUTHOR_LABEL.test(text)) return 'byline';
  if (words <= 12 && BYLINE.test(text.replace(/^\p{Lu}/u, (c) => c.toLowerCase())) && !/[.!?]$/.test(text.replace(/\b\p{Lu}\.$/u, ''))) return 'byline';
  if (words <= 14 && isDateLine(text)) return 'date';
  if (/^(?:published|updated|posted|last updated|first published|modified)(?: on| at)?\s*:?\s*\S/i.test(text) && words <= 14 && /\d/.test(text)) return 'date';
  if (words <= 12 && NAVIGATION.test(text)) return 'navigation';
  if (words <= 30 && /[›»>]/.test(text) && isBreadcrumb(text)) return 'navigation';
  if (/^(?:https?:\/\/|www\.)\S+$/i.test(text)) return 'link';
  if (words <= 12 && NO_SCRIPT.test(text)) return 'navigation';
  // Unrendered shortcodes of blog platforms: "[button link=…]Send us your review[/button]".
  if (/^\[(\w+)\b[^\]]*\].*\[\/\1\]$/.test(text) || /^\[\/?\w+(?:\s[^\]]*)?\]$/.test(text)) return 'navigation';
  return null;
}

/** A person's name: capitalised words, with the lower-case particles of many names ("Ursula von der Leyen"). */
const NAME = /^[\p{Lu}][\p{L}'’.-]*(?:\s(?:[\p{Lu}][\p{L}'’.-]*|de|la|le|van|der|den|von|da|di|del|della|dos|das|du|bin|al|el|ibn|y)){0,5}$/u;

/** Authors named by a byline line ("By Jane Doe and John Roe, Reuters"), or an empty list. */
export function bylineAuthors(line: string): string[] {
  const m = /^(?:by|written by|posted by|story by|words by|text by|von|par|por|di|door|av)\s+(.+)$/iu.exec(line.trim());
  if (!m) return [];
  return splitAuthors(m[1]!);
}

/** Splits "Jane Doe and John Roe, Reuters" / "Jane Doe, John Roe" into names, dropping roles and outlets after a dash or pipe. */
export function splitAuthors(value: string): string[] {
  const head = value.split(/\s+[|–—]\s+|\s+-\s+/)[0]!;
  const parts = head.split(/\s*(?:,|;|\band\b|&|\bund\b|\bet\b|\by\b)\s*/u).map((s) => s.trim()).filter(Boolean);
  const names: string[] = [];
  for (const part of parts) {
    const clean = part.replace(/^(?:by|and)\s+/i, '').replace(/[.\s]+$/, '').trim();
    if (!clean || /\d/.test(clean) || /^(?:staff|correspondent|reporter|editor|writer|contributor|senior|special|associate|chief|correspondents|news|wire|desk|agencies|updated|published)\b/i.test(clean)) continue;
    if (clean.length <= 60 && NAME.test(clean)) names.push(clean);
  }
  return names;
}

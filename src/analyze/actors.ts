/**
 * Actors: entity mentions grouped into the people, organisations and places
 * of one article, with their roles, name variants and identity keys, and the
 * later mentions that are not names ("he", "the secretary") resolved to them.
 *
 * Everything here is rules over tokens (ner/tokenize.ts) and the mentions the
 * tagger found; the rules are deliberately conservative: a reference that is
 * not clear stays unresolved rather than guessed.
 */
import type { Span } from '../types.js';
import type { Actor, EntityMention, EntityType, Reference, Role, Sentence } from './types.js';
import { capitals, demonyms, isDemonym } from './ner/lexicon.js';
import { sentenceTokens as tokeniseSentences, type Token } from './ner/tokenize.js';
import { firstWhere } from '../sorted.js';
import { groupBy } from '../collections.js';

// ---------------------------------------------------------------- identity keys

/** Spellings of one country or body, after `normalise`, to its key. */
const countryAliases = new Map<string, string>(Object.entries({
  us: 'united states', usa: 'united states', 'united states': 'united states', 'united states of america': 'united states',
  america: 'united states', 'the united states': 'united states', 'the us': 'united states',
  uk: 'united kingdom', britain: 'united kingdom', 'great britain': 'united kingdom', 'united kingdom': 'united kingdom',
  'russian federation': 'russia', ukraine: 'ukraine', 'the ukraine': 'ukraine', kiev: 'kyiv', kyiv: 'kyiv',
  prc: 'china', "people's republic of china": 'china', eu: 'european union', 'european union': 'european union',
  un: 'united nations', 'united nations': 'united nations', uae: 'united arab emirates', ksa: 'saudi arabia',
  turkiye: 'turkey', 'the netherlands': 'netherlands', holland: 'netherlands', 'the kremlin': 'kremlin',
  'the white house': 'white house', 'the pentagon': 'pentagon',
}));

/** Display names for keys whose longest written form may not be the usual one. */
const keyDisplay = new Map<string, string>([
  ['united states', 'United States'], ['united kingdom', 'United Kingdom'], ['russia', 'Russia'],
  ['ukraine', 'Ukraine'], ['china', 'China'], ['european union', 'European Union'], ['united nations', 'United Nations'],
]);

/** Lower case, no diacritics, no periods, straight apostrophes, single spaces, no possessive. */
function normalise(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'").replace(/'s$/, '').replace(/\./g, '')
    .replace(/[\u2010-\u2015-]/g, '-').replace(/[^\p{L}\p{N}' -]/gu, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * One transliteration for names from Cyrillic and similar scripts: Zelenskyy /
 * Zelenskiy / Zelensky -> zelensky, Sergei / Sergey -> sergey, Dmitri / Dmitry ->
 * dmitry, Yuri / Yury -> yury. Applied to person names only.
 */
function transliterationKey(word: string): string {
  return word
    .replace(/(?:iy|yy|ii|yi)$/, 'y')
    .replace(/ei$/, 'ey')
    .replace(/([^aeiouy])i$/, '$1y');
}

/**
 * A normalised identity key that is the same across outlets for spelling
 * variants of one name: diacritics stripped, U.S./US/USA/United States/America
 * -> `united states`, transliteration variants of person names unified.
 * (Capitals used for their government, and surnames alone, are keyed by
 * `resolveActors`, which sees the context.)
 */
export function actorKey(name: string, type: EntityType): string {
  let key = normalise(name);
  if (type !== 'PER') {
    const alias = countryAliases.get(key) ?? countryAliases.get(key.replace(/^the /, ''));
    if (alias) return alias;
    if (isDemonym(key)) return normalise(demonyms.get(key) ?? key);
    return key.replace(/^the /, '');
  }
  key = key.split(' ').map(transliterationKey).join(' ');
  return key;
}

// ---------------------------------------------------------------- roles

/** Words that can head a role: "envoy", "Secretary", "advisor". */
const roleHeads = new Set([
  'president', 'secretary', 'minister', 'envoy', 'adviser', 'advisor', 'ambassador', 'spokesman',
  'spokeswoman', 'spokesperson', 'chancellor', 'leader', 'director', 'chairman', 'chairwoman', 'chair',
  'governor', 'senator', 'general', 'negotiator', 'official', 'king', 'queen', 'prince', 'premier',
  'mayor', 'commander', 'chief', 'head', 'aide', 'representative', 'counsellor', 'counselor', 'diplomat',
  'ceo', 'founder', 'editor', 'correspondent', 'analyst', 'professor', 'lawmaker', 'congressman',
  'congresswoman', 'speaker', 'judge', 'prosecutor', 'attorney', 'commissioner', 'coordinator',
  'emissary', 'mediator', 'president-elect', 'vice-president', 'sheikh', 'emir', 'monarch', 'pope',
  'strategist', 'deputy', 'executive', 'officer', 'czar', 'tsar', 'aide-de-camp', 'dictator',
]);

/** Words that can modify a role head: "foreign", "national security", "Vice". */
const roleModifiers = new Set([
  'vice', 'prime', 'foreign', 'defense', 'defence', 'state', 'national', 'security', 'economic', 'special',
  'deputy', 'chief', 'senior', 'top', 'former', 'acting', 'interim', 'policy', 'affairs', 'interior',
  'finance', 'treasury', 'trade', 'commerce', 'energy', 'health', 'justice', 'intelligence', 'military',
  'presidential', 'press', 'executive', 'first', 'assistant', 'associate', 'lead', 'principal',
  'permanent', 'international', 'climate', 'longtime', 'veteran', 'key', 'close', 'then', 'outgoing',
  'incoming', 'investment', 'kremlin', 'white', 'house', 'cabinet', 'general', 'sovereign', 'wealth',
  'fund', 'minority', 'majority', 'party', 'opposition', 'government', 'defence', 'peace', 'russia',
  'ukraine', 'middle', 'east', 'de', 'facto',
]);

/** Leading words dropped from a stated role ("a top foreign policy advisor" -> "foreign policy advisor"). */
const roleIntensifiers = new Set(['top', 'longtime', 'veteran', 'key', 'close', 'then', 'influential', 'powerful', 'new', 'current']);

const determiners = new Set(['a', 'an', 'the']);

function isRoleWord(word: string): boolean {
  const lower = word.toLowerCase();
  return roleHeads.has(lower) || roleModifiers.has(lower);
}

// ---------------------------------------------------------------- government use of capitals

/** Verbs whose subject is an actor, not a place ("Moscow rejected …"). */
const politicalVerbs = new Set([
  'said', 'says', 'say', 'wants', 'want', 'wanted', 'demanded', 'demands', 'insists', 'insisted', 'rejected',
  'rejects', 'accused', 'accuses', 'warned', 'warns', 'agreed', 'agrees', 'refused', 'refuses', 'denied',
  'denies', 'announced', 'announces', 'threatened', 'threatens', 'hopes', 'hoped', 'believes', 'claims',
  'claimed', 'welcomed', 'welcomes', 'condemned', 'condemns', 'urged', 'urges', 'called', 'calls', 'sees',
  'seeks', 'sought', 'imposed', 'imposes', 'sanctioned', 'signaled', 'signalled', 'signals', 'offered',
  'offers', 'proposed', 'proposes', 'pushed', 'pushes', 'pressed', 'presses', 'responded', 'responds',
  'retaliated', 'expelled', 'recognised', 'recognized', 'backed', 'backs', 'supports', 'supported',
  'opposes', 'opposed', 'considers', 'argued', 'argues', 'maintains', 'sent', 'sends', 'approved',
  'blamed', 'blames', 'accept', 'accepts', 'accepted', 'rejects', 'insist', 'vowed', 'vows', 'pledged', 'pledges', 'needs', 'negotiated', 'struck', 'launched',
]);
const auxiliaries = new Set(['has', 'had', 'have', 'will', 'would', 'is', 'was', 'could', 'may', 'might', 'must', 'should', 'also', 'has been', 'did', 'does', 'not', 'never']);
/** Nouns after a capital's possessive that make it the government ("Moscow's demands"). */
const governmentNouns = new Set([
  'position', 'positions', 'stance', 'demand', 'demands', 'policy', 'policies', 'government', 'offensive',
  'negotiators', 'delegation', 'envoy', 'allies', 'support', 'aid', 'officials', 'proposal', 'plan',
  'approach', 'relations', 'war', 'invasion', 'forces', 'troops', 'sanctions', 'response', 'leadership',
  'terms', 'conditions', 'claims', 'interests', 'strategy', 'decision', 'refusal', 'backing', 'diplomats',
]);

/**
 * Whether a capital's mention at `tokens[first..last]` names its government:
 *   - it is the subject of a political verb, possibly after auxiliaries
 *     ("Washington has demanded", "Moscow rejected");
 *   - its possessive heads a government noun ("Moscow's demands");
 *   - it stands next to another capital in "between X and Y" / "X and Y agreed".
 * Otherwise it stays a place ("talks in Riyadh", "flew to Moscow").
 */
function governmentUse(tokens: Token[], first: number, last: number, isCapital: (i: number) => boolean): boolean {
  const lower = (i: number): string => tokens[i]?.text.toLowerCase().replace('\u2019', "'") ?? '';
  let next = last + 1;
  if (lower(next) === "'s") return governmentNouns.has(lower(next + 1)) || governmentNouns.has(lower(next + 2));
  if (lower(next) === 'and' && isCapital(next + 1)) next += 2;
  while (auxiliaries.has(lower(next)) && next < last + 5) next += 1;
  if (politicalVerbs.has(lower(next))) return true;
  if (lower(first - 1) === 'between' && lower(last + 1) === 'and' && isCapital(last + 2)) return true;
  return lower(first - 1) === 'and' && lower(first - 3) === 'between' && isCapital(first - 2);
}

// ---------------------------------------------------------------- resolution

interface Located {
  mention: EntityMention;
  sentence: number;
  /** Token range `[first, last]` of the mention inside its sentence's tokens. */
  first: number;
  last: number;
  name: string;
  key: string;
}

const personalPronouns = new Set(['he', 'him', 'his', 'she', 'her', 'hers']);

/** Surface name of a mention: its text without a trailing possessive. */
function surface(text: string, span: Span): string {
  return text.slice(span[0], span[1]).replace(/['\u2019]s$/, '').trim();
}

/**
 * Groups `mentions` into article-local actors (`p1`, `o1`, `l1` in order of
 * first appearance), sets each mention's `actor`, states roles found around
 * names, and resolves "he"/"she"/"the secretary" references. `entities` is a
 * copy of `mentions` with `actor` set; the input is not modified.
 * `sentenceTokens` is `sentenceTokens(text, sentences)` (ner/tokenize.ts),
 * passed in when the caller already has it.
 */
export function resolveActors(
  text: string, sentences: Sentence[], mentions: EntityMention[], sentenceTokens: Token[][] = tokeniseSentences(text, sentences),
): { actors: Actor[]; entities: EntityMention[]; references: Reference[]; pronouns: Map<string, 'he' | 'she'> } {
  const entities = mentions.map((m) => ({ ...m, span: [m.span[0], m.span[1]] as Span }));

  // Place every mention on its sentence's tokens.
  const located: Located[] = [];
  let cursor = 0;
  const ordered = [...entities].sort((a, b) => a.span[0] - b.span[0]);
  // Names repeat within an article: each name's key is worked out once per type.
  const keys: Record<EntityType, Map<string, string>> = { PER: new Map(), ORG: new Map(), LOC: new Map() };
  for (const mention of ordered) {
    while (cursor < sentences.length && sentences[cursor]!.span[1] <= mention.span[0]) cursor += 1;
    if (cursor >= sentences.length) break;
    const tokens = sentenceTokens[cursor]!;
    // A binary search: one sentence of a page may hold thousands of names.
    const found = firstWhere(tokens.length, (i) => tokens[i]!.span[1] > mention.span[0]);
    const first = found < tokens.length ? found : -1;
    let last = first;
    while (last + 1 < tokens.length && tokens[last + 1]!.span[0] < mention.span[1]) last += 1;
    if (first < 0 || tokens[first]!.span[0] >= mention.span[1]) continue;
    const name = surface(text, mention.span);
    if (!name) continue;
    let key = keys[mention.type].get(name);
    if (key === undefined) keys[mention.type].set(name, (key = actorKey(name, mention.type)));
    located.push({ mention, sentence: cursor, first, last, name, key });
  }

  // Capitals used for their government take the country's key.
  for (const entry of located) {
    if (entry.mention.type === 'PER') continue;
    const country = capitals.get(entry.key);
    if (!country) continue;
    const tokens = sentenceTokens[entry.sentence]!;
    const isCapital = (i: number): boolean => capitals.has(actorKey(tokens[i]?.text ?? '', 'LOC'));
    if (governmentUse(tokens, entry.first, entry.last, isCapital)) entry.key = country;
  }

  // A surname alone takes the key of a full name with that surname (the nearest before it, else the first after).
  // Full names by their last word, in text order.
  const fullNames = groupBy(located.filter((e) => e.mention.type === 'PER' && e.key.includes(' ')), (e) => e.key.slice(e.key.lastIndexOf(' ') + 1));
  for (const entry of located) {
    if (entry.mention.type !== 'PER' || entry.key.includes(' ')) continue;
    const matches = fullNames.get(entry.key) ?? [];
    if (matches.length === 0) continue;
    const before = matches.filter((f) => f.mention.span[0] < entry.mention.span[0]);
    entry.key = (before[before.length - 1] ?? matches[0]!).key;
  }

  // One actor per key, numbered by type in order of first appearance.
  const actorsByKey = new Map<string, Actor>();
  const counters: Record<EntityType, number> = { PER: 0, ORG: 0, LOC: 0 };
  const prefixes: Record<EntityType, string> = { PER: 'p', ORG: 'o', LOC: 'l' };
  const forms = new Map<string, Map<string, number>>();
  for (const entry of located) {
    let actor = actorsByKey.get(entry.key);
    if (!actor) {
      const type = entry.mention.type;
      counters[type] += 1;
      actor = { id: `${prefixes[type]}${counters[type]}`, name: entry.name, type, key: entry.key, aliases: [], roles: [] };
      actorsByKey.set(entry.key, actor);
      forms.set(entry.key, new Map());
    }
    entry.mention.actor = actor.id;
    const seen = forms.get(entry.key)!;
    seen.set(entry.name, (seen.get(entry.name) ?? 0) + 1);
  }
  for (const actor of actorsByKey.values()) {
    const seen = [...forms.get(actor.key)!.keys()];
    // Canonical name: the longest form (most words, then most characters); keyDisplay for known countries.
    const allCaps = (n: string): number => (/\p{Ll}/u.test(n) ? 0 : 1);
    const longest = [...seen].sort((a, b) => b.split(' ').length - a.split(' ').length || allCaps(a) - allCaps(b) || b.length - a.length)[0]!;
    actor.name = keyDisplay.get(actor.key) ?? longest;
    actor.aliases = seen.filter((n) => n !== actor.name);
  }
  const actorById = new Map([...actorsByKey.values()].map((a) => [a.id, a]));

  // Roles.
  const index = indexMentions(located, sentenceTokens);
  for (const entry of located) {
    if (entry.mention.type !== 'PER') continue;
    const actor = actorById.get(entry.mention.actor!)!;
    for (const role of rolesAround(text, sentenceTokens[entry.sentence]!, entry, index, actorById)) addRole(actor, role);
  }

  const titled = titledPronouns(located, sentenceTokens);
  const references = findReferences(text, sentences, sentenceTokens, index, actorById, titled);
  return { actors: [...actorsByKey.values()], entities, references, pronouns: titled };
}

/** The located mentions, in text order, and which one covers each token of each sentence. */
interface Mentions {
  list: Located[];
  /** `coverage[sentence][token]`: the first mention in `list` covering that token. */
  coverage: Array<Array<Located | undefined>>;
}

function indexMentions(list: Located[], sentenceTokens: Token[][]): Mentions {
  const coverage = sentenceTokens.map((tokens) => new Array<Located | undefined>(tokens.length));
  for (const entry of list) {
    const row = coverage[entry.sentence]!;
    for (let i = entry.first; i <= entry.last; i += 1) row[i] ??= entry;
  }
  return { list, coverage };
}

/** The mention (if any) that covers token `index` of sentence `sentence`. */
function mentionAt(mentions: Mentions, sentence: number, index: number): Located | undefined {
  return mentions.coverage[sentence]?.[index];
}

/** An affiliation as a plain name (countries, bodies) or an actor id (people). */
function affiliationOf(entry: Located, actorById: Map<string, Actor>): string {
  const actor = actorById.get(entry.mention.actor ?? '');
  if (!actor) return entry.name;
  return actor.type === 'PER' ? actor.id : actor.name;
}

/** Drops intensifiers at the start of a role; returns the index of the first kept token. */
function skipIntensifiers(tokens: Token[], start: number, end: number): number {
  let i = start;
  while (i < end && roleIntensifiers.has(tokens[i]!.text.toLowerCase())) i += 1;
  return i;
}

function hasHead(tokens: Token[], start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) if (roleHeads.has(tokens[i]!.text.toLowerCase())) return true;
  return false;
}

/**
 * The affiliation written just before token `index` (exclusive): a demonym
 * ("Russian"), a country or body ("U.S."), or a possessive ("Russia's").
 * Returns it with the token where it starts.
 */
function affiliationBefore(tokens: Token[], index: number, sentence: number, located: Mentions, actorById: Map<string, Actor>): { name: string; start: number } | null {
  const previous = tokens[index - 1];
  if (!previous) return null;
  if (/^['\u2019]s$/i.test(previous.text)) {
    const owner = mentionAt(located, sentence, index - 2);
    if (owner) return { name: affiliationOf(owner, actorById), start: owner.first };
    return null;
  }
  const demonym = demonyms.get(previous.text.toLowerCase());
  if (demonym && !mentionAt(located, sentence, index - 1)) return { name: demonym, start: index - 1 };
  const owner = mentionAt(located, sentence, index - 1);
  if (owner && owner.mention.type !== 'PER') return { name: affiliationOf(owner, actorById), start: owner.first };
  if (demonym) return { name: demonym, start: index - 1 };
  return null;
}

/** Walks back over role words (with "of" between them) from token `end` (exclusive). */
function roleWordsBefore(tokens: Token[], end: number): number {
  let i = end;
  while (i > 0) {
    const word = tokens[i - 1]!.text;
    if (isRoleWord(word) && !/^\p{Lu}\p{Lu}/u.test(word)) i -= 1;
    else if (word.toLowerCase() === 'of' && i < end && i - 2 >= 0 && isRoleWord(tokens[i - 2]!.text)) i -= 1;
    else break;
  }
  return i;
}

/** Words that put a title in the past or in transition: "former U.S. President Joe Biden". */
const timeQualifiers = new Set(['former', 'ex', 'then', 'outgoing', 'incoming', 'onetime', 'one-time', 'late']);

/**
 * A qualifier written before the affiliation ("former U.S. President") belongs
 * to the title: it is what tells a current office from a past one.
 */
function withTimeQualifier(text: string, tokens: Token[], role: Role, from: number): Role {
  const before = tokens[from - 1];
  if (!before || !timeQualifiers.has(before.text.toLowerCase()) || /^(former|ex|then|outgoing|incoming|late)\b/i.test(role.title)) return role;
  return { ...role, title: `${before.text.toLowerCase()} ${role.title}`, span: [before.span[0], role.span[1]] };
}

function makeRole(text: string, tokens: Token[], start: number, end: number, affiliation: string | null, spanStart: number, spanEnd: number): Role | null {
  const from = skipIntensifiers(tokens, start, end);
  if (from >= end || !hasHead(tokens, from, end)) return null;
  return { title: text.slice(tokens[from]!.span[0], tokens[end - 1]!.span[1]), affiliation, span: [tokens[spanStart]!.span[0], tokens[spanEnd - 1]!.span[1]] };
}

/**
 * Adds a role unless the actor holds it already. "President" said without whose is the same role as
 * "President (United States)" said elsewhere: the one with its affiliation stays, in place of a bare one.
 */
function addRole(actor: Actor, role: Role): void {
  const title = role.title.toLowerCase();
  const same = actor.roles.findIndex((r) => r.title.toLowerCase() === title && (r.affiliation === role.affiliation || !r.affiliation || !role.affiliation));
  if (same < 0) actor.roles.push(role);
  else if (!actor.roles[same]!.affiliation && role.affiliation) actor.roles[same] = role;
}

/**
 * Roles stated around one person mention:
 *   - a title right before the name: "U.S. Secretary of State Marco Rubio",
 *     "former President Donald Trump", "Ukrainian President Volodymyr Zelensky";
 *   - a possessive role before a comma: "Russia's economic envoy, Kirill Dmitriev";
 *   - an appositive after a comma: "Yuri Ushakov, a top foreign policy advisor to
 *     Russian President Vladimir Putin" (the affiliation after to/of/for).
 */
function rolesAround(text: string, tokens: Token[], entry: Located, located: Mentions, actorById: Map<string, Actor>): Role[] {
  const roles: Role[] = [];
  const { first, last, sentence } = entry;

  // Title right before the name.
  let start = roleWordsBefore(tokens, first);
  if (start < first) {
    const affiliation = affiliationBefore(tokens, start, sentence, located, actorById);
    const role = makeRole(text, tokens, start, first, affiliation?.name ?? null, affiliation?.start ?? start, first);
    if (role) roles.push(withTimeQualifier(text, tokens, role, affiliation?.start ?? start));
  }

  // "Russia's economic envoy, Kirill Dmitriev"
  if (tokens[first - 1]?.text === ',') {
    start = roleWordsBefore(tokens, first - 1);
    const affiliation = start < first - 1 ? affiliationBefore(tokens, start, sentence, located, actorById) : null;
    if (affiliation) {
      const role = makeRole(text, tokens, start, first - 1, affiliation.name, affiliation.start, first - 1);
      if (role) roles.push(role);
    }
  }

  // Appositive: "Name, a top foreign policy advisor to …" / "Name, Russia's foreign minister,"
  if (tokens[last + 1]?.text === ',') {
    let i = last + 2;
    const spanStart = i;
    if (determiners.has(tokens[i]?.text.toLowerCase() ?? '')) i += 1;
    let affiliation: string | null = null;
    const owner = mentionAt(located, sentence, i);
    if (owner && owner.mention.type !== 'PER') {
      const after = tokens[owner.last + 1]?.text ?? '';
      if (/^['\u2019]s$/i.test(after)) { affiliation = affiliationOf(owner, actorById); i = owner.last + 2; }
      else if (isRoleWord(after)) { affiliation = affiliationOf(owner, actorById); i = owner.last + 1; }
    } else if (demonyms.has(tokens[i]?.text.toLowerCase() ?? '')) {
      affiliation = demonyms.get(tokens[i]!.text.toLowerCase())!;
      i += 1;
    }
    const roleStart = i;
    while (i < tokens.length && (isRoleWord(tokens[i]!.text) || (tokens[i]!.text.toLowerCase() === 'of' && isRoleWord(tokens[i + 1]?.text ?? '') && !mentionAt(located, sentence, i + 1)))) i += 1;
    // The role ends on its last head word ("foreign policy advisor", not "advisor top").
    let roleEnd = i;
    while (roleEnd > roleStart && !roleHeads.has(tokens[roleEnd - 1]!.text.toLowerCase())) roleEnd -= 1;
    // "Rubio, US Middle East Envoy Steve Witkoff, and …": a title followed by a name is that name's, not an appositive.
    const titlesNextName = mentionAt(located, sentence, roleEnd)?.mention.type === 'PER';
    if (roleEnd > roleStart && !titlesNextName) {
      let spanEnd = roleEnd;
      const linker = tokens[roleEnd]?.text.toLowerCase();
      if (affiliation === null && (linker === 'to' || linker === 'of' || linker === 'for' || linker === 'at')) {
        // The next mention within a few tokens, past titles and demonyms: "to Russian President Vladimir Putin".
        const target = located.list.find((e) => e.sentence === sentence && e.first > roleEnd && e.first <= roleEnd + 6);
        if (target && tokens.slice(roleEnd + 1, target.first).every((t) => isRoleWord(t.text) || determiners.has(t.text.toLowerCase()) || isDemonym(t.text) || mentionAt(located, sentence, tokens.indexOf(t)))) {
          affiliation = affiliationOf(target, actorById);
          spanEnd = target.last + 1;
        }
      }
      const role = makeRole(text, tokens, roleStart, roleEnd, affiliation, spanStart, spanEnd);
      if (role) roles.push(role);
    }
  }
  return roles;
}

/** Per token of a sentence: whether the quote marks before it are odd, the token inside a quotation. */
function insideQuotes(tokens: Token[]): Uint8Array {
  const inside = new Uint8Array(tokens.length);
  let marks = 0;
  for (let i = 0; i < tokens.length; i += 1) {
    inside[i] = marks % 2;
    if (/^["\u201C\u201D]$/.test(tokens[i]!.text)) marks += 1;
  }
  return inside;
}

/**
 * Where a sentence's subject position ends: the first token that is not a title, determiner,
 * demonym, comma, possessive or part of a name. A person mention starting at or before it is the
 * sentence's subject.
 */
function subjectPositionEnd(tokens: Token[], sentence: number, located: Mentions): number {
  for (let i = 0; i < tokens.length; i += 1) {
    const word = tokens[i]!.text;
    if (isRoleWord(word) || determiners.has(word.toLowerCase()) || isDemonym(word) || word === ',' || /^['\u2019]s$/.test(word)) continue;
    if (mentionAt(located, sentence, i)) continue;
    return i;
  }
  return tokens.length;
}

/** Words before a name that say which pronoun stands for the person. */
const GENDERED_TITLES = new Map<string, 'he' | 'she'>([
  ['mr', 'he'], ['mrs', 'she'], ['ms', 'she'], ['miss', 'she'], ['madam', 'she'], ['sir', 'he'], ['lady', 'she'], ['lord', 'he'],
  ['congressman', 'he'], ['congresswoman', 'she'], ['chairman', 'he'], ['chairwoman', 'she'], ['spokesman', 'he'], ['spokeswoman', 'she'],
  ['businessman', 'he'], ['businesswoman', 'she'], ['king', 'he'], ['queen', 'she'], ['prince', 'he'], ['princess', 'she'],
]);

const GOVERNING_PREPOSITIONS = new Set(['to', 'with', 'from', 'for', 'against', 'at', 'about', 'on', 'by', 'of', 'toward', 'towards']);
/** Words opening a fronted prepositional phrase ("In a message to Rubio, …"); not "As for" or "After" a clause. */
const FRONTING_PREPOSITIONS = new Set(['In', 'At', 'During', 'On', 'From', 'With', 'Speaking', 'Asked']);

/** Whether the mention starting at token `first` is governed by a preposition ("a message to Rubio"); "according to" introduces a source, not an object. */
function isObjectOfPreposition(tokens: Token[], first: number): boolean {
  const before = tokens[first - 1]!.text.toLowerCase();
  return GOVERNING_PREPOSITIONS.has(before) && !(before === 'to' && tokens[first - 2]?.text.toLowerCase() === 'according');
}

/**
 * Which pronoun each person takes, as the text says it: an honorific or a gendered title before a name
 * ("Mrs. Clinton", "spokeswoman Hope Hicks"), the more frequent one when both occur ("Mr. Clinton" and
 * "Mrs. Clinton" both read as one Clinton: neither). Not the pronouns resolved so far: one wrong "he" for
 * a woman would then keep every later "she" from her.
 */
function titledPronouns(located: Located[], sentenceTokens: Token[][]): Map<string, 'he' | 'she'> {
  const counts = new Map<string, { he: number; she: number }>();
  for (const entry of located) {
    if (entry.mention.type !== 'PER' || !entry.mention.actor || entry.first === 0) continue;
    const pronoun = GENDERED_TITLES.get(sentenceTokens[entry.sentence]![entry.first - 1]!.text.toLowerCase().replace(/\.$/, ''));
    if (!pronoun) continue;
    const count = counts.get(entry.mention.actor) ?? { he: 0, she: 0 };
    count[pronoun] += 1;
    counts.set(entry.mention.actor, count);
  }
  const titled = new Map<string, 'he' | 'she'>();
  for (const [actor, { he, she }] of counts) if (he !== she) titled.set(actor, he > she ? 'he' : 'she');
  return titled;
}

/**
 * "the secretary" -> the most recent actor with a role headed by that word;
 * "he"/"she"/"his"/"her" -> the one person named in this sentence before the
 * pronoun or, failing that, in the previous sentence; when several people
 * are named, the one that is the subject (named first, before any verb), else
 * nothing. Pronouns inside quotation marks are left alone (they are often
 * the speaker's "he", about someone else).
 */
function findReferences(
  text: string, sentences: Sentence[], sentenceTokens: Token[][], located: Mentions, actorById: Map<string, Actor>, titled: Map<string, 'he' | 'she'>,
): Reference[] {
  const references: Reference[] = [];
  // Resolved people per sentence, in text order (mentions and references).
  const people: Array<Array<{ actor: string; start: number; subject: boolean; object?: boolean; quoted?: boolean }>> = sentences.map(() => []);
  // Where each sentence's subject position ends, worked out once per sentence that needs it.
  const subjectEnds = new Map<number, number>();
  const subjectEndOf = (sentence: number): number => {
    let end = subjectEnds.get(sentence);
    if (end === undefined) subjectEnds.set(sentence, (end = subjectPositionEnd(sentenceTokens[sentence]!, sentence, located)));
    return end;
  };
  const quotedTokens = new Map<number, Uint8Array>();
  for (const entry of located.list) {
    if (entry.mention.type !== 'PER' || !entry.mention.actor) continue;
    const subjectEnd = subjectEndOf(entry.sentence);
    const tokens = sentenceTokens[entry.sentence]!;
    const object = entry.first > 0 && isObjectOfPreposition(tokens, entry.first);
    let inside = quotedTokens.get(entry.sentence);
    if (!inside) quotedTokens.set(entry.sentence, (inside = insideQuotes(tokens)));
    people[entry.sentence]!.push({ actor: entry.mention.actor, start: entry.mention.span[0], subject: entry.first <= subjectEnd, object, quoted: inside[entry.first] === 1 });
  }
  const lastSeen = new Map<string, number>();

  sentenceTokens.forEach((tokens, s) => {
    const peopleHere = people[s]!;
    // The sentence's mentions are in text order: a pointer passes each once (references found below set lastSeen themselves).
    const mentionsHere = peopleHere.length;
    let seen = 0;
    let inside: Uint8Array | null = null;
    tokens.forEach((token, i) => {
      while (seen < mentionsHere && peopleHere[seen]!.start <= token.span[0]) {
        lastSeen.set(peopleHere[seen]!.actor, peopleHere[seen]!.start);
        seen += 1;
      }
      // Only "the" and the pronouns matter here, none longer than four letters.
      const lower = token.text.length <= 4 ? token.text.toLowerCase() : '';

      if (lower === 'the' && !mentionAt(located, s, i + 1)) {
        let j = i + 1;
        while (j < tokens.length && isRoleWord(tokens[j]!.text)) j += 1;
        const head = tokens[j - 1]?.text.toLowerCase() ?? '';
        const following = tokens[j]?.text ?? '';
        if (j === i + 1 || !roleHeads.has(head) || following.toLowerCase() === 'of' || /^\p{Lu}/u.test(following)) return;
        const headKey = head === 'adviser' ? 'advisor' : head;
        let best: { id: string; at: number } | null = null;
        for (const actor of actorById.values()) {
          if (actor.type !== 'PER') continue;
          const at = lastSeen.get(actor.id);
          if (at === undefined) continue;
          const holds = actor.roles.some((r) => {
            const words = r.title.toLowerCase().split(/\s+/);
            const last = words[words.length - 1] === 'adviser' ? 'advisor' : words[words.length - 1];
            return last === headKey || words[0] === headKey;
          });
          if (holds && (!best || at > best.at)) best = { id: actor.id, at };
        }
        if (best) {
          references.push({ span: [token.span[0], tokens[j - 1]!.span[1]], actor: best.id });
          lastSeen.set(best.id, token.span[0]);
        }
        return;
      }

      if (!personalPronouns.has(lower) || (inside ??= insideQuotes(tokens))[i]) return;
      // `In a message to Rubio, she cautioned`: the subject right after a fronted prepositional phrase is not the person a preposition in that phrase governs.
      const afterFrontedPhrase = (lower === 'he' || lower === 'she') && i >= 2 && tokens[i - 1]!.text === ',' && FRONTING_PREPOSITIONS.has(tokens[0]!.text);
      // `“If Donald Trump becomes president, I'll be stopped,” he said`: a person named inside a quote is not who the pronoun outside it is.
      // A person the text titles for the other pronoun is not this one ("Mrs. Clinton" for "he").
      const pronoun = lower === 'he' || lower === 'him' || lower === 'his' ? 'he' : 'she';
      const fits = (p: { actor: string }) => (titled.get(p.actor) ?? pronoun) === pronoun;
      const here = peopleHere.filter((p) => p.start < token.span[0] && !p.quoted && !(afterFrontedPhrase && p.object) && fits(p));
      const previous = s > 0 ? people[s - 1]!.filter((p) => !p.quoted && fits(p)) : [];
      const pool = here.length > 0 ? here : previous;
      const distinct = [...new Set(pool.map((p) => p.actor))];
      let actor: string | undefined;
      if (distinct.length === 1) actor = distinct[0];
      else if (distinct.length > 1) {
        const subjects = pool.filter((p) => p.subject);
        if (subjects.length > 0) actor = subjects[0]!.actor;
      }
      if (!actor) return;
      references.push({ span: [token.span[0], token.span[1]], actor });
      // A pronoun in the subject position stands for its sentence's subject (`He says Trump's call … bears blame, he told …`).
      peopleHere.push({ actor, start: token.span[0], subject: i <= subjectEndOf(s) });
      lastSeen.set(actor, token.span[0]);
    });
  });
  return references.sort((a, b) => a.span[0] - b.span[0]);
}

/**
 * People, organisations and places in an article: the trained tagger
 * (model.ts) over our tokeniser, then rules for what news writing does that
 * CoNLL-2003 did not teach the model — in this order:
 *   1. Title Case headlines are shown to the model in capitals (it learned
 *      capitals headlines from CoNLL, and reads their case from the body);
 *   2. titles before a name are cut from a PER span;
 *   3. institutions named after buildings ("Kremlin", "White House") are ORG;
 *   4. a demonym alone ("Russian", "Ukrainians") is not an entity, and a
 *      capital or country alone ("Kyiv") is a place even when the model said
 *      person or organisation (government use is decided in actors.ts);
 *   5. a dateline ("WASHINGTON (Reuters) -") gives a LOC and an ORG.
 */
import type { EntityMention, EntityType, Sentence } from '../types.js';
import { casingClass, entityTypes, isCapitalised, isCapsSentence } from './features.js';
import { closedClassWords, institutionNames, isDemonym, isGroupName, isKnownPlace, titleWords, usStates } from './lexicon.js';
import { modelFile } from '../models.js';
import { Tagger, tagSpans } from './model.js';
import { modelForm, sentenceTokens, type Token } from './tokenize.js';

export { sentenceTokens, tokenize, type Token } from './tokenize.js';
export { isDemonym, demonyms, titleWords, institutionNames } from './lexicon.js';

const modelUrl = modelFile('ner.json.gz');
let tagger: Tagger | null = null;

/** The tagger, loaded from models/ner.json.gz on first use. */
export function loadTagger(): Tagger {
  tagger ??= Tagger.load(modelUrl);
  return tagger;
}

const personBit = 1 << entityTypes.indexOf('PER');
const outputTypes = new Set<string>(['PER', 'ORG', 'LOC']);
const institutionFirstWords = new Set([...institutionNames].map((name) => name.split(' ')[0]!));
const functionWords = new Set(['a', 'an', 'the', 'and', 'or', 'of', 'in', 'on', 'at', 'to', 'for', 'with', 'by', 'from', 'as', 'is', 'are', 'after', 'over']);

/** True when a word starts with a letter (ASCII checked without a regular expression). */
function startsWithLetter(word: string): boolean {
  const code = word.charCodeAt(0);
  if (code < 128) return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return /^\p{L}/u.test(word);
}

/**
 * A headline in Title Case: nearly every word after the first capitalised,
 * including at least one short function word ("Rubio Meets Lavrov In Riyadh").
 */
function isTitleCase(words: string[]): boolean {
  let capitalised = 0;
  let alphabetic = 0;
  let capitalFunctionWord = false;
  for (let i = 1; i < words.length; i += 1) {
    const word = words[i]!;
    if (!startsWithLetter(word)) continue;
    alphabetic += 1;
    if (isCapitalised(word)) {
      capitalised += 1;
      if (functionWords.has(word.toLowerCase())) capitalFunctionWord = true;
    }
  }
  // 0.8: a hand-set share; ordinary sentences dense with names stay far below it.
  return alphabetic >= 3 && capitalised >= 0.8 * alphabetic && capitalFunctionWord;
}

// "WASHINGTON (Reuters) -", "KYIV, Ukraine (AP) —", "MOSCOW, Feb 18 (Reuters) -"
const datelinePattern = /^(\p{Lu}[\p{Lu}\p{M} .'-]*\p{Lu})(?:,\s*[\p{L}\p{M}.]+(?: [\p{L}\p{M}.]+)?)?(?:,? [\p{L}.]+ \d{1,2})?\s*\(([^()\n]{2,40})\)\s*[-\u2013\u2014]/u;

function datelineMentions(text: string, sentences: Sentence[]): EntityMention[] {
  const seen = new Set<number>();
  const out: EntityMention[] = [];
  for (const sentence of sentences) {
    if (seen.has(sentence.paragraph)) continue;
    seen.add(sentence.paragraph);
    const start = sentence.span[0];
    const match = datelinePattern.exec(text.slice(start, Math.min(sentence.span[1], start + 120)));
    if (!match) continue;
    const place = match[1]!;
    out.push({ span: [start, start + place.length], type: 'LOC', actor: null });
    const agencyStart = start + match[0].indexOf('(') + 1;
    const agency = match[2]!.trim();
    // "(AP)" and "(Reuters)" credit an agency; "(Photo)"-like words are lower case and skipped.
    if (/^\p{Lu}/u.test(agency)) out.push({ span: [agencyStart, agencyStart + agency.length], type: 'ORG', actor: null });
  }
  return out;
}

/**
 * Sentences whose first word is a first name the model left out of the
 * person after it ("Recep Tayyip Erdoğan said …" tagged O B-PER L-PER: at the
 * start of a sentence a capital says little, and an unfamiliar name looks
 * like any other first word). Such a sentence is tagged again behind a comma,
 * where the first word is read as it would be mid-sentence; when the person
 * then starts one word earlier and ends where it did, the word joins it.
 * Returns sentence index -> token index where the model's person starts.
 */
function lostFirstNames(model: Tagger, words: string[][], tagged: string[][]): Map<number, number> {
  // Words written in lower case anywhere in the document, gathered only when a sentence needs them (few do).
  let lowerWords: Set<string> | null = null;
  const writtenLower = (word: string): boolean => {
    if (!lowerWords) {
      lowerWords = new Set<string>();
      for (const sentence of words) for (const w of sentence) if (casingClass(w) === 'lower') lowerWords.add(w);
    }
    return lowerWords.has(word);
  };
  const candidates: Array<{ sentence: number; first: number; end: number }> = [];
  words.forEach((sentence, s) => {
    const first = sentence.findIndex(startsWithLetter);
    const tags = tagged[s]!;
    if (first < 0 || tags[first] !== 'O' || (tags[first + 1] !== 'B-PER' && tags[first + 1] !== 'U-PER')) return;
    const word = sentence[first]!;
    const lower = word.toLowerCase();
    if (casingClass(word) !== 'title' || titleWords.has(lower) || isDemonym(word) || closedClassWords.has(lower) || writtenLower(lower)) return;
    // "Ousted Tayyip Erdogan": a participle, unless the training names list it as a person ("Ahmed").
    if (lower.endsWith('ed') && !((model.gazetteer.names.get(lower) ?? 0) & personBit)) return;
    const span = tagSpans(tags).find((candidate) => candidate.start === first + 1)!;
    candidates.push({ sentence: s, first, end: span.end });
  });
  const found = new Map<number, number>();
  if (candidates.length === 0) return found;
  // The document context includes the altered sentences, so the first word's capital counts as a mid-sentence one.
  const altered = candidates.map(({ sentence, first }) => [',', ...words[sentence]!.slice(first)]);
  const retagged = model.tagDocument(altered, [...words, ...altered]);
  candidates.forEach(({ sentence, first, end }, k) => {
    const span = tagSpans(retagged[k]!).find((candidate) => candidate.start === 1);
    if (span?.type === 'PER' && span.end === end - first + 1) found.set(sentence, first + 1);
  });
  return found;
}

/**
 * Words that open a sentence but never a name: `Before Scalia said …` is not a person "Before Scalia".
 * The closed-class words without the modals and verbs that are also first names ("Will", "May").
 */
const notNameOpeners = new Set([...closedClassWords].filter((word) => !['will', 'may', 'can', 'might', 'must', 'shall', 'do', 'does', 'did', 'be', 'is', 'are', 'was', 'were', 'been', 'has', 'have', 'had', 'would', 'could', 'should', 'i', 'a', 'an'].includes(word)));

/** Moves the start of a PER span past leading title words and sentence openers; keeps at least one token. */
function trimTitle(tokens: Token[], first: number, last: number): number {
  let start = first;
  while (start < last && (titleWords.has(tokens[start]!.text.toLowerCase()) || isDemonym(tokens[start]!.text) || notNameOpeners.has(tokens[start]!.text.toLowerCase()))) start += 1;
  return start;
}

/** Words that end a title written before a name: "U.S. National Security Adviser Mike Waltz". */
const titleHeads = new Set([
  'president', 'secretary', 'minister', 'adviser', 'advisor', 'envoy', 'ambassador', 'spokesman', 'spokeswoman',
  'spokesperson', 'director', 'chairman', 'chairwoman', 'commissioner', 'governor', 'senator', 'chief', 'aide',
  'negotiator', 'official', 'chancellor', 'premier', 'leader', 'general', 'admiral', 'mayor',
]);
/** Short names of countries and bodies that title words list but that are places or organisations in their own right. */
const affiliationWords = new Set(['u.s.', 'us', 'un', 'u.n.', 'eu', 'nato', 'uk', 'u.k.']);

/**
 * A span the model tagged ORG or LOC that runs into a person's name and ends in
 * a title ("U.S. National Security Adviser" before "Mike Waltz") is a title
 * with, at most, an affiliation in front: returns the index of the affiliation's
 * last token, or `first - 1` when the whole span is the title.
 */
function titleBefore(words: string[], first: number, last: number): number {
  if (!titleHeads.has(words[last]!.toLowerCase())) return last;
  let end = last;
  while (end >= first && titleWords.has(words[end]!.toLowerCase()) && !affiliationWords.has(words[end]!.toLowerCase())) end -= 1;
  return end;
}

/**
 * Finds PER/ORG/LOC mentions in `text`, sentence by sentence. Spans are
 * `[start, end)` offsets into `text`, sorted and non-overlapping; `actor` is
 * left null for `resolveActors` to fill. `tokenised` is `sentenceTokens(text,
 * sentences)`, passed in when the caller already has it.
 */
export function findEntities(text: string, sentences: Sentence[], tokenised: Token[][] = sentenceTokens(text, sentences)): EntityMention[] {
  const model = loadTagger();
  const words = tokenised.map((tokens) => {
    const forms = tokens.map((t) => modelForm(t.text));
    return isTitleCase(forms) && !isCapsSentence(forms) ? forms.map((w) => w.toUpperCase()) : forms;
  });
  const tagged = model.tagDocument(words);
  const firstNames = lostFirstNames(model, words, tagged);
  const candidates: Candidate[] = datelineMentions(text, sentences).map((mention) => ({ mention, priority: 2 }));
  tokenised.forEach((tokens, s) => {
    const spans = tagSpans(tagged[s]!);
    const personStarts = new Set(spans.filter((span) => span.type === 'PER').map((span) => span.start));
    for (const span of spans) {
      if (!outputTypes.has(span.type)) continue;
      let first = span.start;
      let last = span.end - 1;
      let type = span.type as EntityType;
      if (type !== 'PER' && personStarts.has(span.end)) {
        last = titleBefore(words[s]!, first, last);
        if (last < first) continue;
      }
      if (type === 'PER' && firstNames.get(s) === span.start) first -= 1;
      if (type === 'PER') first = trimTitle(tokens, first, last);
      const start = tokens[first]!.span[0];
      const end = tokens[last]!.span[1];
      const phrase = words[s]!.slice(first, last + 1).join(' ').toLowerCase();
      if (isDemonym(phrase) || isGroupName(phrase)) continue;
      if (institutionNames.has(phrase)) type = 'ORG';
      else if (type !== 'LOC' && isKnownPlace(phrase)) type = 'LOC';
      candidates.push({ mention: { span: [start, end], type, actor: null }, priority: 0 });
    }
    // Institutions the model missed or split ("the White House" as LOC + nothing).
    const sentenceWords = words[s]!;
    for (let i = 0; i < tokens.length; i += 1) {
      if (!isCapitalised(tokens[i]!.text) || !institutionFirstWords.has(sentenceWords[i]!.toLowerCase())) continue;
      for (let length = Math.min(3, tokens.length - i); length >= 1; length -= 1) {
        const phrase = sentenceWords.slice(i, i + length).join(' ').toLowerCase();
        if (!institutionNames.has(phrase)) continue;
        candidates.push({ mention: { span: [tokens[i]!.span[0], tokens[i + length - 1]!.span[1]], type: 'ORG', actor: null }, priority: 1 });
        i += length - 1;
        break;
      }
    }
  });
  return surnamesArePeople(text, resolveOverlaps(candidates)).filter((m) => !isNotAName(text, m));
}

/**
 * Words the tagger takes for names that are not: the host of a contraction (`“Let’s not …”`, `That's`),
 * and a compass word whose region comes after a conjunction (`Central and Eastern Europe`).
 */
function isNotAName(text: string, m: EntityMention): boolean {
  const phrase = text.slice(m.span[0], m.span[1]);
  const after = text.slice(m.span[1], m.span[1] + 6);
  if (/^['’]s\b/.test(after) && (phrase === 'Let' || closedClassWords.has(phrase.toLowerCase()))) return true;
  return /^(?:Central|Eastern|Western|Northern|Southern|North|South|East|West)$/.test(phrase) && /^\s+(?:and|or)\s/.test(after);
}

/**
 * One document, one reading of a name: a lone word the tagger calls a place or
 * an organisation ("a grumpy Trump", "behind Trump and Cruz") is the person
 * when the document names a person with that surname ("Donald Trump"). A
 * known place keeps its type: "Jordan" the country beside "Michael Jordan".
 * So are two such surnames joined by a hyphen ("a Trump-Putin meeting"), and
 * such a surname after a title ("US Senator Rubio"). A lone name before
 * "administration" is a person whatever the document says ("the Biden
 * administration"), unless it is a place ("the Texas administration").
 */
function surnamesArePeople(text: string, mentions: EntityMention[]): EntityMention[] {
  const surnames = new Set<string>();
  for (const m of mentions) {
    if (m.type !== 'PER') continue;
    const words = text.slice(m.span[0], m.span[1]).split(/\s+/);
    if (words.length >= 2) surnames.add(words.at(-1)!);
  }
  return mentions.flatMap((m): EntityMention | EntityMention[] => {
    if (m.type === 'PER') return m;
    const phrase = text.slice(m.span[0], m.span[1]);
    // `during the Biden administration`: a lone name before "administration" is the president it is named for.
    if (!phrase.includes(' ') && !isKnownPlace(phrase) && !usStates.has(phrase.toLowerCase()) && /^\s+administration\b/.test(text.slice(m.span[1], m.span[1] + 16))) return { ...m, type: 'PER' };
    if (surnames.size === 0) return m;
    if (surnames.has(phrase) && !isKnownPlace(phrase)) return { ...m, type: 'PER' };
    // `a Trump-Putin meeting`: two people the document names, joined by a hyphen.
    const pair = /^([^\s\-–]+)[-–]([^\s\-–]+)$/.exec(phrase);
    if (pair && surnames.has(pair[1]!) && surnames.has(pair[2]!)) {
      const second = m.span[1] - pair[2]!.length;
      return [{ span: [m.span[0], m.span[0] + pair[1]!.length], type: 'PER', actor: null }, { span: [second, m.span[1]], type: 'PER', actor: null }];
    }
    // `with US Senator Rubio suggesting`: a title before a surname the document gives a person is that person, named after the title.
    const words = phrase.split(/\s+/);
    const name = words.at(-1)!;
    if (words.length >= 2 && surnames.has(name) && titleHeads.has(words.at(-2)!.toLowerCase())) return { span: [m.span[1] - name.length, m.span[1]], type: 'PER', actor: null };
    return m;
  });
}

/** A candidate mention and how much to trust it when spans overlap. */
interface Candidate { mention: EntityMention; priority: number }

/** Sorts mentions and drops overlaps: higher priority wins, then the longer span. */
function resolveOverlaps(candidates: Candidate[]): EntityMention[] {
  const ranked = [...candidates].sort((a, b) => b.priority - a.priority
    || (b.mention.span[1] - b.mention.span[0]) - (a.mention.span[1] - a.mention.span[0])
    || a.mention.span[0] - b.mention.span[0]);
  const kept: EntityMention[] = [];
  // The characters a kept mention covers: a mention sharing one is dropped (linear in the text, where
  // comparing with every kept mention grew with their square on a page of thousands of names).
  let end = 0;
  for (const { mention } of candidates) end = Math.max(end, mention.span[1]);
  const covered = new Uint8Array(end);
  for (const { mention } of ranked) {
    const [start, stop] = mention.span;
    if (start >= stop || covered.subarray(start, stop).includes(1)) continue;
    covered.fill(1, start, stop);
    kept.push(mention);
  }
  return kept.sort((a, b) => a.span[0] - b.span[0]);
}

/**
 * Sentence splitting for news text. Hand-written because news needs rules a
 * general tokenizer gets wrong: datelines ("WASHINGTON (Reuters) -"), headlines
 * without final punctuation, titles and month abbreviations, and quotations
 * that run over several sentences before their attribution.
 *
 * Rules, in order:
 * - paragraphs are blank-line separated; a single line break inside a
 *   paragraph also ends a sentence (headlines, bylines, list items);
 * - a sentence ends at `.`, `!`, `?` or an ellipsis, plus any closing quotes
 *   or brackets, when whitespace follows and the next word does not start in
 *   lower case;
 * - not after a title (`Dr.`, `Gen.`), a month before a number (`Sept. 11`),
 *   an initial (`J. R. R. Tolkien`) or another known abbreviation, unless that
 *   abbreviation (`U.S.`, `Inc.`) is followed by a word that usually starts a
 *   sentence (`The`, `He`, …);
 * - a quotation whose closing mark is followed by an attribution
 *   (`"We agree. We will go," he said.`) is one unit: no split inside it, so
 *   the quote and its speaker stay in one sentence;
 * - no sentence is longer than MAX_SENTENCE_LENGTH characters.
 */
import type { Span } from '../types.js';
import type { Sentence } from './types.js';
import { CUE_FORMS } from './lexicon/attribution.js';
import { firstWhere } from '../sorted.js';

/** Abbreviations that never end a sentence: a name or number always follows. */
const TITLES = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'gen', 'lt', 'col', 'maj', 'capt', 'cpt', 'sgt', 'adm', 'cmdr', 'sen', 'rep',
  'gov', 'pres', 'rev', 'hon', 'fr', 'sr', 'jr', 'st', 'mt', 'ft', 'no', 'nos', 'vs', 'v', 'art', 'sec', 'amb',
  'supt', 'insp', 'det', 'cpl', 'pvt', 'brig', 'messrs', 'mme', 'mlle', 'op', 'vol', 'pp', 'fig', 'approx', 'ca',
  'cf', 'dept', 'est', 'e.g', 'i.e',
]);
const MONTHS = new Set(['jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec']);
/** Abbreviations that may end a sentence (`… based in the U.S. The firm …`). */
const ENDABLE = new Set([
  'u.s', 'u.k', 'u.n', 'e.u', 'inc', 'corp', 'co', 'ltd', 'llc', 'plc', 'bros', 'a.m', 'p.m', 'etc', 'al', 'd.c',
  'n.y', 'l.a', 'u.s.a', 'ave', 'blvd', 'rd',
]);
/** Words that, capitalised after an ENDABLE abbreviation, signal a new sentence. */
const STARTERS = new Set([
  'the', 'a', 'an', 'he', 'she', 'it', 'they', 'we', 'i', 'you', 'this', 'that', 'these', 'those', 'but', 'and',
  'or', 'so', 'yet', 'in', 'on', 'at', 'for', 'if', 'when', 'while', 'after', 'before', 'as', 'there', 'his',
  'her', 'their', 'its', 'our', 'my', 'however', 'meanwhile', 'still', 'also', 'officials', 'some', 'many',
]);

const CLOSERS = '"”’\')]»';
const OPEN_DOUBLE = '"“«';

/** Splits `text` into sentences: trimmed `[start, end)` spans in order, never overlapping. */
export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  const paragraphRe = /\n[ \t\r\f\v]*\n\s*/g;
  let paragraph = 0;
  let start = 0;
  for (;;) {
    const m = paragraphRe.exec(text);
    const end = m ? m.index : text.length;
    if (splitParagraph(text, start, end, paragraph, sentences)) paragraph++;
    if (!m) break;
    start = m.index + m[0].length;
  }
  return sentences;
}

/** Adds the sentences of `text[start, end)`; returns false when the block is blank. */
function splitParagraph(text: string, start: number, end: number, paragraph: number, out: Sentence[]): boolean {
  const before = out.length;
  const noSplit = attributedQuoteRegions(text, start, end);
  let sentenceStart = start;
  let region = 0;
  for (let i = start; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 /* \n */) {
      push(text, sentenceStart, i, paragraph, out);
      sentenceStart = i + 1;
      continue;
    }
    if (ch !== 46 /* . */ && ch !== 33 /* ! */ && ch !== 63 /* ? */ && ch !== 0x2026 /* … */) continue;
    while (region < noSplit.length && noSplit[region][1] <= i) region++;
    if (region < noSplit.length && noSplit[region][0] <= i) continue;
    let j = i + 1;
    while (j < end && (text[j] === '.' || text[j] === '!' || text[j] === '?' || text[j] === '\u2026')) j++;
    while (j < end && CLOSERS.includes(text[j])) j++;
    if (j >= end) break;
    if (!/\s/.test(text[j])) continue;
    let k = j;
    while (k < end && (text[k] === ' ' || text[k] === '\t' || text[k] === '\u00a0')) k++;
    if (k >= end) break;
    if (text[k] === '\n') continue; // the line break ends the sentence itself
    if (!startsSentence(text, k, end)) continue;
    if (ch === 46 && j === i + 1 && !endsSentenceAfterPeriod(text, start, i, k, end)) continue;
    push(text, sentenceStart, j, paragraph, out);
    sentenceStart = k;
    i = k - 1;
  }
  push(text, sentenceStart, end, paragraph, out);
  return out.length > before;
}

/**
 * The longest sentence kept whole. PolNeAR's 33,000 sentences are at most 1,094 characters; a longer
 * run with no sentence end (a table or list flattened to text, or garbage) is cut at its last space
 * before each limit, since every later stage works sentence by sentence and some compare each cue or
 * quote of a sentence with the others (one 0.8 MB sentence of quoted fragments took 14 s).
 */
export const MAX_SENTENCE_LENGTH = 4000;

function push(text: string, start: number, end: number, paragraph: number, out: Sentence[]): void {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  while (end - start > MAX_SENTENCE_LENGTH) {
    let cut = start + MAX_SENTENCE_LENGTH;
    while (cut > start && !/\s/.test(text[cut])) cut--;
    if (cut === start) {
      cut = start + MAX_SENTENCE_LENGTH;
      // Not between the two halves of a surrogate pair.
      if (/[\uDC00-\uDFFF]/.test(text[cut])) cut--;
    }
    push(text, start, cut, paragraph, out);
    start = cut;
    while (start < end && /\s/.test(text[start])) start++;
  }
  if (end > start) out.push({ span: [start, end], paragraph });
}

/** The next sentence may start with a capital, a digit, an opening quote or bracket. */
function startsSentence(text: string, k: number, end: number): boolean {
  let c = text[k];
  if (text.startsWith("''", k) || text.startsWith('``', k)) {
    if (k + 2 >= end) return false;
    c = text[k + 2];
  } else if (c === '"' || c === '“' || c === '‘' || c === "'" || c === '(' || c === '[' || c === '«') {
    if (k + 1 >= end) return false;
    c = text[k + 1];
  }
  if (/\d/.test(c)) return true;
  return c !== c.toLowerCase() || /[“"‘(\[«—–-]/.test(c);
}

/** Decides whether the period at `dot` ends a sentence, the next word starting at `next`. */
function endsSentenceAfterPeriod(text: string, blockStart: number, dot: number, next: number, end: number): boolean {
  let w = dot;
  while (w > blockStart && /[A-Za-z.]/.test(text[w - 1])) w--;
  const word = text.slice(w, dot);
  if (word.length === 0) return true;
  const lower = word.toLowerCase();
  const nextWord = /^[A-Za-z’']+/.exec(text.slice(next, Math.min(end, next + 20)))?.[0] ?? '';
  if (TITLES.has(lower)) return false;
  if (MONTHS.has(lower)) return !/\d/.test(text[next]) && STARTERS.has(nextWord.toLowerCase());
  // An initial: one capital letter (J. R. R. Tolkien), or dotted initials (U.S.).
  if (/^[A-Z]$/.test(word)) return false;
  if (ENDABLE.has(lower) || /^([A-Za-z]\.)+[A-Za-z]$/.test(word)) return STARTERS.has(nextWord.toLowerCase());
  return true;
}

/**
 * Spans inside double quotes (within one paragraph) whose closing mark is
 * followed by an attribution: a comma before the mark, or a lower-case word
 * after it. Sentence ends inside them are not boundaries.
 */
function attributedQuoteRegions(text: string, start: number, end: number): Span[] {
  const regions: Span[] = [];
  let open = -1;
  for (let i = start; i < end; i++) {
    const c = text[i];
    const opening = c === '“' || c === '«' || (c === '"' && open < 0);
    const closing = c === '”' || c === '»' || (c === '"' && open >= 0);
    if (open < 0 && opening && OPEN_DOUBLE.includes(c)) {
      open = i;
    } else if (open >= 0 && closing) {
      let k = i + 1;
      while (k < end && (text[k] === ' ' || text[k] === '\u00a0')) k++;
      const commaBefore = text[i - 1] === ',';
      const lowerAfter = k < end && k > i + 1 && /[a-z]/.test(text[k]);
      if (commaBefore || lowerAfter || (k > i + 1 && namedSpeakerFollows(text, k, end))) regions.push([open, i]);
      open = -1;
    }
  }
  return regions;
}

/**
 * `"Is it?" Borger asked.`: one to four capitalised words, then a cue verb
 * ending the clause. The question or exclamation is not a sentence of its own.
 */
function namedSpeakerFollows(text: string, k: number, end: number): boolean {
  const m = /^(?:[A-Z][\w.'’-]*\s+){1,4}([a-z]+)(?=[\s.,]|$)/.exec(text.slice(k, Math.min(end, k + 80)));
  return m !== null && CUE_FORMS.has(m[1]);
}

/** The index of the last sentence starting at or before `pos` (0 when none does). */
export function sentenceIndexAt(sentences: Sentence[], pos: number): number {
  return Math.max(0, firstWhere(sentences.length, (i) => sentences[i]!.span[0] > pos) - 1);
}

/**
 * Word-level text features shared by linking and clustering: tokens and
 * content words with a light stemmer. Sentences come from the analysis stage
 * (src/analyze/sentences.ts); this module does not split them.
 */

/** Function words that carry no topic; short on purpose (rare-word weighting does the rest). */
const stopWords = new Set(
  ('a an the and or but nor so yet of in on at to for from by with without into onto over under about ' +
    'above below after before between during through against among as than then that this these those ' +
    'there here is are was were be been being am do does did done doing have has had having will would ' +
    'shall should can could may might must it its it\'s they them their theirs he him his she her hers ' +
    'we us our ours you your yours i me my mine who whom whose which what when where why how not no ' +
    'also just only very more most such own same other some any each all both few many much up down out ' +
    'off again further once too s t said says say told tell new one two mr mrs ms').split(' '),
);

/** A word token: letters or digits, with inner apostrophes and hyphens. */
export const wordPattern = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

/** Lower-cased word tokens, apostrophe tails (`'s`) dropped. */
export function words(text: string): string[] {
  return wordTokens(text).words;
}

/** A matched token as a word: lower case, apostrophe tail and trailing hyphens dropped ('' when nothing is left). */
export function normalizeToken(token: string): string {
  const word = token.toLowerCase();
  // Only the rare tokens with an apostrophe or a hyphen pay for a regex.
  return /['’-]/.test(word) ? word.replace(/['’](s|d|ll|re|ve|t)?$/u, '').replace(/-+$/u, '') : word;
}

/** Word tokens (as `words` gives them) with the offset in `text` where each starts. */
export function wordTokens(text: string): { words: string[]; starts: number[] } {
  const out: string[] = [];
  const starts: number[] = [];
  forEachToken(text, (token, start) => {
    const word = normalizeToken(token);
    if (!word) return;
    out.push(word);
    starts.push(start);
  });
  return { words: out, starts };
}

const letterOrDigit = /[\p{L}\p{N}]/u;

/** Length in UTF-16 units of the letter or digit at `i` (2 for an astral one), or 0 when there is none. */
function wordCharAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) ? 1 : 0;
  const point = text.codePointAt(i)!;
  return letterOrDigit.test(String.fromCodePoint(point)) ? (point > 0xffff ? 2 : 1) : 0;
}

/**
 * Calls `fn` with each match of `wordPattern` in `text` and its offset, by a
 * hand-written scan: the same tokens as `text.matchAll(wordPattern)` at a
 * fraction of the cost (no match objects; ASCII letters need no regex).
 */
export function forEachToken(text: string, fn: (token: string, start: number) => void): void {
  forEachTokenRange(text, (start, end) => fn(text.slice(start, end), start));
}

/** `forEachToken` without cutting the tokens out: `fn` gets where each starts and ends in `text`. */
export function forEachTokenRange(text: string, fn: (start: number, end: number) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const first = wordCharAt(text, i);
    if (first === 0) {
      i++;
      continue;
    }
    let j = i + first;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 39 || c === 45 || c === 0x2019) {
        j++;
        continue;
      }
      const width = wordCharAt(text, j);
      if (width === 0) break;
      j += width;
    }
    fn(i, j);
    i = j;
  }
}

/**
 * A light suffix stripper: merges the inflections that rewrites most often
 * change (`talks`/`talk`, `agreed`/`agree`, `meeting`/`meet`) without a lexicon.
 */
export function stem(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 5) return word.slice(0, -3) + 'y';
  if (word.endsWith('ing') && word.length > 6) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 5) return word.slice(0, -2);
  if (word.endsWith('es') && /(ss|sh|ch|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

/**
 * Word → its content form (stem), or '' for a stop word. A pure-function memo:
 * news vocabulary repeats, and this halves tokenisation time. Cleared when it
 * grows past its cap, so memory stays bounded on any stream.
 */
const contentForm = new Map<string, string>();
const contentFormCap = 200_000;

/** A word token's content form: its stem, or '' for a stop word or a one-letter token. */
export function contentFormOf(word: string): string {
  let form = contentForm.get(word);
  if (form === undefined) {
    form = word.length < 2 || stopWords.has(word) ? '' : stem(word);
    if (contentForm.size >= contentFormCap) contentForm.clear();
    contentForm.set(word, form);
  }
  return form;
}

/** Stemmed words that are not stop words and not one-letter tokens. */
export function contentWords(text: string): string[] {
  const out: string[] = [];
  for (const word of words(text)) {
    const form = contentFormOf(word);
    if (form) out.push(form);
  }
  return out;
}

export function isStopWord(word: string): boolean {
  return stopWords.has(word);
}

/**
 * Tokens for sentence alignment: words and numbers with their character spans,
 * a lower-cased form, a stem and a few flags. Kept separate from the analysis
 * stage's tokenizer on purpose: alignment scores hundreds of thousands of pairs
 * and needs a cheap, dependency-free pass over raw sentence text.
 */

export type TokenKind = 'word' | 'number';

export interface Token {
  /** `[start, end)` into the sentence text. */
  start: number;
  end: number;
  /** Lower-cased surface form; numbers with thousands separators removed. */
  lower: string;
  /** Suffix-stripped stem (numbers: their normalised value). */
  stem: string;
  kind: TokenKind;
  /** Starts with a capital letter and is not the sentence's first word. */
  capitalised: boolean;
  stopword: boolean;
}

// A word is letters with inner apostrophes; a number keeps its separators and decimals.
// Dotted initialisms (U.S., U.N.) come first so that they stay one token.
const TOKEN = /(?:\p{Lu}\.){2,}|\d+(?:[.,:]\d+)*|[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*|%/gu;

const NUMBER_WORDS: Record<string, string> = {
  zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8',
  nine: '9', ten: '10', eleven: '11', twelve: '12', fifteen: '15', twenty: '20', thirty: '30',
  forty: '40', fifty: '50', hundred: '100', thousand: '1000', dozen: '12',
};

// Function words of English news prose: they carry little of a sentence's content.
const STOPWORDS = new Set((
  'a an the and or but nor so yet of in on at to for from by with about as into onto upon over under ' +
  'after before between through during since until than then there here this that these those it its ' +
  'is are was were be been being am do does did done has have had having will would shall should can ' +
  'could may might must he she they we you i me him her them us his hers their theirs our ours your my ' +
  'mine who whom whose which what when where why how all any both each few more most other some such ' +
  'only own same too very just also s t not no if while because up down out off again further once ' +
  'said says say told tell according mr mrs ms dr per via one'
).split(' '));

const NEGATIONS = new Set(['not', 'no', 'never', 'nobody', 'nothing', 'none', 'neither', 'nor', 'without', "n't", 'cannot']);

export function isNegation(lower: string): boolean {
  return NEGATIONS.has(lower) || lower.endsWith("n't") || lower.endsWith('n’t');
}

/** Splits a sentence into word and number tokens. Never throws; non-strings give no tokens. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  if (typeof text !== 'string' || text.length === 0) return tokens;
  for (const match of text.matchAll(TOKEN)) {
    const surface = match[0];
    const start = match.index ?? 0;
    const first = surface.charCodeAt(0);
    const isNumber = first >= 48 && first <= 57;
    if (isNumber) {
      const value = normaliseNumber(surface);
      tokens.push({ start, end: start + surface.length, lower: value, stem: value, kind: 'number', capitalised: false, stopword: false });
      continue;
    }
    // "5%" and "5 percent" are the same figure.
    if (surface === '%') {
      tokens.push({ start, end: start + 1, lower: 'percent', stem: 'percent', kind: 'word', capitalised: false, stopword: false });
      continue;
    }
    let lower = surface.toLowerCase().replace(/’/g, "'").replace(/\./g, '');
    // Possessive 's belongs to the name it follows: "Russia's" aligns with "Russia".
    if (lower.endsWith("'s")) lower = lower.slice(0, -2);
    const numberWord = NUMBER_WORDS[lower];
    if (numberWord !== undefined) {
      tokens.push({ start, end: start + surface.length, lower: numberWord, stem: numberWord, kind: 'number', capitalised: false, stopword: false });
      continue;
    }
    const capitalised = tokens.length > 0 && surface[0] !== lower[0] && /\p{Lu}/u.test(surface[0]);
    tokens.push({
      start, end: start + surface.length, lower, stem: stem(lower), kind: 'word', capitalised,
      // "US"/"U.S." is the country, not the pronoun.
      stopword: STOPWORDS.has(lower) && !/^\p{Lu}[\p{Lu}.]+$/u.test(surface),
    });
  }
  return tokens;
}

/** `1,200` -> `1200`; `3.50` -> `3.5`; times and odd forms are kept as written. */
function normaliseNumber(surface: string): string {
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(surface)) surface = surface.replace(/,/g, '');
  if (/^\d+\.\d+$/.test(surface)) return String(Number(surface));
  if (/^\d+$/.test(surface)) return surface.replace(/^0+(?=\d)/, '');
  return surface;
}

const VOWEL = /[aeiouy]/;

/**
 * A small suffix-stripping stemmer in the spirit of Porter's: it only has to map
 * inflections and common derivations of one word to the same key, not produce words.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  // Plurals and third person.
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'i';
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  // Past and progressive forms, when what is left still has a vowel.
  for (const suffix of ['ing', 'ed']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3 && VOWEL.test(w.slice(0, -suffix.length))) {
      w = w.slice(0, -suffix.length);
      if (/(.)\1$/.test(w) && !/[lsz]$/.test(w)) w = w.slice(0, -1); // stopped -> stop
      break;
    }
  }
  for (const [suffix, replacement] of DERIVATIONS) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length) + replacement;
      break;
    }
  }
  // Final e and y vary between forms (agree/agreed, deny/denies): drop them.
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length > 4 && w.endsWith('y')) w = w.slice(0, -1) + 'i';
  return w;
}

// Longest suffixes first so that "-ational" wins over "-al".
const DERIVATIONS: [string, string][] = [
  ['ational', 'ate'], ['ization', 'ize'], ['fulness', 'ful'], ['iveness', 'ive'], ['ousness', 'ous'],
  ['ation', 'ate'], ['ement', ''], ['ments', ''], ['ment', ''], ['ness', ''], ['ably', 'able'],
  ['ibly', 'ible'], ['ally', 'al'], ['ously', 'ous'], ['ively', 'ive'], ['fully', 'ful'], ['lessly', 'less'],
  ['ly', ''], ['izer', 'ize'], ['iser', 'ize'], ['ise', 'ize'],
];

/**
 * A tokeniser for raw news text that keeps character offsets. It splits the way
 * CoNLL-2003 (the tagger's training data) is tokenised, so the model sees the
 * same kind of tokens at run time: possessive `'s` apart, `U.S.` and `Dr.` whole,
 * `O'Neill` and `Jean-Marie` whole, numbers with their separators whole.
 */
import type { Span } from '../../types.js';
import type { Sentence } from '../types.js';

export interface Token {
  span: Span;
  /** The token as written. */
  text: string;
}

/** Abbreviations that keep their period (lower case, without the period). */
const abbreviations = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'gen', 'sen', 'rep', 'gov', 'lt', 'col', 'capt', 'sgt', 'maj',
  'adm', 'cmdr', 'cpl', 'pvt', 'st', 'jr', 'sr', 'inc', 'corp', 'ltd', 'co', 'no', 'vs', 'mt',
  'ft', 'rev', 'hon', 'pres', 'amb', 'supt', 'insp', 'det', 'messrs', 'mme', 'mlle', 'bros',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'etc', 'approx', 'dept', 'univ', 'assn', 'est', 'fig', 'al',
]);

// Order matters: the first alternative that matches at a position wins.
const tokenPattern = new RegExp(
  [
    // Dotted abbreviations: U.S., U.N., e.g., F.C.
    String.raw`(?:\p{L}\.){2,}`,
    // Numbers with separators: 1,000  3.5  1996-08-22  10:30  1/2
    String.raw`\p{N}+(?:[.,:/-]\p{N}+)*`,
    // Words with inner hyphens or apostrophes (O'Neill, Jean-Marie, don't), but a
    // trailing possessive 's stays a token of its own.
    String.raw`[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:(?:[-\u2010\u2011]|['\u2019](?![sS](?![\p{L}\p{N}])))[\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*`,
    // Possessive clitic.
    String.raw`['\u2019][sS](?![\p{L}\p{N}])`,
    // Runs of hyphens, and dots (ellipsis).
    String.raw`-{2,}|\.{2,}`,
    // Anything else that is not a space: one character (surrogate pairs kept whole).
    String.raw`[^\s]`,
  ].join('|'),
  'gu',
);

const initialPattern = /^\p{Lu}$/u;

const isAsciiLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isAsciiDigit = (code: number): boolean => code >= 48 && code <= 57;
const isAsciiAlphanumeric = (code: number): boolean => isAsciiLetter(code) || isAsciiDigit(code);
/** Tab, line feed, vertical tab, form feed, carriage return, space: the ASCII members of `\s`. */
const isAsciiSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13);

/** The character code at `i` inside a run of ASCII ending at `runEnd`; past it a space (the run ends at a space or the text's end). */
function codeAt(text: string, i: number, runEnd: number): number {
  return i < runEnd ? text.charCodeAt(i) : 32;
}

/**
 * The end of the token `tokenPattern` matches at `start` when the run of
 * non-space characters there is plain ASCII (most news text), worked out
 * without the regular expression: the same alternatives in the same order,
 * restricted to ASCII (`\p{L}` is then a-z/A-Z, `\p{N}` 0-9, `\p{M}` empty).
 * Returns -1 when the run holds another character: the caller then runs the
 * regular expression.
 */
function asciiTokenEnd(text: string, start: number): number {
  let runEnd = start;
  for (; runEnd < text.length; runEnd += 1) {
    const code = text.charCodeAt(runEnd);
    if (code >= 128) return -1;
    if (isAsciiSpace(code)) break;
  }
  const first = codeAt(text, start, runEnd);
  // Dotted abbreviations: two or more letter-period pairs.
  let i = start;
  while (isAsciiLetter(codeAt(text, i, runEnd)) && codeAt(text, i + 1, runEnd) === 46) i += 2;
  if (i - start >= 4) return i;
  // Numbers with separators.
  if (isAsciiDigit(first)) {
    i = start + 1;
    for (;;) {
      while (isAsciiDigit(codeAt(text, i, runEnd))) i += 1;
      const separator = codeAt(text, i, runEnd);
      if ((separator === 46 || separator === 44 || separator === 58 || separator === 47 || separator === 45) && isAsciiDigit(codeAt(text, i + 1, runEnd))) i += 1;
      else return i;
    }
  }
  // Words with inner hyphens or apostrophes (not a possessive 's).
  if (isAsciiLetter(first)) {
    i = start + 1;
    for (;;) {
      while (isAsciiAlphanumeric(codeAt(text, i, runEnd))) i += 1;
      const joiner = codeAt(text, i, runEnd);
      const possessive = joiner === 39 && (codeAt(text, i + 1, runEnd) === 115 || codeAt(text, i + 1, runEnd) === 83) && !isAsciiAlphanumeric(codeAt(text, i + 2, runEnd));
      if ((joiner === 45 || (joiner === 39 && !possessive)) && isAsciiAlphanumeric(codeAt(text, i + 1, runEnd))) i += 2;
      else return i;
    }
  }
  // Possessive clitic.
  if (first === 39 && (codeAt(text, start + 1, runEnd) === 115 || codeAt(text, start + 1, runEnd) === 83) && !isAsciiAlphanumeric(codeAt(text, start + 2, runEnd))) return start + 2;
  // Runs of hyphens or dots.
  if ((first === 45 || first === 46) && codeAt(text, start + 1, runEnd) === first) {
    i = start + 2;
    while (codeAt(text, i, runEnd) === first) i += 1;
    return i;
  }
  return start + 1;
}

/** Tokenises `text[start, end)`; offsets in the result are offsets into `text`. */
export function tokenize(text: string, start = 0, end = text.length): Token[] {
  const tokens: Token[] = [];
  let position = start;
  while (position < end) {
    let tokenStart: number;
    let tokenEnd: number;
    let code = text.charCodeAt(position);
    while (isAsciiSpace(code) && position < end) code = text.charCodeAt(++position);
    if (position >= end) break;
    const asciiEnd = asciiTokenEnd(text, position);
    if (asciiEnd >= 0) {
      tokenStart = position;
      tokenEnd = asciiEnd;
    } else {
      tokenPattern.lastIndex = position;
      const match = tokenPattern.exec(text);
      if (!match) break;
      tokenStart = match.index;
      tokenEnd = tokenStart + match[0].length;
    }
    if (tokenStart >= end) break;
    if (tokenEnd > end) tokenEnd = end;
    let word = text.slice(tokenStart, tokenEnd);
    // A title abbreviation or a single capital initial keeps its period ("Dr.", "John F. Kennedy").
    if (text.charCodeAt(tokenEnd) === 46 && tokenEnd < end
      && (abbreviations.has(word.toLowerCase()) || (initialPattern.test(word) && /^\s+\p{Lu}/u.test(text.slice(tokenEnd + 1, tokenEnd + 4))))) {
      tokenEnd += 1;
      word += '.';
    }
    tokens.push({ span: [tokenStart, tokenEnd], text: word });
    position = tokenEnd;
  }
  return tokens;
}

/**
 * The tokens of each sentence (its span clamped to the text). The stage
 * tokenises once and hands the result to every step that reads tokens.
 */
export function sentenceTokens(text: string, sentences: readonly Sentence[]): Token[][] {
  return sentences.map((s) => tokenize(text, Math.max(0, s.span[0]), Math.min(text.length, s.span[1])));
}

/** Whether a token holds a dash, curly quote or prime that `modelForm` replaces (U+2010–2015, 2018, 2019, 201B–201E, 2032, 2033). */
function hasTypographicMark(token: string): boolean {
  for (let i = 0; i < token.length; i += 1) {
    const code = token.charCodeAt(i);
    if (code < 0x2010 || code > 0x2033) continue;
    if (code <= 0x2015 || code === 0x2018 || code === 0x2019 || (code >= 0x201b && code <= 0x201e) || code >= 0x2032) return true;
  }
  return false;
}

/** The form the model was trained on: straight quotes and apostrophes, ASCII dashes. */
export function modelForm(token: string): string {
  // Most tokens have nothing to replace: one scan instead of four replacements.
  if (!hasTypographicMark(token)) return token;
  return token
    .replace(/[\u2018\u2019\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u2033]/g, '"')
    .replace(/[\u2010\u2011]/g, '-')
    .replace(/^[\u2012\u2013\u2014\u2015]$/, '--');
}

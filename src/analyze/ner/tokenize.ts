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

/** Tokenises `text[start, end)`; offsets in the result are offsets into `text`. */
export function tokenize(text: string, start = 0, end = text.length): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = start;
  while (tokenPattern.lastIndex < end) {
    const match = tokenPattern.exec(text);
    if (!match) break;
    const tokenStart = match.index;
    if (tokenStart >= end) break;
    let tokenEnd = tokenStart + match[0].length;
    let word = match[0];
    if (tokenEnd > end) {
      tokenEnd = end;
      word = text.slice(tokenStart, tokenEnd);
    }
    // A title abbreviation or a single capital initial keeps its period ("Dr.", "John F. Kennedy").
    if (text.charCodeAt(tokenEnd) === 46 && tokenEnd < end
      && (abbreviations.has(word.toLowerCase()) || (initialPattern.test(word) && /^\s+\p{Lu}/u.test(text.slice(tokenEnd + 1, tokenEnd + 4))))) {
      tokenEnd += 1;
      tokenPattern.lastIndex = tokenEnd;
      word += '.';
    }
    tokens.push({ span: [tokenStart, tokenEnd], text: word });
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

const typographicPattern = /[\u2010-\u2015\u2018\u2019\u201B-\u201E\u2032\u2033]/;

/** The form the model was trained on: straight quotes and apostrophes, ASCII dashes. */
export function modelForm(token: string): string {
  // Most tokens have nothing to replace: one test instead of four replacements.
  if (!typographicPattern.test(token)) return token;
  return token
    .replace(/[\u2018\u2019\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u2033]/g, '"')
    .replace(/[\u2010\u2011]/g, '-')
    .replace(/^[\u2012\u2013\u2014\u2015]$/, '--');
}

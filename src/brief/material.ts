/**
 * What the briefing is built from: the story's articles with their analyses,
 * source families and rewrite links, plus helpers every briefing part shares
 * (sentence text, evidence, content-word similarity).
 */
import type { Analysis } from '../analyze/types.js';
import type { Article, Span } from '../types.js';
import { tokenize } from './align/index.js';
import { hasPredicate } from './predicate.js';
import type { Evidence } from './types.js';

export interface StoryArticle {
  article: Pick<Article, 'id' | 'input' | 'title' | 'text' | 'published' | 'outlet' | 'url' | 'provenance'>;
  analysis: Analysis;
  /** Source family id (from the link stage). */
  family: string;
  /** Id of the article this one copies or rewrites, if any. */
  derivedFrom: string | null;
}

export interface StoryLink {
  from: string;
  to: string;
  kind: 'duplicate' | 'rewrite';
  alignedShare: number;
}

export interface StoryMaterial {
  id: string;
  headline?: string;
  articles: StoryArticle[];
  links: StoryLink[];
}

/** One sentence of one article, addressed by article and sentence index. */
export interface StorySentenceRef {
  articleIndex: number;
  sentenceIndex: number;
  article: string;
  span: Span;
  text: string;
  /** Position of the sentence in its article, 0 (first) to 1 (last). */
  position: number;
}

export function evidence(article: StoryArticle, span: Span): Evidence {
  return { article: article.article.id, span: [span[0], span[1]], text: article.article.text.slice(span[0], span[1]) };
}

/** All sentences of the story, in article order, with their text. */
export function storySentences(material: StoryMaterial): StorySentenceRef[] {
  const out: StorySentenceRef[] = [];
  material.articles.forEach((entry, articleIndex) => {
    const count = entry.analysis.sentences.length;
    entry.analysis.sentences.forEach((sentence, sentenceIndex) => {
      const text = entry.article.text.slice(sentence.span[0], sentence.span[1]).trim();
      out.push({ articleIndex, sentenceIndex, article: entry.article.id, span: sentence.span, text, position: count <= 1 ? 0 : sentenceIndex / (count - 1) });
    });
  });
  return out;
}

/** Clauses shorter than this join their neighbour: "officials said" is not a clause worth aligning. */
const MIN_CLAUSE_WORDS = 5;

/**
 * Splits a sentence into clauses at commas, semicolons, colons and dashes,
 * merging short pieces into their neighbours, and keeps those that have a
 * verb. News sentences wrap one fact in outlet-specific clauses ("In a
 * significant development, …, according to AFP"); aligning clauses finds the
 * shared fact where whole sentences differ. A verbless piece ("In a
 * significant shift in U.S. foreign policy", an appositive) frames or
 * describes; it states nothing another outlet could corroborate. A sentence
 * with no verbed clause at all is kept whole.
 */
export function clauseSpans(text: string, span: Span): Span[] {
  const pieces: Span[] = [];
  let start = span[0];
  const separator = /[,;:]\s+|\s[—–-]\s/g;
  separator.lastIndex = span[0];
  const slice = text.slice(0, span[1]);
  for (let match = separator.exec(slice); match; match = separator.exec(slice)) {
    pieces.push([start, match.index]);
    start = match.index + match[0].length;
  }
  pieces.push([start, span[1]]);
  const words = (p: Span) => text.slice(p[0], p[1]).split(/\s+/).filter(Boolean).length;
  const merged: Span[] = [];
  for (const piece of pieces) {
    const last = merged.at(-1);
    if (last && (words(piece) < MIN_CLAUSE_WORDS || words(last) < MIN_CLAUSE_WORDS)) last[1] = piece[1];
    else merged.push([piece[0], piece[1]]);
  }
  if (merged.length === 1) return merged;
  const stating = merged.filter((clause) => hasPredicate(text.slice(clause[0], clause[1])));
  return stating.length > 0 ? stating : [[span[0], span[1]]];
}

/** Index of the sentence holding `offset` in an article's analysis, or -1. */
export function sentenceAt(analysis: Analysis, offset: number): number {
  const sentences = analysis.sentences;
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end] = sentences[mid]!.span;
    if (offset < start) hi = mid - 1;
    else if (offset >= end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** Content-word stems of a text (function words and punctuation dropped), with the aligner's tokenizer and stemmer. */
export function contentStems(text: string): Set<string> {
  const stems = new Set<string>();
  for (const token of tokenize(text)) if (!token.stopword) stems.add(token.stem);
  return stems;
}

/** Dice overlap of two stem sets, 0..1. */
export function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/** Family id of each article id. */
export function familyOf(material: StoryMaterial): Map<string, string> {
  return new Map(material.articles.map((a) => [a.article.id, a.family]));
}

export function countFamilies(articleIds: Iterable<string>, families: Map<string, string>): number {
  const seen = new Set<string>();
  for (const id of articleIds) seen.add(families.get(id) ?? id);
  return seen.size;
}

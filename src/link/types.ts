/**
 * Inputs and outputs of the link stage. Inputs are plain objects so the stage
 * does not depend on the store: the caller builds them from an article and its
 * analysis.
 */
import type { ProvenanceCredit, Span } from '../types.js';

export interface LinkableArticle {
  id: string;
  text: string;
  title: string | null;
  /** ISO 8601 date or date-time, or null when unknown. */
  published: string | null;
  outlet: string | null;
  provenance: ProvenanceCredit[];
  /** Sentence spans into `text` (from the analysis stage: src/analyze/sentences.ts). */
  sentences: Span[];
  /** Normalised actor keys (`marco rubio`, `united states`) from analysis; optional extra features. */
  entityKeys?: string[];
}

export type LinkKind = 'duplicate' | 'rewrite';

/** `[sentence index in from, sentence index in to, score]`. */
export type SentenceAlignment = [fromSentence: number, toSentence: number, score: number];

/**
 * `from` is derived from `to`: `from` is the copy or the rewrite, `to` the
 * original (the wire copy, or the earlier article).
 */
export interface Link {
  from: string;
  to: string;
  kind: LinkKind;
  /** Estimated Jaccard similarity of the two texts' word 3-gram sets. */
  similarity: number;
  /** Share of the shorter article's sentences aligned to a sentence of the other. */
  alignedShare: number;
  /** Sentence pairs that align (rewrites only). */
  alignments?: SentenceAlignment[];
}

/**
 * The paraphrase model as committed in `models/paraphrase.json`: feature scaling,
 * a logistic-regression layer, optional boosted regression trees added to its
 * logit, the decision threshold, and the document frequencies the IDF features use.
 * The file is written by `scripts/train-paraphrase.ts` and read once, lazily.
 */
import { readFileSync } from 'node:fs';
import { FEATURE_NAMES, type Idf } from './features.js';

/** A small regression tree: go `left` when `x[feature] <= split`; a number is a leaf's logit increment. */
export interface Tree {
  feature: number;
  split: number;
  left: Tree | number;
  right: Tree | number;
}

export function treeValue(tree: Tree | number, features: number[]): number {
  let node = tree;
  while (typeof node !== 'number') node = features[node.feature] <= node.split ? node.left : node.right;
  return node;
}

export interface ParaphraseModelFile {
  version: 1;
  /** How and when it was trained, with the cross-validation figures that chose it. */
  about: Record<string, unknown>;
  features: string[];
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
  trees: Tree[];
  /** Probability at or above which a pair counts as a paraphrase. */
  threshold: number;
  /** Document frequencies of stems over the training sentences, grouped by count. */
  idf: { documents: number; byCount: Record<string, string> };
  /**
   * Learned word similarity (see `Idf.related`): `stem stem score` triples joined by
   * `|`, the two stems in code-unit order. Absent in older files.
   */
  related?: string;
  /**
   * Per stem, how often it is shared by the two sentences of paraphrase
   * pairs and of other pairs: `stem p q` triples joined by `|` (see `Idf.evidence`).
   */
  evidence?: string;
}

export interface ParaphraseModel {
  file: ParaphraseModelFile;
  idf: Idf;
  /** Probability that a feature vector describes a paraphrase. */
  probability(features: number[]): number;
}

/** Key of an unordered pair of stems in a relatedness table. */
export function relatedKey(a: string, b: string): string {
  return a < b ? a + ' ' + b : b + ' ' + a;
}

/** Log-odds for "paraphrase" of a stem being shared (or not), from its shared rates in paraphrases (p) and in other pairs (q). */
export function evidenceOf(p: number, q: number, shared: boolean): number {
  return shared ? Math.log(p / q) : Math.log((1 - p) / (1 - q));
}

export function parseEvidence(text: string | undefined): Map<string, [number, number]> {
  const table = new Map<string, [number, number]>();
  for (const entry of (text ?? '').split('|')) {
    const [stem, p, q] = entry.split(' ');
    if (stem && p && q) table.set(stem, [Number(p), Number(q)]);
  }
  return table;
}

export function buildIdf(
  documents: number,
  frequencies: Map<string, number>,
  related?: Map<string, number>,
  evidence?: Map<string, [number, number]>,
): Idf {
  const rarest = Math.log((documents + 1) / 1);
  const idf: Idf = {
    weight(stem: string): number {
      const df = frequencies.get(stem);
      return df === undefined ? rarest : Math.log((documents + 1) / df);
    },
  };
  if (related && related.size > 0) idf.related = (a, b) => related.get(relatedKey(a, b)) ?? 0;
  if (evidence && evidence.size > 0) {
    idf.evidence = (stem, shared) => {
      const rates = evidence.get(stem);
      return rates ? evidenceOf(rates[0], rates[1], shared) : 0;
    };
  }
  return idf;
}

export function parseRelated(text: string | undefined): Map<string, number> {
  const table = new Map<string, number>();
  for (const entry of (text ?? '').split('|')) {
    const [a, b, score] = entry.split(' ');
    if (a && b && score) table.set(relatedKey(a, b), Number(score));
  }
  return table;
}

export function formatRelated(table: Map<string, number>): string {
  return [...table].sort((x, y) => (x[0] < y[0] ? -1 : 1)).map(([key, score]) => `${key} ${score}`).join('|');
}

/** Turns a model file into a scorer. Throws when the file does not match this code's features. */
export function loadModel(file: ParaphraseModelFile): ParaphraseModel {
  if (file.version !== 1 || file.features.join(',') !== FEATURE_NAMES.join(',')) {
    throw new Error('models/paraphrase.json was trained for other features; run `npm run train:paraphrase`');
  }
  const frequencies = new Map<string, number>();
  for (const [count, stems] of Object.entries(file.idf.byCount)) {
    for (const s of stems.split(' ')) if (s) frequencies.set(s, Number(count));
  }
  const { mean, scale, weights, bias, trees } = file;
  return {
    file,
    idf: buildIdf(file.idf.documents, frequencies, parseRelated(file.related), parseEvidence(file.evidence)),
    probability(features: number[]): number {
      let logit = bias;
      for (let i = 0; i < weights.length; i++) logit += weights[i] * ((features[i] - mean[i]) / scale[i]);
      for (const t of trees) logit += treeValue(t, features);
      return 1 / (1 + Math.exp(-logit));
    },
  };
}

let cached: ParaphraseModel | undefined;

/** The committed model, read on first use. */
export function defaultModel(): ParaphraseModel {
  if (!cached) {
    const url = new URL('../../../models/paraphrase.json', import.meta.url);
    cached = loadModel(JSON.parse(readFileSync(url, 'utf8')) as ParaphraseModelFile);
  }
  return cached;
}

/**
 * Sentence alignment across outlets: "do these two news sentences say the same
 * thing?", and, for a whole story, which sentences from different articles report
 * the same fact. The judgement is a classifier trained on MSRP
 * (`scripts/train-paraphrase.ts`, weights in `models/paraphrase.json`).
 */
import type { Span } from '../../types.js';
import { pairFeatures, prepare, similarSpelling, type PreparedSentence } from './features.js';
import { defaultModel } from './model.js';
import { appendTo, groupBy } from '../../collections.js';

export { FEATURE_NAMES, pairFeatures, prepare, type PreparedSentence } from './features.js';
export { defaultModel, loadModel, type ParaphraseModel, type ParaphraseModelFile } from './model.js';
export { tokenize, stem, type Token } from './tokens.js';

/** Probability in [0, 1] that two sentences say the same thing. Never throws on odd input. */
export function paraphraseProbability(a: string, b: string): number {
  const model = defaultModel();
  const pa = prepare(a);
  const pb = prepare(b);
  if (pa.tokens.length === 0 || pb.tokens.length === 0) return 0;
  return model.probability(pairFeatures(pa, pb, model.idf));
}

/** Whether two sentences say the same thing, at the threshold cross-validation chose. */
export function isParaphrase(a: string, b: string): boolean {
  return paraphraseProbability(a, b) >= defaultModel().file.threshold;
}

export interface DiffToken {
  /** `[start, end)` into the sentence the token belongs to. */
  span: Span;
  /** Normalised form: lower-cased word, or a number without separators. */
  norm: string;
  kind: 'word' | 'number';
}

/**
 * Content words and numbers that one sentence has and the other lacks (no equal
 * stem, no close spelling). Function words are left out. This is where two
 * versions of one fact differ: `{ onlyA: [12], onlyB: [15] }`.
 */
export function diffTokens(a: string, b: string): { onlyA: DiffToken[]; onlyB: DiffToken[] } {
  const pa = prepare(a);
  const pb = prepare(b);
  return { onlyA: unmatchedTokens(pa, pb), onlyB: unmatchedTokens(pb, pa) };
}

function unmatchedTokens(from: PreparedSentence, to: PreparedSentence): DiffToken[] {
  const stems = new Set(to.stems);
  return from.tokens
    .filter((t) => !t.stopword && !stems.has(t.stem))
    .filter((t) => t.kind === 'number' || !to.tokens.some((o) => o.kind === 'word' && similarSpelling(t.lower, o.lower)))
    .map((t) => ({ span: [t.start, t.end] as Span, norm: t.lower, kind: t.kind }));
}

export interface StorySentence {
  articleId: string;
  text: string;
}

export interface AlignedGroup {
  /** Indices into the input list, ascending; at most one per article. */
  sentences: number[];
  /** Distinct article ids, in the order of `sentences`. */
  articles: string[];
  /** Mean paraphrase probability of the links that formed the group. */
  confidence: number;
}

export interface AlignOptions {
  /** Probability a link needs; default: the model's threshold. */
  threshold?: number;
  /** Pairs scored per sentence at most, the most promising first. Default 10. */
  candidatesPerSentence?: number;
}

/**
 * Groups sentences from different articles that say the same thing. Candidates
 * are pairs that share rare content words (rare within the story), so the model
 * scores a few pairs per sentence rather than all of them. Links are merged
 * strongest first, and two groups merge only when no article is in both, so a
 * group never holds two sentences of one article. Only groups of two or more
 * sentences are returned, largest first.
 */
export function alignSentences(sentences: StorySentence[], options: AlignOptions = {}): AlignedGroup[] {
  const model = defaultModel();
  const threshold = options.threshold ?? model.file.threshold;
  // Union-find chains links, so a fact told by many outlets needs only a few links per sentence:
  // on the bench's synthetic 50-article story, 10 and 20 give the same largest groups.
  const perSentence = options.candidatesPerSentence ?? 10;
  const prepared = sentences.map((s) => prepare(s.text));
  const candidates = candidatePairs(sentences, prepared, perSentence);

  const links: { i: number; j: number; p: number }[] = [];
  for (const [i, j] of candidates) {
    const p = model.probability(pairFeatures(prepared[i], prepared[j], model.idf));
    if (p >= threshold) links.push({ i, j, p });
  }
  links.sort((x, y) => y.p - x.p || x.i - y.i || x.j - y.j);

  const parent = sentences.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const members = new Map<number, { articles: Set<string>; sum: number; links: number }>();
  sentences.forEach((s, i) => members.set(i, { articles: new Set([s.articleId]), sum: 0, links: 0 }));
  for (const { i, j, p } of links) {
    const ri = find(i);
    const rj = find(j);
    if (ri === rj) continue;
    const gi = members.get(ri)!;
    const gj = members.get(rj)!;
    if ([...gj.articles].some((a) => gi.articles.has(a))) continue;
    const [big, small, bigRoot, smallRoot] = gi.articles.size >= gj.articles.size ? [gi, gj, ri, rj] : [gj, gi, rj, ri];
    for (const a of small.articles) big.articles.add(a);
    big.sum += small.sum + p;
    big.links += small.links + 1;
    parent[smallRoot] = bigRoot;
    members.delete(smallRoot);
  }

  const byRoot = groupBy(sentences.keys(), find);
  const groups: AlignedGroup[] = [];
  for (const [root, indices] of byRoot) {
    if (indices.length < 2) continue;
    const g = members.get(root)!;
    groups.push({ sentences: indices, articles: indices.map((i) => sentences[i].articleId), confidence: g.sum / g.links });
  }
  return groups.sort((x, y) => y.sentences.length - x.sentences.length || x.sentences[0] - y.sentences[0]);
}

/**
 * Pairs of sentences from different articles sharing at least two content words
 * that are rare in the story (or one, for sentences with few such words), ranked
 * per sentence by the summed rarity of what they share.
 */
function candidatePairs(sentences: StorySentence[], prepared: PreparedSentence[], perSentence: number): [number, number][] {
  const n = sentences.length;
  const articleCount = new Set(sentences.map((s) => s.articleId)).size;
  const frequency = new Map<string, number>();
  const keysOf = prepared.map((p) => [...new Set(p.content)]);
  for (const keys of keysOf) for (const k of keys) frequency.set(k, (frequency.get(k) ?? 0) + 1);
  // A fact told by every outlet puts its words in about one sentence per article;
  // words far more frequent than that are the story's topic, not a fact's.
  const maxFrequency = Math.max(6, 2 * articleCount);
  const postings = new Map<string, number[]>();
  const rareKeys = keysOf.map((keys, i) => {
    const rare = keys.filter((k) => {
      const f = frequency.get(k)!;
      return f >= 2 && f <= maxFrequency;
    });
    for (const k of rare) appendTo(postings, k, i);
    return rare;
  });

  const pairs = new Set<number>();
  const result: [number, number][] = [];
  // Shared-key counts and weights per other sentence, reset through `touched` (no allocation per sentence).
  const count = new Uint16Array(n);
  const weight = new Float64Array(n);
  const touched: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const k of rareKeys[i]) {
      const w = Math.log(n / frequency.get(k)!);
      for (const j of postings.get(k)!) {
        if (j === i || sentences[j].articleId === sentences[i].articleId) continue;
        if (count[j] === 0) touched.push(j);
        count[j]++;
        weight[j] += w;
      }
    }
    const needed = rareKeys[i].length <= 2 ? 1 : 2;
    const ranked = touched.filter((j) => count[j] >= needed).sort((x, y) => weight[y] - weight[x] || x - y);
    for (const j of ranked.slice(0, perSentence)) {
      const key = Math.min(i, j) * n + Math.max(i, j);
      if (pairs.has(key)) continue;
      pairs.add(key);
      result.push([Math.min(i, j), Math.max(i, j)]);
    }
    for (const j of touched) {
      count[j] = 0;
      weight[j] = 0;
    }
    touched.length = 0;
  }
  return result;
}

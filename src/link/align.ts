/**
 * Sentence alignment between two articles, for rewrite detection. A rewrite
 * keeps the facts and names of each sentence and changes words and order, so
 * sentences are compared as sets of stemmed content words, tolerant of common
 * newswire synonyms and of shared word stems, in any order.
 */
import { contentWords } from './text.js';
import { hashString } from './hash.js';
import type { SentenceAlignment } from './types.js';
import { firstWhere } from '../sorted.js';

/**
 * Words content farms swap for each other, mapped to one representative.
 * Small on purpose: stems and prefixes catch most inflections; this catches
 * the reporting verbs and nouns that rewriters change first.
 */
const synonymGroups = [
  'say state declare announce remark comment note add',
  'talk negotiation discussion meeting',
  'agree accept consent',
  'begin start launch commence',
  'end finish conclude',
  'kill slay',
  'hurt injure wound',
  'big large huge major',
  'small minor little',
  'official representative spokesperson spokesman spokeswoman',
  'country nation state',
  'president leader head',
  'accord agreement deal pact',
  'attack strike assault',
  'rise increase climb jump surge',
  'fall decrease drop decline plunge',
  'help aid assist support',
  'show reveal indicate demonstrate',
  'buy purchase acquire',
  'need require',
  'try attempt seek',
  'quick rapid fast swift',
  'week-long weeklong',
];
const synonymOf = new Map<string, string>();
for (const group of synonymGroups) {
  const [head, ...rest] = group.split(' ');
  for (const word of rest) synonymOf.set(word, head!);
}

/** One sentence as a sorted set of feature hashes. */
export type SentenceFeatures = Uint32Array;

/**
 * An article's sentences as one flat array of feature hashes: sentence `i`
 * holds `features[bounds[i]] … features[bounds[i + 1] - 1]`, sorted. Two typed
 * arrays per article instead of one per sentence keep a 20,000-article window
 * small and cheap for the garbage collector.
 */
export interface SentenceSet {
  features: Uint32Array;
  bounds: Uint32Array;
}

/** Feature hashes of one content form: the form (or its synonym group) and, for 6+ letters, its 5-letter prefix. */
const formFeatures = new Map<string, number[]>();
const formFeaturesCap = 200_000;

export function featuresOfForm(form: string): number[] {
  let features = formFeatures.get(form);
  if (features === undefined) {
    const canonical = synonymOf.get(form) ?? form;
    features = [hashString(canonical)];
    // Words of 6+ letters also add their 5-letter prefix so `negotiators`/`negotiations` meet.
    if (canonical.length >= 6 && !/\d/.test(canonical)) features.push(hashString(`>${canonical.slice(0, 5)}`));
    if (formFeatures.size >= formFeaturesCap) formFeatures.clear();
    formFeatures.set(form, features);
  }
  return features;
}

/** Feature hashes for one sentence (content forms, see `featuresOfForm`), sorted and distinct. */
export function sentenceFeatures(text: string): SentenceFeatures {
  return featuresOfForms(contentWords(text));
}

function featuresOfForms(forms: Iterable<string>): SentenceFeatures {
  const set = new Set<number>();
  for (const form of forms) for (const f of featuresOfForm(form)) set.add(f);
  return Uint32Array.from(set).sort();
}

/** Packs sentences given as lists of content forms into a `SentenceSet`. */
export function sentenceSetOfForms(sentences: string[][]): SentenceSet {
  const builder = new SentenceSetBuilder();
  for (const forms of sentences) {
    for (const form of forms) builder.add(featuresOfForm(form));
    builder.close();
  }
  return builder.build();
}

/** Builds a `SentenceSet` feature by feature: `add` the features of each word, `close` each sentence. */
export class SentenceSetBuilder {
  /** Closed sentences' features, deduplicated, then the open sentence's (sorted at `close`). */
  private features = new Uint32Array(1024);
  private length = 0;
  private readonly bounds: number[] = [0];
  private open = 0;

  add(features: readonly number[]): void {
    if (this.length + features.length > this.features.length) {
      const grown = new Uint32Array(Math.max(this.features.length * 2, this.length + features.length));
      grown.set(this.features.subarray(0, this.length));
      this.features = grown;
    }
    for (const f of features) this.features[this.length++] = f;
  }

  /** Ends the current sentence: sorts its features and drops repeats. */
  close(): void {
    const part = this.features.subarray(this.open, this.length).sort();
    let out = this.open;
    for (let k = 0; k < part.length; k++) if (k === 0 || part[k] !== part[k - 1]) this.features[out++] = part[k]!;
    this.length = out;
    this.bounds.push(out);
    this.open = out;
  }

  build(): SentenceSet {
    return { features: this.features.slice(0, this.length), bounds: Uint32Array.from(this.bounds) };
  }
}

/** A `SentenceSet` from sentence texts (tests, experiments). */
export function sentenceSet(sentences: string[]): SentenceSet {
  return sentenceSetOfForms(sentences.map(contentWords));
}

function sentenceCount(set: SentenceSet): number {
  return set.bounds.length - 1;
}

/** Dice coefficient of two sorted feature sets. */
export function sentenceSimilarity(a: SentenceFeatures, b: SentenceFeatures): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return (2 * shared) / (a.length + b.length);
}

/**
 * Feature → indexes of the sentences holding it, for the arriving article,
 * built once and probed for every feature of every candidate's sentences. An
 * open-addressing table over typed arrays: feature hashes are 32-bit, beyond
 * V8's small integers, so as `Map` keys each probe would box a number. A
 * feature's low bits are its slot: features are hashes already mixed in every
 * bit (`hashString`).
 */
export interface SentencePostings {
  /** Table size minus one (the size is a power of two). */
  mask: number;
  /** Feature held by each slot (meaningful where `filled`). */
  keys: Uint32Array;
  filled: Uint8Array;
  /** Sentences of slot `i`: `sentences[offsets[i]] … sentences[offsets[i + 1] - 1]`. */
  offsets: Uint32Array;
  sentences: Uint32Array;
}

export function sentencePostings(set: SentenceSet): SentencePostings {
  const total = set.features.length;
  let size = 16;
  while (size < total * 2) size *= 2;
  const mask = size - 1;
  const keys = new Uint32Array(size);
  const filled = new Uint8Array(size);
  const counts = new Uint32Array(size + 1);
  const slotOf = new Uint32Array(total);
  for (let k = 0; k < total; k++) {
    const f = set.features[k]!;
    let slot = f & mask;
    while (filled[slot] && keys[slot] !== f) slot = (slot + 1) & mask;
    filled[slot] = 1;
    keys[slot] = f;
    slotOf[k] = slot;
    counts[slot + 1]!++;
  }
  for (let i = 0; i < size; i++) counts[i + 1]! += counts[i]!;
  const offsets = counts.slice();
  const sentences = new Uint32Array(total);
  // Sentence by sentence, so each slot's list is in sentence order.
  for (let s = 0; s < sentenceCount(set); s++) {
    for (let k = set.bounds[s]!; k < set.bounds[s + 1]!; k++) sentences[counts[slotOf[k]!]!++] = s;
  }
  return { mask, keys, filled, offsets, sentences };
}

/** The slot of `feature` in `postings`, or -1 when no sentence holds it. */
function findSlot(postings: SentencePostings, feature: number): number {
  let slot = feature & postings.mask;
  while (postings.filled[slot]) {
    if (postings.keys[slot] === feature) return slot;
    slot = (slot + 1) & postings.mask;
  }
  return -1;
}

/**
 * Features two sentences must share to align whatever their Dice score: two
 * short sentences sharing a stock phrase (`made news`) are not one sentence
 * reworded.
 */
const minSharedFeatures = 3;

export interface AlignmentResult {
  /** One-to-one sentence pairs above the threshold, `[index in a, index in b, score]`, by index in a. */
  pairs: SentenceAlignment[];
  /** `pairs.length` over the sentence count of the shorter article (counting sentences with features). */
  share: number;
  /**
   * The largest set of pairs in the same order in both articles (a longest
   * increasing run), over the same count. A rewrite follows its original's
   * order with local moves; facts that two independent reports share come in
   * each writer's own order, so this separates them where `share` cannot.
   */
  orderedShare: number;
}

/**
 * Greedy one-to-one alignment: all sentence pairs scoring at least
 * `threshold`, best first, each sentence used once. Order plays no part in
 * the pairing, so a rewrite that moves a paragraph still aligns; it is
 * measured afterwards as `orderedShare`. With `minShare`, a caller that only
 * wants alignments sharing at least that much gets no pairs and a share of 0
 * as soon as the sentences left cannot reach it.
 */
export function alignSentences(a: SentenceSet, b: SentenceSet, threshold: number, bPostings = sentencePostings(b), minShare = 0): AlignmentResult {
  const countA = sentenceCount(a);
  const countB = sentenceCount(b);
  const shorter = Math.min(nonEmpty(a), nonEmpty(b));
  const scored: SentenceAlignment[] = [];
  const shared = new Uint16Array(countB);
  const touched: number[] = [];
  // Sentences of a with a pair so far: each pair takes one, so they bound the pairs.
  let matchedA = 0;
  for (let ia = 0; ia < countA; ia++) {
    const from = a.bounds[ia]!;
    const to = a.bounds[ia + 1]!;
    for (let k = from; k < to; k++) {
      const slot = findSlot(bPostings, a.features[k]!);
      if (slot < 0) continue;
      for (let p = bPostings.offsets[slot]!; p < bPostings.offsets[slot + 1]!; p++) {
        const ib = bPostings.sentences[p]!;
        if (shared[ib] === 0) touched.push(ib);
        shared[ib]!++;
      }
    }
    const before = scored.length;
    for (const ib of touched) {
      const score = (2 * shared[ib]!) / (to - from + b.bounds[ib + 1]! - b.bounds[ib]!);
      if (score >= threshold && shared[ib]! >= minSharedFeatures) scored.push([ia, ib, score]);
      shared[ib] = 0;
    }
    touched.length = 0;
    if (scored.length > before) matchedA++;
    if (minShare > 0 && (matchedA + countA - 1 - ia) / shorter < minShare) return { pairs: [], share: 0, orderedShare: 0 };
  }
  // The ordered chain may use any pairs above the threshold, not only the greedy ones: among
  // repeated or near-equal sentences the greedy choice can cross where an ordered choice exists.
  const chain = longestChain(scored);
  scored.sort((x, y) => y[2] - x[2] || x[0] - y[0] || x[1] - y[1]);
  const usedA = new Uint8Array(countA);
  const usedB = new Uint8Array(countB);
  const pairs: SentenceAlignment[] = [];
  for (const pair of scored) {
    if (usedA[pair[0]] || usedB[pair[1]]) continue;
    usedA[pair[0]] = 1;
    usedB[pair[1]] = 1;
    pairs.push([pair[0], pair[1], Math.round(pair[2] * 1000) / 1000]);
  }
  pairs.sort((x, y) => x[0] - y[0]);
  if (shorter === 0) return { pairs, share: 0, orderedShare: 0 };
  return { pairs, share: pairs.length / shorter, orderedShare: Math.min(chain, pairs.length) / shorter };
}

function nonEmpty(set: SentenceSet): number {
  let n = 0;
  for (let s = 0; s < sentenceCount(set); s++) if (set.bounds[s + 1]! > set.bounds[s]!) n++;
  return n;
}

/**
 * Length of the longest chain of pairs increasing in both indexes (each
 * sentence used once): pairs sorted by index in a, and by index in b
 * descending within one a, so a strictly increasing run in b takes at most
 * one pair per a (patience sorting, O(n log n)).
 */
function longestChain(pairs: SentenceAlignment[]): number {
  const values = [...pairs].sort((x, y) => x[0] - y[0] || y[1] - x[1]).map((p) => p[1]);
  const tails: number[] = [];
  for (const v of values) {
    tails[firstWhere(tails.length, (i) => tails[i]! >= v)] = v;
  }
  return tails.length;
}

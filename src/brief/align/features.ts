/**
 * Features of a sentence pair for the paraphrase classifier, in the line of the
 * feature-based MSRP systems: lexical overlap at several granularities (surface
 * words, stems, IDF-weighted content words, 1–4-gram precision and recall as in
 * BLEU, longest common subsequence, character n-grams), and the cheap signals that
 * separate "same topic" from "same fact": numbers, capitalised names and negation
 * present on one side only, and length difference. Then MT-evaluation metrics
 * (BLEU-n with brevity penalty, NIST-, METEOR- and TER-like scores over a one-to-one
 * word alignment), an alignment with a word similarity learned from the training
 * pairs, the longest unaligned stretch (an added clause), and what each word's being
 * shared or not meant in the labelled training pairs (the strongest addition: paired
 * cv log-loss on MSRP train -0.010 for all additions, -0.0075 of it from that one).
 * Asymmetric measures are taken in both directions and reported as their minimum and
 * maximum, so the vector does not depend on the order of the two sentences.
 */
import { isNegation, tokenize, type Token } from './tokens.js';

/** A sentence tokenized once and reused across every pair it takes part in. */
export interface PreparedSentence {
  text: string;
  tokens: Token[];
  lowers: string[];
  stems: string[];
  /** Stems of content words (not stopwords), in order. */
  content: string[];
  /** Stems as 32-bit hashes, in order (for sequence measures). */
  stemIds: Int32Array;
  /**
   * Sorted hashes for multiset intersections by merging: words, stems, content
   * stems. Hashing makes the hot comparisons integer ones; a 32-bit collision
   * inside one pair of sentences is too rare to matter.
   */
  sortedLowers: Int32Array;
  sortedStems: Int32Array;
  sortedContent: Int32Array;
  stemSet: Set<string>;
  contentSet: Set<string>;
  lowerSet: Set<string>;
  /** Sorted hashes of stem 2-, 3- and 4-grams, at indices 0, 1, 2. */
  grams: Int32Array[];
  numbers: Set<string>;
  /** Lower-cased capitalised words that are not sentence-initial. */
  capitals: string[];
  /** Sorted hashes of the character 3- and 4-grams of the lower-cased words joined by spaces. */
  chars3: Int32Array;
  chars4: Int32Array;
  negated: boolean;
  quoted: boolean;
}

/** Word statistics learned from the training sentences. */
export interface Idf {
  /** Inverse document frequency of a stem; unseen stems count as the rarest. */
  weight(stem: string): number;
  /**
   * How often two different content stems stand in for each other across the
   * paired training sentences, in [0, 1] (0 when unknown): a word similarity
   * learned from co-occurrence, in the spirit of Mihalcea et al. (2006).
   */
  related?(a: string, b: string): number;
  /**
   * Log-odds a stem (function words and numbers included) adds for "paraphrase" when it is in both sentences
   * (`shared`) or in only one, learned from labelled training pairs in the manner
   * of TF-KLD (Ji and Eisenstein 2013); 0 for stems seen too rarely.
   */
  evidence?(stem: string, shared: boolean): number;
}

export function prepare(text: string): PreparedSentence {
  const safe = typeof text === 'string' ? text : '';
  const tokens = tokenize(safe);
  const lowers = tokens.map((t) => t.lower);
  const squeezed = lowers.join(' ');
  const stems = tokens.map((t) => t.stem);
  const content = tokens.filter((t) => !t.stopword).map((t) => t.stem);
  const stemIds = Int32Array.from(stems, hash);
  return {
    text: safe,
    tokens,
    lowers,
    stems,
    content,
    stemIds,
    sortedLowers: Int32Array.from(lowers, hash).sort(),
    sortedStems: stemIds.slice().sort(),
    sortedContent: Int32Array.from(content, hash).sort(),
    stemSet: new Set(stems),
    contentSet: new Set(content),
    lowerSet: new Set(lowers),
    grams: [2, 3, 4].map((n) => ngrams(stemIds, n)),
    numbers: new Set(tokens.filter((t) => t.kind === 'number').map((t) => t.lower)),
    capitals: tokens.filter((t) => t.capitalised && !t.stopword).map((t) => t.lower),
    chars3: charGrams(squeezed, 3),
    chars4: charGrams(squeezed, 4),
    negated: tokens.some((t) => isNegation(t.lower)),
    quoted: /["“”]/.test(safe),
  };
}

/**
 * A sentence's word statistics under one model, computed on its first pair and
 * reused: in a story each sentence meets many partners.
 */
interface Weighted {
  idf: Idf;
  /** IDF of each token's stem. */
  tokens: Float64Array;
  /** Distinct content stems in order and their IDF. */
  content: string[];
  contentIdf: Float64Array;
  /** Distinct stems (function words and numbers too) in order, and their evidence when shared and when not. */
  evidenceStems: string[];
  sharedEvidence: Float64Array;
  aloneEvidence: Float64Array;
  /** Stem unigram and bigram hashes, sorted, each with its information (IDF of its last stem). */
  grams: { keys: Int32Array; info: Float64Array }[];
}

const weightedCache = new WeakMap<PreparedSentence, Weighted>();

function weighted(s: PreparedSentence, idf: Idf): Weighted {
  const cached = weightedCache.get(s);
  if (cached && cached.idf === idf) return cached;
  const tokens = Float64Array.from(s.stems, (stem) => idf.weight(stem));
  const content = [...s.contentSet];
  const evidence = idf.evidence?.bind(idf);
  const grams = [1, 2].map((n) => {
    const count = Math.max(0, s.stemIds.length - n + 1);
    const keys = new Int32Array(count);
    for (let i = 0; i < count; i++) keys[i] = n === 1 ? s.stemIds[i] : Math.imul(s.stemIds[i] ^ 0x9e3779b9, 0x01000193) ^ s.stemIds[i + 1];
    const order = [...keys.keys()].sort((x, y) => keys[x] - keys[y]);
    return { keys: Int32Array.from(order, (i) => keys[i]), info: Float64Array.from(order, (i) => tokens[i + n - 1]) };
  });
  const result: Weighted = {
    idf,
    tokens,
    content,
    contentIdf: Float64Array.from(content, (stem) => idf.weight(stem)),
    sharedEvidence: Float64Array.from(s.stemSet, (stem) => (evidence ? evidence(stem, true) : 0)),
    aloneEvidence: Float64Array.from(s.stemSet, (stem) => (evidence ? evidence(stem, false) : 0)),
    evidenceStems: [...s.stemSet],
    grams,
  };
  weightedCache.set(s, result);
  return result;
}

export const FEATURE_NAMES = [
  'word_min', 'word_max', 'word_f1',
  'stem_min', 'stem_max', 'stem_f1',
  'content_min', 'content_max',
  'idf_min', 'idf_max', 'idf_f1',
  'bigram_min', 'bigram_max', 'trigram_min', 'trigram_max', 'fourgram_min', 'fourgram_max',
  'bleu_min', 'bleu_max',
  'lcs_min', 'lcs_max',
  'char3_dice', 'char4_dice',
  'fuzzy_min', 'fuzzy_max',
  'unmatched_idf_min', 'unmatched_idf_max',
  'numbers_both', 'numbers_unmatched', 'numbers_conflict', 'numbers_one_side',
  'names_unmatched_min', 'names_unmatched_max',
  'negation_mismatch', 'quote_mismatch',
  'length_diff', 'length_log_ratio', 'length_min_log',
  'order_concordance', 'jaccard_stem',
  'edit_min', 'edit_max', 'content_unmatched_min', 'content_unmatched_max',
  // MT-evaluation metrics in both directions (Madnani et al. 2012): BLEU-n with brevity penalty,
  // NIST-like information-weighted matches, a METEOR-like aligned F-mean with fragmentation, a TER-like rate.
  'bleu1_min', 'bleu1_max', 'bleu2_min', 'bleu2_max', 'bleu3_min', 'bleu3_max', 'bleu4_min', 'bleu4_max',
  'nist_min', 'nist_max',
  'meteor_min', 'meteor_max', 'meteor_fragmentation', 'meteor_recall_min',
  'ter_min', 'ter_max',
  // Greedy word alignment with learned word similarity, IDF-weighted (Mihalcea et al. 2006).
  'semantic_min', 'semantic_max', 'related_matches',
  // What each word's being shared or not has meant in the labelled training pairs.
  'evidence_sum', 'evidence_min', 'evidence_max',
  'gap_min', 'gap_max',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** The feature vector of a pair, in `FEATURE_NAMES` order. */
export function pairFeatures(a: PreparedSentence, b: PreparedSentence, idf: Idf): number[] {
  const f: number[] = [];
  const wordAB = overlap(a.sortedLowers, b.sortedLowers);
  pushBoth(f, ratio(wordAB, a.lowers.length), ratio(wordAB, b.lowers.length), true);
  const stemAB = overlap(a.sortedStems, b.sortedStems);
  pushBoth(f, ratio(stemAB, a.stems.length), ratio(stemAB, b.stems.length), true);
  const contentAB = overlap(a.sortedContent, b.sortedContent);
  pushBoth(f, ratio(contentAB, a.content.length), ratio(contentAB, b.content.length), false);

  const wa = weighted(a, idf);
  const wb = weighted(b, idf);
  const idfA = weightedCoverage(wa, b.contentSet);
  const idfB = weightedCoverage(wb, a.contentSet);
  pushBoth(f, idfA.covered, idfB.covered, true);

  const precisions: [number[], number[]] = [[ratio(stemAB, a.stems.length)], [ratio(stemAB, b.stems.length)]];
  // Per order n at n - 1: shared n-grams, n-grams of a, n-grams of b.
  const grams: number[][] = [[stemAB, a.stems.length, b.stems.length]];
  for (let n = 2; n <= 4; n++) {
    const gramsA = a.grams[n - 2];
    const gramsB = b.grams[n - 2];
    const shared = overlap(gramsA, gramsB);
    grams.push([shared, gramsA.length, gramsB.length]);
    const pa = ratio(shared, gramsA.length);
    const pb = ratio(shared, gramsB.length);
    precisions[0].push(pa);
    precisions[1].push(pb);
    pushBoth(f, pa, pb, false);
  }
  pushBoth(f, bleu(precisions[0]), bleu(precisions[1]), false);

  const { lcs, edits } = sequenceAlignment(a.stemIds, b.stemIds);
  pushBoth(f, ratio(lcs, a.stems.length), ratio(lcs, b.stems.length), false);

  f.push(dice(a.chars3, b.chars3), dice(a.chars4, b.chars4));

  const fuzzyA = fuzzyCoverage(a.content, b.contentSet);
  const fuzzyB = fuzzyCoverage(b.content, a.contentSet);
  pushBoth(f, fuzzyA, fuzzyB, false);

  // Content left over on each side, in IDF units: a long unmatched clause is new information.
  pushBoth(f, Math.log1p(idfA.missing), Math.log1p(idfB.missing), false);

  const onlyA = [...a.numbers].filter((n) => !b.numbers.has(n)).length;
  const onlyB = [...b.numbers].filter((n) => !a.numbers.has(n)).length;
  const both = a.numbers.size > 0 && b.numbers.size > 0;
  f.push(
    both ? 1 : 0,
    Math.min(onlyA + onlyB, 4),
    both && onlyA + onlyB > 0 ? 1 : 0,
    (onlyA > 0 && b.numbers.size === 0) || (onlyB > 0 && a.numbers.size === 0) ? 1 : 0,
  );

  const namesA = unmatchedNames(a.capitals, b);
  const namesB = unmatchedNames(b.capitals, a);
  f.push(Math.min(namesA, namesB), Math.max(namesA, namesB));

  f.push(a.negated !== b.negated ? 1 : 0, a.quoted !== b.quoted ? 1 : 0);

  const la = a.tokens.length;
  const lb = b.tokens.length;
  f.push(
    Math.abs(la - lb) / Math.max(1, la, lb),
    Math.abs(Math.log(la + 1) - Math.log(lb + 1)), // a difference, so that it is exactly symmetric
    Math.log1p(Math.min(la, lb)),
  );

  f.push(orderConcordance(a.stems, b.stems), jaccard(a.stemSet, b.stemSet));

  // Word error rate as in MT evaluation: edits to turn one stem sequence into the other.
  pushBoth(f, ratio(edits, a.stems.length), ratio(edits, b.stems.length), false);
  const unmatchedA = a.content.length - contentAB;
  const unmatchedB = b.content.length - contentAB;
  pushBoth(f, Math.min(unmatchedA, 12), Math.min(unmatchedB, 12), false);

  for (let n = 1; n <= 4; n++) {
    pushBoth(f, bleuWithPenalty(grams, n, 1), bleuWithPenalty(grams, n, 2), false);
  }
  const nistInfo = [0, 1].map((k) => sharedInformation(wa.grams[k], wb.grams[k]));
  pushBoth(f, nistLike(nistInfo, wa, wb), nistLike(nistInfo, wb, wa), false);

  // The greedy alignment depends on which side leads: let the text decide, so that the vector does not depend on the order of the pair.
  const alignment = a.text <= b.text ? alignWords(a, b, wa, wb, idf) : alignWords(b, a, wb, wa, idf);
  const m = alignment.matched;
  const precision = ratio(m, a.tokens.length);
  const recall = ratio(m, b.tokens.length);
  const fragmentation = m > 0 ? alignment.chunks / m : 1;
  const penalty = 0.5 * fragmentation ** 3;
  pushBoth(f, meteorMean(precision, recall) * (1 - penalty), meteorMean(recall, precision) * (1 - penalty), false);
  f.push(fragmentation, Math.min(precision, recall));
  // Edits as in TER: unaligned words pair up as substitutions, the rest are insertions or deletions, plus one shift per moved block.
  const terEdits = Math.max(a.tokens.length - m, b.tokens.length - m) + alignment.shifts;
  pushBoth(f, ratio(terEdits, b.tokens.length), ratio(terEdits, a.tokens.length), false);
  pushBoth(f, alignment.semanticA, alignment.semanticB, false);
  f.push(Math.min(alignment.related, 4));
  f.push(...wordEvidence(wa, b, wb, a));
  pushBoth(f, Math.min(alignment.gapA, 10), Math.min(alignment.gapB, 10), false);
  return f;
}

/** Sum, most negative and most positive evidence of the stems of either sentence. */
function wordEvidence(wa: Weighted, b: PreparedSentence, wb: Weighted, a: PreparedSentence): [number, number, number] {
  if (!wa.idf.evidence) return [0, 0, 0];
  let sum = 0;
  let min = 0;
  let max = 0;
  const add = (value: number) => {
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  };
  wa.evidenceStems.forEach((s, i) => add(b.stemSet.has(s) ? wa.sharedEvidence[i] : wa.aloneEvidence[i]));
  wb.evidenceStems.forEach((s, i) => {
    if (!a.stemSet.has(s)) add(wb.aloneEvidence[i]);
  });
  return [sum, min, max];
}

/**
 * `grams[k]` holds, for order k + 1: shared n-grams, n-grams of the first sentence, of the second.
 * BLEU up to order `n` of one sentence against the other as reference: geometric mean of
 * clipped n-gram precisions (orders above 1 add-one smoothed, as for single sentences),
 * times the brevity penalty for a candidate shorter than its reference.
 */
function bleuWithPenalty(grams: number[][], n: number, candidateSide: 1 | 2): number {
  const candidateLength = grams[0][candidateSide];
  const referenceLength = grams[0][3 - candidateSide];
  if (candidateLength === 0) return 0;
  let logSum = 0;
  for (let k = 0; k < n; k++) {
    const shared = grams[k][0];
    const total = grams[k][candidateSide];
    logSum += k === 0 ? Math.log(Math.max(shared, 0.1) / Math.max(total, 1)) : Math.log((shared + 1) / (total + 1));
  }
  const brevity = candidateLength < referenceLength ? Math.exp(1 - referenceLength / candidateLength) : 1;
  return brevity * Math.exp(logSum / n);
}

/** Information of the n-grams two sentences share (multiset intersection of sorted hashes). */
function sharedInformation(a: { keys: Int32Array; info: Float64Array }, b: { keys: Int32Array }): number {
  let i = 0;
  let j = 0;
  let info = 0;
  while (i < a.keys.length && j < b.keys.length) {
    if (a.keys[i] === b.keys[j]) {
      info += a.info[i];
      i++;
      j++;
    } else if (a.keys[i] < b.keys[j]) i++;
    else j++;
  }
  return info;
}

/**
 * NIST-like score of `candidate` against `reference`: the information of the matched
 * unigrams and bigrams (IDF of the word, of the bigram's second word) per candidate
 * n-gram, with NIST's gentler brevity penalty.
 */
function nistLike(sharedInfo: number[], candidate: Weighted, reference: Weighted): number {
  const c = candidate.tokens.length;
  if (c === 0) return 0;
  let score = 0;
  for (let k = 0; k < 2; k++) if (candidate.grams[k].keys.length > 0) score += sharedInfo[k] / candidate.grams[k].keys.length;
  const lengthRatio = Math.min(1, c / Math.max(1, reference.tokens.length));
  return score * Math.exp(NIST_BETA * Math.log(lengthRatio) ** 2);
}

// NIST's brevity factor: 0.5 when the candidate has two thirds of the reference's length.
const NIST_BETA = Math.log(0.5) / Math.log(2 / 3) ** 2;

/** METEOR's harmonic mean, weighting recall nine times precision. */
function meteorMean(precision: number, recall: number): number {
  return precision > 0 && recall > 0 ? (10 * precision * recall) / (recall + 9 * precision) : 0;
}

interface WordAlignment {
  /** Tokens aligned one to one. */
  matched: number;
  /** Runs of aligned tokens adjacent and in the same order on both sides. */
  chunks: number;
  /** Chunks that sit before an earlier chunk's counterpart (moved blocks). */
  shifts: number;
  /** Content words aligned through the learned word similarity only. */
  related: number;
  /** IDF-weighted share of each side's content words aligned, each alignment counted by its similarity. */
  semanticA: number;
  semanticB: number;
  /** Content words in the longest run of unaligned tokens on each side (an added clause, not rewording). */
  gapA: number;
  gapB: number;
}

/**
 * One-to-one word alignment in METEOR's stages: same word, same stem, close spelling,
 * then (content words only) learned word similarity. Within a stage a word takes the
 * counterpart that continues the previous word's alignment, else the one at the
 * nearest relative position, which keeps chunks long as METEOR's search does.
 */
function alignWords(a: PreparedSentence, b: PreparedSentence, wa: Weighted, wb: Weighted, idf: Idf): WordAlignment {
  const na = a.tokens.length;
  const nb = b.tokens.length;
  const toB = new Int32Array(na).fill(-1);
  const toA = new Int32Array(nb).fill(-1);
  const similarity = new Float32Array(na);
  const ta = a.tokens;
  const tb = b.tokens;
  const lookup = idf.related?.bind(idf);
  // Stages: 0 same word, 1 same stem, 2 close spelling, 3 learned similarity. One loop with a
  // switch rather than a callback per stage keeps the inner loop monomorphic.
  let related = 0;
  for (let stage = 0; stage < (lookup ? 4 : 3); stage++) {
    for (let i = 0; i < na; i++) {
      if (toB[i] >= 0) continue;
      const ti = ta[i];
      if (stage >= 2 && (ti.stopword || ti.kind !== 'word')) continue;
      const previous = i > 0 ? toB[i - 1] : -1;
      let best = -1;
      let bestScore = 0;
      let bestDistance = Infinity;
      for (let j = 0; j < nb; j++) {
        if (toA[j] >= 0) continue;
        const tj = tb[j];
        let score: number;
        switch (stage) {
          case 0: score = ti.lower === tj.lower ? 1 : 0; break;
          case 1: score = a.stemIds[i] === b.stemIds[j] && ti.stem === tj.stem ? 1 : 0; break;
          case 2: score = tj.kind === 'word' && !tj.stopword && similarSpelling(ti.lower, tj.lower) ? 0.9 : 0; break;
          default: score = tj.kind === 'word' && !tj.stopword ? lookup!(ti.stem, tj.stem) : 0;
        }
        if (score <= 0) continue;
        const distance = previous >= 0 && j === previous + 1 ? -1 : Math.abs(i / na - j / nb);
        if (score > bestScore || (score === bestScore && distance < bestDistance)) {
          best = j;
          bestScore = score;
          bestDistance = distance;
        }
      }
      if (best >= 0) {
        toB[i] = best;
        toA[best] = i;
        similarity[i] = bestScore;
        if (stage === 3) related++;
      }
    }
  }

  let matched = 0;
  let chunks = 0;
  let shifts = 0;
  let lastI = -2;
  let lastJ = -2;
  let furthestJ = -1;
  for (let i = 0; i < na; i++) {
    const j = toB[i];
    if (j < 0) continue;
    matched++;
    if (i !== lastI + 1 || j !== lastJ + 1) {
      chunks++;
      if (j < furthestJ) shifts++;
    }
    if (j > furthestJ) furthestJ = j;
    lastI = i;
    lastJ = j;
  }

  const semanticA = weightedAlignedShare(ta, wa.tokens, toB, (i) => similarity[i]);
  const semanticB = weightedAlignedShare(tb, wb.tokens, toA, (j) => similarity[toA[j]]);
  return { matched, chunks, shifts, related, semanticA, semanticB, gapA: longestGap(ta, toB), gapB: longestGap(tb, toA) };
}

/** Content words in the longest run of unaligned tokens; stopwords extend a run but do not count. */
function longestGap(tokens: Token[], counterpart: Int32Array): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (counterpart[i] >= 0) run = 0;
    else if (!tokens[i].stopword && ++run > best) best = run;
  }
  return best;
}

/** IDF-weighted share of a sentence's content words that are aligned, each by its alignment's similarity. */
function weightedAlignedShare(tokens: Token[], weights: Float64Array, counterpart: Int32Array, similarityOf: (i: number) => number): number {
  let total = 0;
  let covered = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].stopword) continue;
    const w = weights[i];
    total += w;
    if (counterpart[i] >= 0) covered += w * similarityOf(i);
  }
  return ratio(covered, total);
}

function pushBoth(f: number[], x: number, y: number, withF1: boolean): void {
  f.push(Math.min(x, y), Math.max(x, y));
  if (withF1) f.push(x + y > 0 ? (2 * x * y) / (x + y) : 0);
}

function ratio(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/** 32-bit FNV-1a hash of a string. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/** Size of the multiset intersection of two sorted lists, by merging. */
function overlap(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return shared;
}

/** Sorted hashes of the n-grams of a hashed sequence. */
function ngrams(ids: Int32Array, n: number): Int32Array {
  const grams = new Int32Array(Math.max(0, ids.length - n + 1));
  for (let i = 0; i < grams.length; i++) {
    let h = 0x811c9dc5;
    for (let k = 0; k < n; k++) h = Math.imul(h ^ ids[i + k], 0x01000193);
    grams[i] = h;
  }
  return grams.sort();
}

/** Geometric mean of 1–4-gram precisions, add-one smoothed so one empty order does not zero it. */
function bleu(precisions: number[]): number {
  let logSum = 0;
  for (const p of precisions) logSum += Math.log((p * 20 + 1) / 21);
  return Math.exp(logSum / precisions.length);
}

function weightedCoverage(from: Weighted, to: Set<string>): { covered: number; missing: number } {
  let total = 0;
  let covered = 0;
  from.content.forEach((s, i) => {
    const w = from.contentIdf[i];
    total += w;
    if (to.has(s)) covered += w;
  });
  return { covered: total > 0 ? covered / total : 0, missing: total - covered };
}

/** Longest common subsequence and word edit distance of two hashed sequences, in one pass. */
function sequenceAlignment(a: Int32Array, b: Int32Array): { lcs: number; edits: number } {
  let lcsPrevious = new Int32Array(b.length + 1);
  let lcsCurrent = new Int32Array(b.length + 1);
  let editPrevious = Int32Array.from({ length: b.length + 1 }, (_, j) => j);
  let editCurrent = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    editCurrent[0] = i;
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      const same = ai === b[j - 1];
      lcsCurrent[j] = same ? lcsPrevious[j - 1] + 1 : Math.max(lcsPrevious[j], lcsCurrent[j - 1]);
      editCurrent[j] = Math.min(editPrevious[j] + 1, editCurrent[j - 1] + 1, editPrevious[j - 1] + (same ? 0 : 1));
    }
    [lcsPrevious, lcsCurrent] = [lcsCurrent, lcsPrevious];
    [editPrevious, editCurrent] = [editCurrent, editPrevious];
  }
  return { lcs: lcsPrevious[b.length], edits: editPrevious[b.length] };
}

/** Sorted hashes of a text's character n-grams, computed without slicing substrings. */
function charGrams(text: string, n: number): Int32Array {
  const grams = new Int32Array(Math.max(0, text.length - n + 1));
  for (let i = 0; i < grams.length; i++) {
    let h = 0x811c9dc5;
    for (let k = 0; k < n; k++) h = Math.imul(h ^ text.charCodeAt(i + k), 0x01000193);
    grams[i] = h;
  }
  return grams.sort();
}

function dice(a: Int32Array, b: Int32Array): number {
  return a.length + b.length > 0 ? (2 * overlap(a, b)) / (a.length + b.length) : 0;
}

/**
 * Share of content words in `from` that have a counterpart in `to`: the same stem,
 * or a spelling close enough (shared 5-letter prefix, or most character trigrams),
 * which catches Zelensky/Zelenskyy and nominalisations the stemmer misses.
 */
function fuzzyCoverage(from: string[], to: Set<string>): number {
  if (from.length === 0) return 0;
  let matched = 0;
  for (const word of from) {
    if (to.has(word)) matched++;
    else for (const other of to) {
      if (similarSpelling(word, other)) {
        matched++;
        break;
      }
    }
  }
  return matched / from.length;
}

export function similarSpelling(a: string, b: string): boolean {
  if (a === b) return true;
  // Spelling variants of one word share their first two letters (Zelensky/Zelenskyy, Al-Kut/Kut aside).
  if (a.length < 4 || b.length < 4 || a.charCodeAt(0) !== b.charCodeAt(0) || a.charCodeAt(1) !== b.charCodeAt(1)) return false;
  if (Math.abs(a.length - b.length) > 2) return false;
  if (a.length >= 5 && b.length >= 5 && a.startsWith(b.slice(0, 5))) return true;
  return editDistanceAtMost(a, b, Math.max(a.length, b.length) >= 7 ? 2 : 1);
}

/** Levenshtein distance <= limit, abandoning as soon as a row cannot get there. */
function editDistanceAtMost(a: string, b: string, limit: number): boolean {
  let previous = new Uint16Array(b.length + 1);
  let current = new Uint16Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      current[j] = value;
      if (value < best) best = value;
    }
    if (best > limit) return false;
    [previous, current] = [current, previous];
  }
  return previous[b.length] <= limit;
}

/** Capitalised words of one sentence with no counterpart anywhere in the other. */
function unmatchedNames(capitals: string[], other: PreparedSentence): number {
  let count = 0;
  for (const name of capitals) {
    if (!other.lowerSet.has(name) && !other.lowers.some((w) => similarSpelling(name, w))) count++;
  }
  return Math.min(count, 4);
}

/** Of the words both sentences share once each, the share of pairs kept in the same order. */
function orderConcordance(a: string[], b: string[]): number {
  const positionsB = new Map<string, number>();
  const repeated = new Set<string>();
  b.forEach((s, i) => (positionsB.has(s) ? repeated.add(s) : positionsB.set(s, i)));
  const sequence: number[] = [];
  const seenA = new Set<string>();
  for (const s of a) {
    if (seenA.has(s)) repeated.add(s);
    seenA.add(s);
  }
  for (const s of a) {
    const j = positionsB.get(s);
    if (j !== undefined && !repeated.has(s)) sequence.push(j);
  }
  if (sequence.length < 2) return 1;
  let concordant = 0;
  let pairs = 0;
  for (let i = 0; i < sequence.length; i++) {
    for (let j = i + 1; j < sequence.length; j++) {
      pairs++;
      if (sequence[j] > sequence[i]) concordant++;
    }
  }
  return concordant / pairs;
}

function jaccard(setA: Set<string>, setB: Set<string>): number {
  let shared = 0;
  for (const x of setA) if (setB.has(x)) shared++;
  const union = setA.size + setB.size - shared;
  return union > 0 ? shared / union : 0;
}

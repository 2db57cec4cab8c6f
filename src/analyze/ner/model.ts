/**
 * The trained entity tagger: a sparse linear model over `features.ts` with
 * first-order tag transitions, decoded by Viterbi under BILOU constraints.
 * The weights file is written by scripts/train-ner.ts (`npm run train:ner`).
 */
import {
  allowedTransition, biasFeature, boundaryFeatures, caseCounts, casingIndex, casingIndexHashes, contextFeatures, contextRoom, countCase,
  gazetteerEntry, hashString, isCapitalised, isCapsSentence, mostCommonCase, neighbourOffsets, ownFeatureCount, prepareWords, shape, tags,
  withPrefixes, writeFormFeatures, type DocumentContext, type Gazetteer, type WordFacts,
} from './features.js';
import { readModel } from '../models.js';
import { decodeBase64 } from '../weights.js';

/** What scripts/train-ner.ts writes (gzipped JSON). */
export interface ModelFile {
  version: 1;
  tags: string[];
  /** Weight = stored integer × scale. */
  scale: number;
  /** Row-major `(tags.length + 1) × (tags.length + 1)`: row 0 is the sentence start, column 0 the end. */
  transitions: number[];
  /** `phrase\tbits` lines (see `Gazetteer`). */
  gazetteer: string[];
  /** base64 Int32Array: the feature hashes (`features.ts`) that carry weights. */
  features: string;
  /** base64 Uint8Array: non-zero weights per feature, in `features` order. */
  counts: string;
  /** base64 Uint8Array: the tag index of each non-zero weight. */
  weightTags: string;
  /** base64 Int16Array (little-endian): each non-zero weight. */
  weights: string;
}

export const tagCount = tags.length;

/** Transition scores with the BILOU constraints applied: forbidden moves are -Infinity. */
export function constrainTransitions(raw: ArrayLike<number>): Float64Array {
  const size = tagCount + 1;
  const out = new Float64Array(size * size);
  for (let from = 0; from < size; from += 1) {
    for (let to = 0; to < size; to += 1) {
      const previous = from === 0 ? -1 : from - 1;
      const next = to === 0 ? tagCount : to - 1;
      out[from * size + to] = from === 0 && to === 0 ? 0 : allowedTransition(previous, next) ? raw[from * size + to]! : -Infinity;
    }
  }
  return out;
}

/**
 * For each tag, the tags that may precede it under BILOU (a tag's own
 * constraint, whatever the weights): Viterbi only looks at these, about a
 * third of all pairs. Ascending, so ties break as in a full scan. Flat:
 * tag `t`'s predecessors are `predecessors[predecessorStart[t] …
 * predecessorStart[t + 1]]`.
 */
const predecessorStart = new Int32Array(tagCount + 1);
const predecessors: Int32Array = (() => {
  const from: number[] = [];
  for (let to = 0; to < tagCount; to += 1) {
    predecessorStart[to] = from.length;
    for (let p = 0; p < tagCount; p += 1) if (allowedTransition(p, to)) from.push(p);
  }
  predecessorStart[tagCount] = from.length;
  return Int32Array.from(from);
})();

/**
 * Under BILOU, O, B-x and U-x may each follow exactly the same nine tags, the
 * ones that end what came before (O, L-x, U-x): `closers`, ascending. A tag
 * with those predecessors is marked in `closes`; Viterbi reads the nine
 * scores once per token for all of them (81 of its 97 steps per token).
 */
const closers = Array.from(predecessors.subarray(predecessorStart[0]!, predecessorStart[1]!));
const closes = Uint8Array.from({ length: tagCount }, (_, t) => {
  const from = Array.from(predecessors.subarray(predecessorStart[t]!, predecessorStart[t + 1]!));
  return from.join() === closers.join() ? 1 : 0;
});
if (closers.length !== 9) throw new Error('the tagger\'s Viterbi expects nine tags that end an entity or O');
const [c0, c1, c2, c3, c4, c5, c6, c7, c8] = closers as [number, number, number, number, number, number, number, number, number];

/** The transition score of each entry of `predecessors` into its tag (laid out like `predecessors`). */
function predecessorScores(transitions: Float64Array): Float64Array {
  const size = tagCount + 1;
  const out = new Float64Array(predecessors.length);
  for (let t = 0; t < tagCount; t += 1) {
    for (let k = predecessorStart[t]!; k < predecessorStart[t + 1]!; k += 1) out[k] = transitions[(predecessors[k]! + 1) * size + t + 1]!;
  }
  return out;
}

/**
 * Buffers `viterbi` may reuse between calls (typed arrays are costly to
 * allocate per sentence), and the predecessor scores of the transitions last
 * used with them.
 */
export interface ViterbiScratch { score: Float64Array; back: Uint8Array; transitions?: Float64Array; entering?: Float64Array }

/**
 * Best tag sequence for `n` tokens given per-token tag scores (`n × tagCount`)
 * and transitions as `constrainTransitions` builds them.
 */
export function viterbi(emissions: Float64Array, n: number, transitions: Float64Array, scratch?: ViterbiScratch): number[] {
  const size = tagCount + 1;
  if (n === 0) return [];
  const score = scratch && scratch.score.length >= n * tagCount ? scratch.score : new Float64Array(n * tagCount);
  const back = scratch && scratch.back.length >= n * tagCount ? scratch.back : new Uint8Array(n * tagCount);
  const entering = scratch?.transitions === transitions ? scratch.entering! : predecessorScores(transitions);
  if (scratch) Object.assign(scratch, { score, back, transitions, entering });
  for (let t = 0; t < tagCount; t += 1) score[t] = transitions[t + 1]! + emissions[t]!;
  for (let i = 1; i < n; i += 1) {
    const previous = (i - 1) * tagCount;
    const current = i * tagCount;
    // The tags that end what came before, read once for every tag they may precede.
    const s0 = score[previous + c0]!;
    const s1 = score[previous + c1]!;
    const s2 = score[previous + c2]!;
    const s3 = score[previous + c3]!;
    const s4 = score[previous + c4]!;
    const s5 = score[previous + c5]!;
    const s6 = score[previous + c6]!;
    const s7 = score[previous + c7]!;
    const s8 = score[previous + c8]!;
    for (let t = 0; t < tagCount; t += 1) {
      let k = predecessorStart[t]!;
      let best: number;
      let bestFrom: number;
      if (closes[t] === 1) {
        // Ascending predecessors and a strict comparison: ties go to the first, as in a full scan.
        best = s0 + entering[k]!;
        bestFrom = c0;
        let s = s1 + entering[++k]!;
        if (s > best) { best = s; bestFrom = c1; }
        s = s2 + entering[++k]!;
        if (s > best) { best = s; bestFrom = c2; }
        s = s3 + entering[++k]!;
        if (s > best) { best = s; bestFrom = c3; }
        s = s4 + entering[++k]!;
        if (s > best) { best = s; bestFrom = c4; }
        s = s5 + entering[++k]!;
        if (s > best) { best = s; bestFrom = c5; }
        s = s6 + entering[++k]!;
        if (s > best) { best = s; bestFrom = c6; }
        s = s7 + entering[++k]!;
        if (s > best) { best = s; bestFrom = c7; }
        s = s8 + entering[++k]!;
        if (s > best) { best = s; bestFrom = c8; }
      } else {
        const stop = predecessorStart[t + 1]!;
        best = -Infinity;
        bestFrom = predecessors[k]!;
        for (; k < stop; k += 1) {
          const s = score[previous + predecessors[k]!]! + entering[k]!;
          if (s > best) { best = s; bestFrom = predecessors[k]!; }
        }
      }
      score[current + t] = best + emissions[current + t]!;
      back[current + t] = bestFrom;
    }
  }
  let best = -Infinity;
  let last = 0;
  for (let t = 0; t < tagCount; t += 1) {
    const s = score[(n - 1) * tagCount + t]! + transitions[(t + 1) * size]!;
    if (s > best) { best = s; last = t; }
  }
  const path = new Array<number>(n);
  path[n - 1] = last;
  for (let i = n - 1; i > 0; i -= 1) path[i - 1] = back[i * tagCount + path[i]!]!;
  return path;
}

/** Parses `phrase\tbits` lines. */
export function parseGazetteer(lines: string[]): Gazetteer {
  const names = new Map<string, number>();
  for (const line of lines) {
    const tab = line.lastIndexOf('\t');
    names.set(line.slice(0, tab), Number(line.slice(tab + 1)));
  }
  return withPrefixes(names);
}

/**
 * A word form of the document being tagged: what `contextFeatures` reads of
 * it, where its scores sit in the arena (-1 until scored), its `casingIndex`
 * and the casing counts of its lower case (`caseCounts`, once counted).
 */
interface Form extends WordFacts { word: string; at: number; cls: number; counts: Int32Array | null }

/** No document context: every form carries its own `docCase`. */
const formContext: DocumentContext = { casing: new Map() };

/** Score blocks per form: its own features, then one per `neighbour` feature. */
const formBlocks = 1 + neighbourOffsets.length;
/** A form's `own` then `neighbour` feature hashes (filled per form), and where in its block each one's scores go. */
const formHashes = new Int32Array(ownFeatureCount + neighbourOffsets.length);
const formTargets = Int32Array.from(formHashes, (_, f) => (f < ownFeatureCount ? 0 : (f - ownFeatureCount + 1) * tagCount));

/** The Bloom filter's word for a feature hash is its top bits (`hash >>> filterShift`); see `filterBits`. */
const filterShift = 18;

/** The two bits a feature hash sets in its filter word (from its low ten bits). */
function filterBits(hash: number): number {
  return (1 << (hash & 31)) | (1 << ((hash >>> 5) & 31));
}

export class Tagger {
  /**
   * Open-addressing table, two ints per slot: the feature hash (0 = empty)
   * and `offset * 32 + count` of its weights in `entries`. One cache line
   * answers a lookup, which matters more here than the arithmetic. Filled to
   * at most two thirds.
   */
  private readonly table: Int32Array;
  private readonly mask: number;
  /**
   * A Bloom filter of the model's features (two bits of one word per
   * feature, 64 KB, so it stays in cache where the table does not): a
   * feature the model lacks (about 4 lookups in 10) is most often known
   * absent without reading the table.
   */
  private readonly filter = new Int32Array(1 << (32 - filterShift));
  /**
   * Non-zero weights, one int each: the stored integer weight × 32 + the tag
   * it belongs to. 4 bytes a weight, 0.5 MB in all, and a feature's weights
   * and tags share one cache line (cache misses, not arithmetic, are what a
   * lookup costs: weights and tags apart took one more line per feature).
   */
  private readonly entries: Int32Array;
  private readonly scale: number;
  private readonly transitions: Float64Array;
  /** Per-form scores of the document being scored (see `scoreDocument`). */
  private arena = new Float64Array(256 * formBlocks * tagCount);
  /** Scores of `boundaryFeatures`, laid out like a form's neighbour scores. */
  private readonly boundaryScores: Float64Array;
  /** How every form's block starts: the bias feature's scores, then zeros. */
  private readonly formStart = new Float64Array(formBlocks * tagCount);
  readonly gazetteer: Gazetteer;

  constructor(file: ModelFile) {
    if (file.version !== 1 || file.tags.join() !== tags.join()) {
      throw new Error('models/ner.json.gz does not match this version of the tagger; run `npm run train:ner`');
    }
    const features = decodeBase64(file.features, (b) => new Int32Array(b));
    const counts = decodeBase64(file.counts, (b) => new Uint8Array(b));
    const weightTags = decodeBase64(file.weightTags, (b) => new Uint8Array(b));
    const weights = decodeBase64(file.weights, (b) => new Int16Array(b));
    let capacity = 1;
    while (capacity * 2 < features.length * 3) capacity *= 2;
    this.mask = capacity - 1;
    this.table = new Int32Array(capacity * 2);
    let offset = 0;
    features.forEach((hash, row) => {
      let slot = hash & this.mask;
      while (this.table[slot * 2] !== 0) slot = (slot + 1) & this.mask;
      this.table[slot * 2] = hash;
      this.table[slot * 2 + 1] = offset * 32 + counts[row]!;
      offset += counts[row]!;
      this.filter[hash >>> filterShift]! |= filterBits(hash);
    });
    this.entries = new Int32Array(weights.length);
    for (let k = 0; k < weights.length; k += 1) this.entries[k] = weights[k]! * 32 + weightTags[k]!;
    this.scale = file.scale;
    this.transitions = constrainTransitions(file.transitions);
    this.gazetteer = parseGazetteer(file.gazetteer);
    this.boundaryScores = new Float64Array(boundaryFeatures.length * tagCount);
    boundaryFeatures.forEach((hash, f) => this.add(hash, this.boundaryScores, f * tagCount));
    this.add(biasFeature, this.formStart, 0);
  }

  static load(url: URL): Tagger {
    return new Tagger(readModel<ModelFile>(url));
  }

  /** Adds the weights of one feature to `scores[base …]`; false when the model has none. */
  private add(hash: number, scores: Float64Array, base: number): boolean {
    const { table, mask, entries, scale } = this;
    let slot = hash & mask;
    let key = table[slot * 2]!;
    while (key !== hash) {
      if (key === 0) return false;
      slot = (slot + 1) & mask;
      key = table[slot * 2]!;
    }
    const packed = table[slot * 2 + 1]!;
    // A weight is the stored integer × scale rounded to float32, as the model had it before it was packed.
    for (let k = packed >>> 5, stop = k + (packed & 31); k < stop; k += 1) {
      const entry = entries[k]!;
      scores[base + (entry & 31)] += Math.fround((entry >> 5) * scale);
    }
    return true;
  }

  /** Scratch for `addAll`: each feature's slot, then the key found there, then its packed offset and count. */
  private probeSlots = new Int32Array(64);
  private probeKeys = new Int32Array(64);

  /**
   * Adds the weights of `hashes[from … to)` to `scores`: feature f's at
   * `scores[base + targets[f] …]` (at `base` when `targets` is null). The
   * same sums as `add` one feature at a time (the weights are multiples of
   * one unit, so every partial sum is exact and the order of additions
   * cannot change a score), but in phases: first every feature's first slot
   * is read, then the probes finish, then the weights are added. The reads of
   * one phase do not wait on each other, so their cache misses overlap
   * (a lookup is a cache miss far more than it is arithmetic).
   */
  private addAll(hashes: Int32Array, from: number, to: number, scores: Float64Array, base: number, targets: Int32Array | null): void {
    const { table, mask, entries, scale, filter } = this;
    if (to > this.probeSlots.length) {
      this.probeSlots = new Int32Array(to * 2);
      this.probeKeys = new Int32Array(to * 2);
    }
    const slots = this.probeSlots;
    const keys = this.probeKeys;
    for (let f = from; f < to; f += 1) {
      const hash = hashes[f]!;
      const bits = filterBits(hash);
      if ((filter[hash >>> filterShift]! & bits) !== bits) {
        slots[f] = -1;
        continue;
      }
      const slot = hash & mask;
      slots[f] = slot;
      keys[f] = table[slot * 2]!;
    }
    for (let f = from; f < to; f += 1) {
      const hash = hashes[f]!;
      let slot = slots[f]!;
      if (slot < 0) {
        keys[f] = 0;
        continue;
      }
      let key = keys[f]!;
      while (key !== hash && key !== 0) {
        slot = (slot + 1) & mask;
        key = table[slot * 2]!;
      }
      // Packed offset and count of the weights; 0 (no weights) when the model does not have the feature.
      keys[f] = key === 0 ? 0 : table[slot * 2 + 1]!;
    }
    for (let f = from; f < to; f += 1) {
      const packed = keys[f]!;
      const at = targets === null ? base : base + targets[f]!;
      for (let k = packed >>> 5, stop = k + (packed & 31); k < stop; k += 1) {
        const entry = entries[k]!;
        scores[at + (entry & 31)] += Math.fround((entry >> 5) * scale);
      }
    }
  }

  /**
   * Tags every sentence of one document (words in model form); returns tag
   * names. How words are capitalised in the document is read from
   * `document` (by default the sentences themselves; another value lets a
   * caller re-tag altered sentences).
   */
  tagDocument(sentences: string[][], document: string[][] = sentences): string[][] {
    const scratch: ViterbiScratch = { score: new Float64Array(64 * tagCount), back: new Uint8Array(64 * tagCount) };
    const out: string[][] = [];
    this.scoreDocument(sentences, document, (emissions, n) => out.push(viterbi(emissions, n, this.transitions, scratch).map((t) => tags[t]!)));
    return out;
  }

  /** Per-token tag scores (`n × tagCount` per sentence), as `tagDocument` decodes them. */
  emissions(sentences: string[][], document: string[][] = sentences): Float64Array[] {
    const out: Float64Array[] = [];
    this.scoreDocument(sentences, document, (emissions, n) => out.push(emissions.slice(0, n * tagCount)));
    return out;
  }

  /** Sum of the weights of some feature hashes (`tagCount` scores): what training's features add up to. */
  featureScores(hashes: ArrayLike<number>): Float64Array {
    const scores = new Float64Array(tagCount);
    for (let f = 0; f < hashes.length; f += 1) this.add(hashes[f]!, scores, 0);
    return scores;
  }

  /**
   * Scores each sentence in turn and hands the scores to `use` (the buffer is
   * reused for the next sentence). What a word form contributes whatever its
   * context is scored once per distinct form in the document (into one
   * growing arena); only `contextFeatures` are looked up per token. Each
   * distinct word is looked up once per token in one map, which also carries
   * how the document capitalises it (`documentContext`, counted over the
   * forms).
   */
  private scoreDocument(sentences: string[][], document: string[][], use: (emissions: Float64Array, n: number) => void): void {
    const forms = new Map<string, Form>();
    const formOf = (word: string): Form => {
      let form = forms.get(word);
      if (!form) {
        const lower = word.toLowerCase();
        const capitalised = isCapitalised(word);
        form = {
          word, lower, hashLower: hashString(lower), hashShape: hashString(shape(word)), capitalised,
          // The gazetteer is only read from capitalised words: look their own entry up once per form.
          gazetteerEntry: capitalised ? gazetteerEntry(this.gazetteer, lower) : undefined,
          docCase: null, at: -1, cls: casingIndex(word), counts: null,
        };
        forms.set(word, form);
      }
      return form;
    };
    // How the document capitalises each word (as `documentContext`): counted per form, then per lower case.
    const counts = new Map<string, Int32Array>();
    const caps = sentences.map(isCapsSentence);
    const info = sentences.map((words) => words.map(formOf));
    const documentCaps = document === sentences ? caps : document.map(isCapsSentence);
    const documentInfo = document === sentences ? info : document.map((words) => words.map(formOf));
    documentInfo.forEach((words, s) => {
      if (documentCaps[s]) return;
      for (let i = 1; i < words.length; i += 1) {
        const form = words[i]!;
        if (form.cls < 0) continue;
        form.counts ??= caseCounts(counts, form.lower);
        countCase(form.counts, form.cls);
      }
    });
    const blockSize = formBlocks * tagCount;
    // The arena outlives the call (allocating and growing it per document cost more than clearing each block).
    let arena = this.arena;
    let used = 0;
    const score = (form: Form): void => {
      if (used + blockSize > arena.length) {
        const grown = new Float64Array(arena.length * 2);
        grown.set(arena.subarray(0, used));
        arena = this.arena = grown;
      }
      // The bias's scores, the same for every form, start the block; the other features are looked up.
      arena.set(this.formStart, used);
      writeFormFeatures(form.word, form.lower, form.hashLower, form.hashShape, formHashes);
      this.addAll(formHashes, 1, formHashes.length, arena, used, formTargets);
      form.at = used;
      used += blockSize;
      const byClass = form.counts ?? counts.get(form.lower);
      form.docCase = byClass === undefined ? null : casingIndexHashes[mostCommonCase(byClass)]!;
    };
    let buffer = new Int32Array(64);
    let emissions = new Float64Array(64 * tagCount);
    sentences.forEach((words, s) => {
      const n = words.length;
      const forms = info[s]!;
      for (let i = 0; i < n; i += 1) if (forms[i]!.at < 0) score(forms[i]!);
      const sentence = prepareWords(forms, caps[s]!, this.gazetteer);
      const scores = arena; // (scoring may have replaced the arena; it does not change below)
      const boundary = this.boundaryScores;
      if (emissions.length < n * tagCount) emissions = new Float64Array(n * tagCount * 2);
      for (let i = 0; i < n; i += 1) {
        const base = i * tagCount;
        const own = forms[i]!.at;
        // The word's own scores plus its four neighbours' (`neighbourOffsets`; the boundary's beyond the sentence).
        const from0 = i - neighbourOffsets[0];
        const from1 = i - neighbourOffsets[1];
        const from2 = i - neighbourOffsets[2];
        const from3 = i - neighbourOffsets[3];
        const inside0 = from0 >= 0 && from0 < n;
        const inside1 = from1 >= 0 && from1 < n;
        const inside2 = from2 >= 0 && from2 < n;
        const inside3 = from3 >= 0 && from3 < n;
        const block0 = inside0 ? scores : boundary;
        const block1 = inside1 ? scores : boundary;
        const block2 = inside2 ? scores : boundary;
        const block3 = inside3 ? scores : boundary;
        const base0 = inside0 ? forms[from0]!.at + tagCount : 0;
        const base1 = inside1 ? forms[from1]!.at + 2 * tagCount : tagCount;
        const base2 = inside2 ? forms[from2]!.at + 3 * tagCount : 2 * tagCount;
        const base3 = inside3 ? forms[from3]!.at + 4 * tagCount : 3 * tagCount;
        for (let t = 0; t < tagCount; t += 1) {
          emissions[base + t] = scores[own + t]! + block0[base0 + t]! + block1[base1 + t]! + block2[base2 + t]! + block3[base3 + t]!;
        }
        const room = contextRoom(sentence, i);
        if (room > buffer.length) buffer = new Int32Array(room * 2);
        const count = contextFeatures(sentence, i, formContext, buffer, 0);
        this.addAll(buffer, 0, count, emissions, base, null);
      }
      use(emissions, n);
    });
  }
}

/** `[start, end)` token ranges and types of the entities in a BILOU (or BIO) tag sequence. */
export function tagSpans(sequence: string[]): Array<{ start: number; end: number; type: string }> {
  const spans: Array<{ start: number; end: number; type: string }> = [];
  let open: { start: number; type: string } | null = null;
  sequence.forEach((tag, i) => {
    const prefix = tag[0];
    const type = tag.slice(2);
    if (open && (prefix === 'I' || prefix === 'L') && type === open.type) {
      if (prefix === 'L') { spans.push({ start: open.start, end: i + 1, type }); open = null; }
      return;
    }
    if (open) spans.push({ start: open.start, end: i, type: open.type });
    open = null;
    if (prefix === 'U') spans.push({ start: i, end: i + 1, type });
    else if (prefix === 'B' || prefix === 'I' || prefix === 'L') {
      if (prefix === 'L') spans.push({ start: i, end: i + 1, type });
      else open = { start: i, type };
    }
  });
  if (open) spans.push({ start: (open as { start: number }).start, end: sequence.length, type: (open as { type: string }).type });
  return spans;
}

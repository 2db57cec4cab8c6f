/**
 * The trained entity tagger: a sparse linear model over `features.ts` with
 * first-order tag transitions, decoded by Viterbi under BILOU constraints.
 * The weights file is written by scripts/train-ner.ts (`npm run train:ner`).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import {
  allowedTransition, boundaryFeatures, contextFeatures, contextRoom, documentContext, gazetteerEntry, neighbourOffsets,
  prepareSentence, tags, withPrefixes, wordFeatures, type Gazetteer, type WordFeatures,
} from './features.js';

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
    for (let t = 0; t < tagCount; t += 1) {
      const stop = predecessorStart[t + 1]!;
      let k = predecessorStart[t]!;
      let best = -Infinity;
      let bestFrom = predecessors[k]!;
      for (; k < stop; k += 1) {
        const s = score[previous + predecessors[k]!]! + entering[k]!;
        if (s > best) { best = s; bestFrom = predecessors[k]!; }
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

function decode<T>(base64: string, make: (buffer: ArrayBuffer) => T): T {
  const bytes = Buffer.from(base64, 'base64');
  return make(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** A word form of the document being tagged: its features and where its scores sit in the arena. */
interface Form extends WordFeatures { at: number }

/** Score blocks per form: its own features, then one per `neighbour` feature. */
const formBlocks = 1 + neighbourOffsets.length;

export class Tagger {
  /**
   * Open-addressing table, two ints per slot: the feature hash (0 = empty)
   * and `offset * 32 + count` of its weights in `entryWeights` and `entryTags`. One cache line
   * answers a lookup, which matters more here than the arithmetic. Filled to
   * at most two thirds.
   */
  private readonly table: Int32Array;
  private readonly mask: number;
  /**
   * Non-zero weights as float32 (each exactly the stored integer × scale, as
   * the model had them before it was packed) and the tag each belongs to:
   * 5 bytes a weight, 0.7 MB in all, so the model stays in cache.
   */
  private readonly entryWeights: Float32Array;
  private readonly entryTags: Uint8Array;
  private readonly transitions: Float64Array;
  /** Per-form scores of the document being scored (see `scoreDocument`). */
  private arena = new Float64Array(256 * formBlocks * tagCount);
  /** Scores of `boundaryFeatures`, laid out like a form's neighbour scores. */
  private readonly boundaryScores: Float64Array;
  readonly gazetteer: Gazetteer;

  constructor(file: ModelFile) {
    if (file.version !== 1 || file.tags.join() !== tags.join()) {
      throw new Error('models/ner.json.gz does not match this version of the tagger; run `npm run train:ner`');
    }
    const features = decode(file.features, (b) => new Int32Array(b));
    const counts = decode(file.counts, (b) => new Uint8Array(b));
    const weightTags = decode(file.weightTags, (b) => new Uint8Array(b));
    const weights = decode(file.weights, (b) => new Int16Array(b));
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
    });
    this.entryWeights = new Float32Array(weights.length);
    for (let k = 0; k < weights.length; k += 1) this.entryWeights[k] = weights[k]! * file.scale;
    this.entryTags = weightTags;
    this.transitions = constrainTransitions(file.transitions);
    this.gazetteer = parseGazetteer(file.gazetteer);
    this.boundaryScores = new Float64Array(boundaryFeatures.length * tagCount);
    boundaryFeatures.forEach((hash, f) => this.add(hash, this.boundaryScores, f * tagCount));
  }

  static load(url: URL): Tagger {
    return new Tagger(JSON.parse(gunzipSync(readFileSync(url)).toString('utf8')) as ModelFile);
  }

  /** Adds the weights of one feature to `scores[base …]`; false when the model has none. */
  private add(hash: number, scores: Float64Array, base: number): boolean {
    const { table, mask, entryWeights, entryTags } = this;
    let slot = hash & mask;
    let key = table[slot * 2]!;
    while (key !== hash) {
      if (key === 0) return false;
      slot = (slot + 1) & mask;
      key = table[slot * 2]!;
    }
    const packed = table[slot * 2 + 1]!;
    for (let k = packed >>> 5, stop = k + (packed & 31); k < stop; k += 1) scores[base + entryTags[k]!] += entryWeights[k]!;
    return true;
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
   * growing arena); only `contextFeatures` are looked up per token.
   */
  private scoreDocument(sentences: string[][], document: string[][], use: (emissions: Float64Array, n: number) => void): void {
    const context = documentContext(document);
    const forms = new Map<string, Form>();
    const blockSize = formBlocks * tagCount;
    // The arena outlives the call (allocating and growing it per document cost more than clearing each block).
    let arena = this.arena;
    let used = 0;
    const lookup = (word: string): Form => {
      let form = forms.get(word);
      if (!form) {
        if (used + blockSize > arena.length) {
          const grown = new Float64Array(arena.length * 2);
          grown.set(arena.subarray(0, used));
          arena = this.arena = grown;
        }
        arena.fill(0, used, used + blockSize);
        const { lower, hashLower, hashShape, capitalised, own, neighbour } = wordFeatures(word);
        // The gazetteer is only read from capitalised words: look their own entry up once per form.
        const entry = capitalised ? gazetteerEntry(this.gazetteer, lower) : undefined;
        form = { lower, hashLower, hashShape, capitalised, own, neighbour, gazetteerEntry: entry, at: used };
        for (let f = 0; f < form.own.length; f += 1) this.add(form.own[f]!, arena, used);
        for (let f = 0; f < form.neighbour.length; f += 1) this.add(form.neighbour[f]!, arena, used + (f + 1) * tagCount);
        forms.set(word, form);
        used += blockSize;
      }
      return form;
    };
    let buffer = new Int32Array(64);
    let emissions = new Float64Array(64 * tagCount);
    for (const words of sentences) {
      const n = words.length;
      const sentence = prepareSentence(words, this.gazetteer, lookup);
      const { info } = sentence;
      const scores = arena; // (lookup may have replaced the arena; it does not change below)
      if (emissions.length < n * tagCount) emissions = new Float64Array(n * tagCount * 2);
      for (let i = 0; i < n; i += 1) {
        const base = i * tagCount;
        const own = info[i]!.at;
        // The word's own scores plus its four neighbours' (`neighbourOffsets`; the boundary's beyond the
        // sentence), summed in that order in one pass.
        const boundary = this.boundaryScores;
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
        const base0 = inside0 ? info[from0]!.at + tagCount : 0;
        const base1 = inside1 ? info[from1]!.at + 2 * tagCount : tagCount;
        const base2 = inside2 ? info[from2]!.at + 3 * tagCount : 2 * tagCount;
        const base3 = inside3 ? info[from3]!.at + 4 * tagCount : 3 * tagCount;
        for (let t = 0; t < tagCount; t += 1) {
          emissions[base + t] = scores[own + t]! + block0[base0 + t]! + block1[base1 + t]! + block2[base2 + t]! + block3[base3 + t]!;
        }
        const room = contextRoom(sentence, i);
        if (room > buffer.length) buffer = new Int32Array(room * 2);
        const count = contextFeatures(sentence, i, context, buffer, 0);
        for (let f = 0; f < count; f += 1) this.add(buffer[f]!, emissions, base);
      }
      use(emissions, n);
    }
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

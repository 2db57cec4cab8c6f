/**
 * The averaged perceptron the taggers' training scripts share
 * (scripts/train-quotes.ts, scripts/train-phrases.ts): weights per hashed
 * feature and tag, averaged lazily over every step (each weight remembers
 * when it last changed), and stored as Int16 × scale with the weakest
 * features dropped (src/analyze/weights.ts reads them back).
 */
export class AveragedPerceptron {
  readonly weights = new Map<number, Float64Array>();
  private readonly totals = new Map<number, Float64Array>();
  private readonly stamps = new Map<number, Int32Array>();
  private clock = 0;

  constructor(readonly tagCount: number) {}

  /** Adds the weights of `features` in `table` (the live weights unless given) to `scores`. */
  score(features: ArrayLike<number>, scores: Float64Array, table: Map<number, Float64Array> = this.weights): void {
    for (let i = 0; i < features.length; i++) {
      const w = table.get(features[i]);
      if (w) for (let k = 0; k < this.tagCount; k++) scores[k] += w[k];
    }
  }

  /** One step of the clock: call once per decision, updated or not. */
  tick(): void {
    this.clock++;
  }

  /** Moves the weights of `features` for `tag` by `delta`. */
  update(features: ArrayLike<number>, tag: number, delta: number): void {
    for (let i = 0; i < features.length; i++) {
      const f = features[i];
      let w = this.weights.get(f);
      if (!w) {
        w = new Float64Array(this.tagCount);
        this.weights.set(f, w);
        this.totals.set(f, new Float64Array(this.tagCount));
        this.stamps.set(f, new Int32Array(this.tagCount));
      }
      const total = this.totals.get(f)!;
      const stamp = this.stamps.get(f)!;
      total[tag] += (this.clock - stamp[tag]) * w[tag];
      stamp[tag] = this.clock;
      w[tag] += delta;
    }
  }

  /**
   * Greedy left-to-right tags of one sequence under `table` (the live weights
   * or averaged ones). With `gold`, it learns: the history features see the
   * gold tags (the tagger's own early mistakes would otherwise compound) and
   * each wrong guess moves the weights; without, they see its predictions, as
   * at run time.
   */
  decode(table: Map<number, Float64Array>, sequence: GreedySequence, gold: ArrayLike<number> | null): number[] {
    const { length, statics, staticCount, historyCount, history, allowed = () => true, fixed } = sequence;
    const predicted: number[] = [];
    const scores = new Float64Array(this.tagCount);
    const features = new Int32Array(staticCount + historyCount);
    for (let i = 0; i < length; i++) {
      const known = fixed ? fixed(i) : -1;
      if (known >= 0) {
        predicted.push(known);
        continue;
      }
      features.set(statics.subarray(i * staticCount, (i + 1) * staticCount));
      history(predicted, i, features.subarray(staticCount));
      scores.fill(0);
      this.score(features, scores, table);
      const previous = i > 0 ? predicted[i - 1] : -1;
      let guess = -1;
      for (let k = 0; k < this.tagCount; k++) if (allowed(previous, k) && (guess < 0 || scores[k] > scores[guess])) guess = k;
      if (gold) {
        this.tick();
        if (guess !== gold[i]) {
          this.update(features, gold[i], 1);
          this.update(features, guess, -1);
        }
        predicted.push(gold[i]);
      } else predicted.push(guess);
    }
    return predicted;
  }

  /** The weights averaged over every step so far. */
  averaged(): Map<number, Float64Array> {
    const avg = new Map<number, Float64Array>();
    for (const [f, w] of this.weights) {
      const total = this.totals.get(f)!;
      const stamp = this.stamps.get(f)!;
      const a = new Float64Array(this.tagCount);
      for (let k = 0; k < this.tagCount; k++) a[k] = (total[k] + (this.clock - stamp[k]) * w[k]) / Math.max(1, this.clock);
      avg.set(f, a);
    }
    return avg;
  }
}

/** A sequence to tag greedily: its static features and how to write the history features of position `i`. */
export interface GreedySequence {
  length: number;
  /** `staticCount` feature hashes per position. */
  statics: Int32Array;
  staticCount: number;
  historyCount: number;
  history: (previous: number[], i: number, out: Int32Array) => void;
  /** May `tag` follow `previous` (-1 at the start)? Any tag when not given. */
  allowed?: (previous: number, tag: number) => boolean;
  /** A tag fixed in advance for position `i` (a tag dictionary's), or -1: not scored, nothing learnt. */
  fixed?: (i: number) => number;
}

/**
 * Features whose largest weight rounds to at least `minWeight` stored units,
 * in hash order (the same weights give the same bytes), as base64 Int32
 * hashes and Int16 weights.
 */
export function storeWeights(table: Map<number, Float64Array>, tagCount: number, scale: number, minWeight: number): { kept: number[]; features: string; weights: string } {
  const kept = [...table.keys()].sort((a, b) => a - b).filter((f) => table.get(f)!.some((v) => Math.abs(Math.round(v / scale)) >= minWeight));
  const hashes = Int32Array.from(kept);
  const ints = new Int16Array(kept.length * tagCount);
  kept.forEach((f, row) => table.get(f)!.forEach((v, k) => { ints[row * tagCount + k] = Math.max(-32768, Math.min(32767, Math.round(v / scale))); }));
  return { kept, features: Buffer.from(hashes.buffer).toString('base64'), weights: Buffer.from(ints.buffer).toString('base64') };
}

/** The indices 0…n-1 in an order drawn from `random` (Fisher-Yates): one epoch's order of the examples. */
export function shuffledOrder(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/**
 * MinHash signatures and a banded LSH index (Broder 1997; Indyk–Motwani
 * banding). Written here because the npm MinHash packages are broken on this
 * stack (DESIGN.md).
 */
import { hashString, mix32 } from './hash.js';

export type Signature = Uint32Array;

/**
 * One-permutation MinHash (Li, Owen & Zhang 2012) with rotation densification
 * (Shrivastava & Li 2014): each feature hash falls into one of `size` bins by
 * its high bits and each bin keeps its minimum, so the cost is one pass over
 * the features instead of one pass per hash function. An empty bin borrows the
 * minimum of the next non-empty bin to its right, offset by the distance, which
 * keeps the equal-bin share an unbiased Jaccard estimate for short texts too.
 * An empty set gives all-ones.
 */
export function minhash(features: Iterable<number>, size: number): Signature {
  const sig = new Uint32Array(size).fill(0xffffffff);
  const filled = new Uint8Array(size);
  let any = false;
  for (const feature of features) {
    const bin = Math.floor((feature >>> 0) / 4294967296 * size);
    const value = mix32(feature ^ 0x5bd1e995);
    if (value < sig[bin]! || !filled[bin]) {
      sig[bin] = value;
      filled[bin] = 1;
    }
    any = true;
  }
  if (!any) return sig;
  for (let i = 0; i < size; i++) {
    if (filled[i]) continue;
    let j = (i + 1) % size;
    let distance = 1;
    while (!filled[j]) {
      j = (j + 1) % size;
      distance++;
    }
    // Offset by distance so borrowed values differ from the bin they came from.
    sig[i] = mix32(sig[j]! + distance * 0x9e3779b9);
  }
  return sig;
}

/** Share of equal positions: an unbiased estimate of the Jaccard similarity of the two sets. */
export function estimateJaccard(a: Signature, b: Signature): number {
  if (a.length !== b.length) throw new Error(`signature sizes differ: ${a.length} vs ${b.length}`);
  return estimateJaccardAt(a, b, 0);
}

/** `estimateJaccard` of `a` and the signature of the same size at `offset` in `store` (many signatures in one array). */
export function estimateJaccardAt(a: Signature, store: Uint32Array, offset: number): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === store[offset + i] && a[i] !== 0xffffffff) same++;
  return same / a.length;
}

/** Hashes of the word n-grams (shingles) of a token list; texts shorter than n give one shingle. */
export function shingleHashes(tokens: string[], n: number): Set<number> {
  return new Set(shingleHashesOf(tokens.map((t) => hashString(t)), n));
}

/** Shingle hashes from the word hashes of a token list; repeats are kept (MinHash does not mind). */
export function shingleHashesOf(hashes: ArrayLike<number>, n: number): number[] {
  const out: number[] = [];
  if (hashes.length === 0) return out;
  const count = Math.max(1, hashes.length - n + 1);
  for (let i = 0; i < count; i++) {
    // Position-dependent combination of the word hashes, so `a b c` and `c b a` differ.
    let h = 0x2545f491;
    for (let k = i; k < Math.min(i + n, hashes.length); k++) h = mix32(h ^ hashes[k]!) + k - i;
    out.push(h >>> 0);
  }
  return out;
}

/**
 * Banded LSH: a signature of `bands × rows` values is cut into bands; two items
 * that agree on every value of one band share a bucket and become candidates.
 * Buckets keep only the `bucketCap` most recent items, so a bucket that many
 * items fall into (boilerplate, a very common topic) cannot make the cost of
 * one lookup grow with the size of the index. Items are numbers (the caller's
 * arrival counter), and a bucket of one item is stored as the bare number:
 * most buckets hold one item, and this keeps a 20,000-item index to a few
 * megabytes instead of one array per bucket.
 */
export class LshIndex {
  /**
   * One map per band, keyed by a 30-bit hash of the band's values: keys stay
   * V8 small integers (a 32-bit or band-offset key would be a boxed number on
   * every probe). Two bands agreeing by chance on 30 bits only add a candidate
   * the caller's signature check then rejects.
   */
  private readonly buckets: Array<Map<number, number | number[]>>;

  constructor(
    readonly bands: number,
    readonly rows: number,
    private readonly bucketCap = 64,
  ) {
    this.buckets = Array.from({ length: bands }, () => new Map());
  }

  /** The band's key, or -1 when the band is empty (all-ones, from an empty set). */
  private key(sig: Signature, band: number): number {
    let h = band;
    let empty = true;
    for (let r = 0; r < this.rows; r++) {
      const value = sig[band * this.rows + r]!;
      if (value !== 0xffffffff) empty = false;
      h = mix32(h ^ value) + r;
    }
    return empty ? -1 : (h >>> 2);
  }

  /**
   * The bucket key of each band of `sig` (-1 for an empty band), written to
   * `out` from `at`: worked out once per signature, for a query and the add
   * that follows it, and kept by a caller that removes the item later.
   */
  keys(sig: Signature, out: Int32Array = new Int32Array(this.bands), at = 0): Int32Array {
    if (sig.length < this.bands * this.rows) throw new Error(`signature too short for ${this.bands}×${this.rows} bands`);
    for (let band = 0; band < this.bands; band++) out[at + band] = this.key(sig, band);
    return out;
  }

  /** Items sharing at least one band with `sig`, with the number of shared bands. */
  query(sig: Signature): Map<number, number> {
    const hits = new Map<number, number>();
    const keys = this.keys(sig);
    for (let band = 0; band < this.bands; band++) {
      const key = keys[band]!;
      if (key < 0) continue;
      const bucket = this.buckets[band]!.get(key);
      if (bucket === undefined) continue;
      if (typeof bucket === 'number') hits.set(bucket, (hits.get(bucket) ?? 0) + 1);
      else for (const item of bucket) hits.set(item, (hits.get(item) ?? 0) + 1);
    }
    return hits;
  }

  /**
   * `query` without a Map, for a caller whose items are distinct modulo
   * `counts.length` (arrival counters within a window): each item of a bucket
   * of `keys` adds one to `counts[item % counts.length]` and is appended to
   * `found` the first time, so `found` lists the items in the order `query`'s
   * Map would. The caller zeroes the counts of `found` afterwards.
   */
  countHits(keys: Int32Array, counts: Uint8Array, found: number[]): void {
    const slots = counts.length;
    for (let band = 0; band < this.bands; band++) {
      const key = keys[band]!;
      if (key < 0) continue;
      const bucket = this.buckets[band]!.get(key);
      if (bucket === undefined) continue;
      if (typeof bucket === 'number') {
        if (counts[bucket % slots]!++ === 0) found.push(bucket);
      } else {
        for (const item of bucket) if (counts[item % slots]!++ === 0) found.push(item);
      }
    }
  }

  add(item: number, sig: Signature): void {
    this.addKeys(item, this.keys(sig));
  }

  /** `add` with the signature's `keys` (from `at`). */
  addKeys(item: number, keys: Int32Array, at = 0): void {
    for (let band = 0; band < this.bands; band++) {
      const key = keys[at + band]!;
      if (key < 0) continue;
      const buckets = this.buckets[band]!;
      const bucket = buckets.get(key);
      if (bucket === undefined) buckets.set(key, item);
      else if (typeof bucket === 'number') buckets.set(key, [bucket, item]);
      else {
        bucket.push(item);
        if (bucket.length > this.bucketCap) bucket.shift();
      }
    }
  }

  remove(item: number, sig: Signature): void {
    this.removeKeys(item, this.keys(sig));
  }

  /** `remove` with the signature's `keys` (from `at`). */
  removeKeys(item: number, keys: Int32Array, at = 0): void {
    for (let band = 0; band < this.bands; band++) {
      const key = keys[at + band]!;
      if (key < 0) continue;
      const buckets = this.buckets[band]!;
      const bucket = buckets.get(key);
      if (bucket === undefined) continue;
      if (typeof bucket === 'number') {
        if (bucket === item) buckets.delete(key);
        continue;
      }
      // Items leave oldest first, so the one removed is usually the first.
      const index = bucket[0] === item ? 0 : bucket.indexOf(item);
      if (index === 0) bucket.shift();
      else if (index > 0) bucket.splice(index, 1);
      if (bucket.length === 1) buckets.set(key, bucket[0]!);
      else if (bucket.length === 0) buckets.delete(key);
    }
  }

  /** Non-empty buckets over all bands. */
  get size(): number {
    return this.buckets.reduce((sum, buckets) => sum + buckets.size, 0);
  }
}

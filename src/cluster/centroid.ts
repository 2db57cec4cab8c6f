/**
 * A story's centroid: term id → weight, in insertion order (the order the
 * clusterer's sums, sorts and saved state follow), as parallel typed arrays
 * with an open-addressing table for lookups. Replaces a `Map<string, number>`:
 * no string hashing, no boxed entries.
 */
export class Centroid {
  /** Term ids in insertion order (the first `size`). */
  terms: Int32Array;
  /** Weights, parallel to `terms`. */
  weights: Float64Array;
  size = 0;
  /** Slot + 1 of each term (0: empty), linear probing; its length a power of two, at most half full. */
  private table: Int32Array;
  private shift: number;

  constructor(capacity = 16) {
    const slots = Math.max(8, capacity);
    this.terms = new Int32Array(slots);
    this.weights = new Float64Array(slots);
    const bits = Math.max(4, Math.ceil(Math.log2(slots * 2)));
    this.table = new Int32Array(1 << bits);
    this.shift = 32 - bits;
  }

  /** Slot of `term`, or -1. */
  slot(term: number): number {
    const table = this.table;
    const mask = table.length - 1;
    let h = Math.imul(term, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const entry = table[h]!;
      if (entry === 0) return -1;
      if (this.terms[entry - 1] === term) return entry - 1;
      h = (h + 1) & mask;
    }
  }

  /** Adds `value` to the weight of `term` (a new term is appended with `0 + value`). */
  add(term: number, value: number): void {
    const table = this.table;
    const mask = table.length - 1;
    let h = Math.imul(term, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const entry = table[h]!;
      if (entry === 0) break;
      if (this.terms[entry - 1] === term) {
        this.weights[entry - 1] += value;
        return;
      }
      h = (h + 1) & mask;
    }
    if (this.size === this.terms.length) this.grow(this.size * 2);
    const slot = this.size++;
    this.terms[slot] = term;
    this.weights[slot] = 0 + value;
    if (this.size * 2 > table.length) this.rehash(table.length * 2);
    else table[h] = slot + 1;
  }

  /** Keeps only the slots listed, in that order. */
  keep(slots: ArrayLike<number>, count: number): void {
    const terms = new Int32Array(Math.max(8, count));
    const weights = new Float64Array(terms.length);
    for (let i = 0; i < count; i++) {
      terms[i] = this.terms[slots[i]!]!;
      weights[i] = this.weights[slots[i]!]!;
    }
    this.terms = terms;
    this.weights = weights;
    this.size = count;
    let length = 16;
    while (length < count * 2) length *= 2;
    this.rehash(length);
  }

  private grow(capacity: number): void {
    const terms = new Int32Array(capacity);
    terms.set(this.terms.subarray(0, this.size));
    const weights = new Float64Array(capacity);
    weights.set(this.weights.subarray(0, this.size));
    this.terms = terms;
    this.weights = weights;
  }

  private rehash(length: number): void {
    this.table = new Int32Array(length);
    this.shift = 32 - Math.log2(length);
    const mask = length - 1;
    for (let slot = 0; slot < this.size; slot++) {
      let h = Math.imul(this.terms[slot]!, 0x9e3779b1) >>> this.shift;
      while (this.table[h] !== 0) h = (h + 1) & mask;
      this.table[h] = slot + 1;
    }
  }
}

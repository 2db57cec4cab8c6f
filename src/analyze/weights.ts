/**
 * What the hashed-feature taggers share (the attribution tagger, quotes.ts,
 * and the phrase tagger, phrases.ts): their weights as the training scripts
 * store them (feature hashes, Int32, and per feature one Int16 weight per
 * tag), the hashes themselves, and the spans of a BIO tag sequence.
 */

/** Stored weights: base64 Int32 feature hashes and base64 Int16 weights, `tagCount` per feature. */
export interface StoredWeights {
  features: string;
  weights: string;
}

export function decodeBase64<T>(base64: string, make: (buffer: ArrayBuffer) => T): T {
  const bytes = Buffer.from(base64, 'base64');
  return make(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/**
 * Feature hashes with their weight rows, looked up by open addressing. The
 * slots hold only hashes (4 bytes each, so the probe stays in cache longer)
 * and a found feature's weights sit at its slot's place in a parallel array:
 * one memory access a lookup that is not in cache. Most lookups are of
 * features the model does not have (word pairs never seen in training), so a
 * small blocked Bloom filter (two bits of one 32-bit word per feature, about
 * 9 bits per feature) turns most of them away before the table is read.
 */
export class WeightTable {
  /** Feature hash per slot; an empty slot holds 0 (feature hashes are never 0). */
  private readonly hashes: Int32Array;
  /** `tagCount` weights per slot. */
  private readonly weights: Int16Array;
  private readonly mask: number;
  private readonly filter: Int32Array;
  /** A hash's filter word is its top bits: `hash >>> filterShift`. */
  private readonly filterShift: number;

  constructor(features: Int32Array, weights: Int16Array, private readonly tagCount: number) {
    let capacity = 1;
    while (capacity < features.length * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.hashes = new Int32Array(capacity);
    this.weights = new Int16Array(capacity * tagCount);
    let filterWords = 1024;
    while (filterWords * 4 < features.length) filterWords *= 2;
    this.filter = new Int32Array(filterWords);
    this.filterShift = 32 - Math.log2(filterWords);
    features.forEach((hash, row) => {
      let slot = hash & this.mask;
      while (this.hashes[slot] !== 0) slot = (slot + 1) & this.mask;
      this.hashes[slot] = hash;
      this.weights.set(weights.subarray(row * tagCount, (row + 1) * tagCount), slot * tagCount);
      this.filter[hash >>> this.filterShift] |= filterBits(hash);
    });
  }

  static fromStored(stored: StoredWeights, tagCount: number): WeightTable {
    return new WeightTable(decodeBase64(stored.features, (b) => new Int32Array(b)), decodeBase64(stored.weights, (b) => new Int16Array(b)), tagCount);
  }

  /** Adds the weights of feature `hash` (if the model has it) to `into[at…at+tagCount)`. */
  addRow(hash: number, into: Int32Array, at: number): void {
    const bits = filterBits(hash);
    if ((this.filter[hash >>> this.filterShift] & bits) !== bits) return;
    const { hashes, mask, weights, tagCount } = this;
    let slot = hash & mask;
    for (let key = hashes[slot]; key !== hash; key = hashes[slot]) {
      if (key === 0) return;
      slot = (slot + 1) & mask;
    }
    const base = slot * tagCount;
    for (let k = 0; k < tagCount; k++) into[at + k] += weights[base + k];
  }
}

/** The two bits a feature hash sets in its filter word (from its low ten bits). */
function filterBits(hash: number): number {
  return (1 << (hash & 31)) | (1 << ((hash >>> 5) & 31));
}

/**
 * The spans of a sequence of BIO tags (indices into `names`, "B-X", "I-X",
 * "O") as `X:start:end` keys, end exclusive: what the taggers are scored on.
 */
export function bioSpans(tags: ArrayLike<number>, names: readonly string[]): Set<string> {
  const spans = new Set<string>();
  let start = -1;
  for (let i = 0; i <= tags.length; i++) {
    const name = i < tags.length ? names[tags[i]] : 'O';
    if (start >= 0 && name[0] !== 'I') {
      spans.add(`${names[tags[start]].slice(2)}:${start}:${i}`);
      start = -1;
    }
    if (name[0] === 'B') start = i;
  }
  return spans;
}

/** FNV-1a over a string's UTF-16 code units. */
export function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** Combines a feature template number and up to three values into one non-zero hash. */
export function featureHash(template: number, a: number, b = 0, c = 0): number {
  let h = Math.imul(template + 1, 0x9e3779b1);
  h = Math.imul(h ^ a, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ c, 0x27d4eb2f);
  h ^= h >>> 15;
  return h === 0 ? 1 : h;
}

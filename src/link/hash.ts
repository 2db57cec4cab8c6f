/**
 * 32-bit hashing for MinHash and LSH. FNV-1a over UTF-16 code units with a
 * murmur3 finaliser: fast in V8, well mixed in every bit, no dependency.
 */

/** FNV-1a of a string, finalised with murmur3's fmix32 so low bits are usable. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  return mix32(fnv1a(text, 0, text.length, seed));
}

/** Plain FNV-1a of `text[start, end)` (signed 32 bits, not finalised): a slice hashed where it lies, never cut out. */
export function fnv1a(text: string, start: number, end: number, seed = 0x811c9dc5): number {
  let h = seed | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/** murmur3 fmix32: a bijection on 32-bit integers with full avalanche. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

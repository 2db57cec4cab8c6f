/**
 * What the linker keeps of an article's text (`PreparedText` without its
 * content words: the word hashes for shingles and the sentence features),
 * packed as bytes. The worker that clusters an article stores them; the
 * other workers, catching up, put the article into their linkers from them
 * instead of reading and tokenising its text again (about three quarters of
 * the catch-up's cost per article).
 *
 * Layout: 32-bit words in the machine's byte order (little-endian wherever
 * Node runs in practice; on another byte order the format word reads wrong
 * and the text is prepared again) — format version, word-hash count, feature
 * count, bound count, then the three arrays.
 */
import type { PreparedText } from '../link/index.js';

const FORMAT = 1;
const HEADER = 4;

export function encodeLinkFeatures(prepared: PreparedText): Uint8Array {
  const { wordHashes, sentences } = prepared;
  const words = new Uint32Array(HEADER + wordHashes.length + sentences.features.length + sentences.bounds.length);
  words.set([FORMAT, wordHashes.length, sentences.features.length, sentences.bounds.length]);
  words.set(wordHashes, HEADER);
  words.set(sentences.features, HEADER + wordHashes.length);
  words.set(sentences.bounds, HEADER + wordHashes.length + sentences.features.length);
  return new Uint8Array(words.buffer);
}

/** The prepared text packed by `encodeLinkFeatures` (content words empty: the linker does not use them), or null when the bytes are not that format. */
export function decodeLinkFeatures(data: Uint8Array): PreparedText | null {
  if (data.byteLength < HEADER * 4 || data.byteLength % 4 !== 0) return null;
  // A copy (Buffer's own slice would share): the bytes may sit at any offset of a larger buffer, and 32-bit views need an aligned one.
  const words = new Uint32Array(new Uint8Array(data).buffer);
  const [format, nWords, nFeatures, nBounds] = words;
  if (format !== FORMAT || HEADER + nWords! + nFeatures! + nBounds! !== words.length) return null;
  const featuresAt = HEADER + nWords!;
  const boundsAt = featuresAt + nFeatures!;
  return {
    wordHashes: Array.from(words.subarray(HEADER, featuresAt)),
    content: [],
    sentences: { features: words.slice(featuresAt, boundsAt), bounds: words.slice(boundsAt) },
  };
}

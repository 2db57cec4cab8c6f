/**
 * What the linker keeps of an article's text (`PreparedText` without its
 * content words: the shingle signature, the sentence features and the
 * vocabulary), packed as bytes. The worker that clusters an article (the
 * leader) stores them; a worker that takes the lead after it puts the latest
 * articles into its linker from them instead of reading and tokenising their
 * texts again, and links exactly as the old leader would have.
 *
 * Layout: 32-bit words in the machine's byte order (little-endian wherever
 * Node runs in practice; on another byte order the format word reads wrong
 * and the text is prepared again) — format version, then the length of each
 * array, then the arrays: shingles, sentence features, sentence bounds.
 * The vocabulary (the distinct sentence features, sorted) is not stored but
 * rebuilt when decoding: it was a third of the bytes, which the database
 * server writes for every article and reads for every other worker, and
 * rebuilding it costs the reader about 20 µs. Format 2 (vocabulary stored)
 * is still read.
 */
import type { PreparedText } from '../link/index.js';

const FORMAT = 3;
const FORMAT_WITH_VOCABULARY = 2;

export function encodeLinkFeatures(prepared: PreparedText): Uint8Array {
  const parts = [prepared.shingles, prepared.sentences.features, prepared.sentences.bounds];
  const header = 1 + parts.length;
  const words = new Uint32Array(header + parts.reduce((n, part) => n + part.length, 0));
  words.set([FORMAT, ...parts.map((part) => part.length)]);
  let at = header;
  for (const part of parts) {
    words.set(part, at);
    at += part.length;
  }
  return new Uint8Array(words.buffer);
}

/** The prepared text packed by `encodeLinkFeatures` (content words empty: the linker does not use them), or null when the bytes are not that format. */
export function decodeLinkFeatures(data: Uint8Array): PreparedText | null {
  if (data.byteLength < 4 || data.byteLength % 4 !== 0) return null;
  // A copy (Buffer's own slice would share): the bytes may sit at any offset of a larger buffer, and 32-bit views need an aligned one.
  const words = new Uint32Array(new Uint8Array(data).buffer);
  const count = words[0] === FORMAT ? 3 : words[0] === FORMAT_WITH_VOCABULARY ? 4 : 0;
  const header = 1 + count;
  if (count === 0 || words.length < header) return null;
  const lengths = [...words.subarray(1, header)];
  if (header + lengths.reduce((n, length) => n + length, 0) !== words.length) return null;
  let at = header;
  const [shingles, features, bounds, vocabulary] = lengths.map((length) => words.subarray(at, (at += length)));
  return { shingles: shingles!, content: '', sentences: { features: features!, bounds: bounds! }, vocabulary: vocabulary ?? distinct(features!) };
}

/** The distinct values, sorted (what `prepareText` gives as the vocabulary of its sentence features). */
function distinct(values: Uint32Array): Uint32Array {
  const sorted = values.slice().sort();
  let n = 0;
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[n++] = sorted[k]!;
  return sorted.subarray(0, n);
}

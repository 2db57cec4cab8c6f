/**
 * Link stage: duplicates, rewrites and source families.
 *
 * `Linker.add(article)` streams articles through MinHash/LSH candidate
 * retrieval, duplicate detection and sentence alignment; `buildFamilies`
 * turns links and wire credits into independent sources.
 */
export type { LinkableArticle, Link, LinkKind, SentenceAlignment } from './types.js';
export { Linker, defaultLinkerOptions, direction, prepareText, packPreparedText, unpackPreparedText, packedBuffers, type LinkerOptions, type PreparedText, type PackedText } from './linker.js';
export { buildFamilies, countIndependent, isSourceCredit, type Family, type FamilyArticle } from './families.js';
export { alignSentences, sentenceFeatures, sentenceSet, sentenceSimilarity, type AlignmentResult, type SentenceSet } from './align.js';
export { minhash, estimateJaccard, shingleHashes, LshIndex, type Signature } from './minhash.js';
export { hashString } from './hash.js';
export { words, contentWords, stem } from './text.js';

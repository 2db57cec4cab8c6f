/**
 * Streaming linker: each article, as it arrives, is compared with the recent
 * articles an LSH index proposes, and linked to its duplicates and the
 * articles it rewrites (or that rewrite it). Per-article cost is bounded by
 * the bucket cap and the candidate cap, not by the number of articles seen.
 */
import { estimateJaccardAt, LshIndex, minhash, shingleHashesOf, type Signature } from './minhash.js';
import { alignSentences, featuresOfForm, SentenceSetBuilder, sentencePostings, type SentencePostings, type SentenceSet } from './align.js';
import { fnv1a, hashString } from './hash.js';
import { contentFormOf, forEachTokenRange, normalizeToken } from './text.js';
import type { LinkableArticle, Link } from './types.js';
import { isSourceCredit } from './families.js';

/*
 * Linking thresholds. Duplicates: experiment of 2026-11-21 on the
 * bench/generate.ts stream (seed 7, 2,000 articles; each article against its
 * story's wire text): wire copies with boilerplate 3-gram Jaccard 0.85–1.00
 * (p5 0.91), rewrites 0.24–0.53, independent same-story reports 0.01–0.21; the
 * duplicate threshold sits in the 0.53–0.85 gap.
 * Rewrites: see REWRITE_EXPERIMENT below.
 */
export interface LinkerOptions {
  /** Estimated 3-gram Jaccard at or above which two texts are duplicates. */
  duplicateJaccard: number;
  /** Share of the shorter article's sentences that must align for a rewrite. */
  rewriteShare: number;
  /** Share of the shorter article's sentences that must align in the same order in both (see `AlignmentResult.orderedShare`). */
  rewriteOrderedShare: number;
  /** Dice score of stemmed content words at which two sentences align. */
  sentenceThreshold: number;
  /** Rewrite candidates aligned per article, best content-word overlap first. */
  maxCandidates: number;
  /** Articles kept in memory for comparison; the oldest leave first. */
  window: number;
}

/*
 * REWRITE_EXPERIMENT (2026-11-21, `npx tsx bench/generate.ts --rewrite-experiment 3000`,
 * seed 7; rewrites now condensed, with framing clauses, clause swaps and a
 * paraphrase lexicon, see bench/generate.ts). Share / ordered share at a
 * sentence threshold of 0.3:
 *   rewrites vs their wire (482)         share p1 0.92, ordered p1 0.73
 *   independent vs wire (1,309)          share p99 0.58 max 0.67, ordered p99 0.37 max 0.50
 *   independent vs independent (1,048)   share p99 0.56 max 0.71, ordered p99 0.32 max 0.43
 * Checked on real text (examples/riyadh-talks and test/fixtures/link, by
 * hand): the real rewrite 004 of 000 gives 0.80 / 0.67 at 0.3 (0.47 / 0.33 at
 * the old 0.4, which missed it); the worst unrelated pair 0.67 / 0.33 and the
 * worst ordered 0.50 / 0.50. Share alone cannot separate them at 0.3 (0.71
 * for independents); the ordered share can: 0.55 sits between 0.50 and 0.67
 * on real text and between 0.50 and 0.73 on generated text.
 */
export const defaultLinkerOptions: LinkerOptions = {
  duplicateJaccard: 0.7,
  rewriteShare: 0.6,
  rewriteOrderedShare: 0.55,
  sentenceThreshold: 0.3,
  maxCandidates: 6,
  window: 20_000,
};

const shingleSize = 3;
/** 128 hashes in 32 bands of 4: pairs at Jaccard 0.5 collide with p≈0.87, at 0.2 with p≈0.05. */
const shingleBands = 32;
const shingleRows = 4;
/** 64 hashes in 32 bands of 2 over content words: p≈0.95 at Jaccard 0.3, the rewrite range. */
const wordBands = 32;
const wordRows = 2;
/**
 * Share of the smaller vocabulary found in the larger (estimated from the
 * vocabulary signatures and sizes) below which a candidate is not aligned.
 * Containment rather than Jaccard, so a condensed rewrite of a long article
 * still qualifies. A cost filter, not the decision: real rewrites hold 0.74
 * (examples/riyadh-talks 004 in 000; Jaccard only 0.28) and 0.46
 * (test/fixtures/link/harbour-rewrite in harbour-wire), and same-story
 * reports there 0.44–0.61, so only the alignment can tell them apart; the
 * candidate cap bounds the cost.
 */
const minWordContainment = 0.3;
/**
 * Bands a vocabulary candidate must share before its signature is compared.
 * A condensed rewrite has a low vocabulary Jaccard (0.28 for riyadh-talks 004
 * and 000, which share 2 of 32 two-row bands), so one band is enough; the
 * bucket cap bounds how many come through.
 */
const minSharedBands = 1;

/**
 * A vocabulary feature held by more than this share of the articles in the
 * window (and by at least `commonMinCount` of them) is left out of the
 * vocabulary signature. Common words fill the vocabulary LSH buckets with
 * articles that share nothing telling: on the generated stream, candidates per
 * article grew from 94 over the first thousand articles to 475 once the
 * window held 20,000, and linking cost tripled. Rewrites share the rare words
 * (names, places, numbers) as well, so they still meet. Experiment of
 * 2026-12-01 (bench/cluster.ts `--scale 20000`, seed 7): at 5% candidates are
 * 19 and 170, linking CPU over the last thousand 0.97 ms instead of 1.57, link
 * precision 0.9999, recall of copies and rewrites 0.9992 (0.9987 without the
 * cut); at 2% recall fell to 0.991, so 5% it is.
 */
const commonShare = 0.05;
const commonMinCount = 100;
/** Slots of the feature counter (a hash-indexed count table: a rare collision only makes one feature look common). */
const featureCountSlots = 1 << 21;

/** What direction needs of an article; the text itself is not kept. */
type ArticleMeta = Pick<LinkableArticle, 'id' | 'published' | 'outlet' | 'provenance'>;

/** An article as `direction` takes it. */
type Ordered = { article: ArticleMeta; order: number };

/** The arriving article, while it is compared with the window. */
interface Entry extends Ordered {
  shingles: Signature;
  wordSig: Signature;
  /** Distinct sentence features (the vocabulary the signature summarises). */
  vocabularySize: number;
  sentences: SentenceSet;
}

const shingleSigSize = shingleBands * shingleRows;
const wordSigSize = wordBands * wordRows;

/**
 * An article's words, tokenised once: the linker and the clusterer both use
 * them (`prepareText`, then `Linker.add(article, prepared)` and the
 * clusterer's `contentWords`). Nothing in it depends on what the linker has
 * seen, so it can be computed anywhere (the pipeline's worker threads) and
 * sent as typed arrays (`packPreparedText`).
 */
export interface PreparedText {
  /** MinHash signature of the word 3-grams of the title and the text. */
  shingles: Signature;
  /** Content forms of `text`, in order (what `contentWords(text)` gives), joined by single spaces (a form never holds one): one string to send and to scan, not one per word. */
  content: string;
  /** Sentence features of each sentence span. */
  sentences: SentenceSet;
  /** The distinct features of all the sentences, sorted: the vocabulary the linker's word signature summarises. */
  vocabulary: Uint32Array;
}

/** A `PreparedText` for `postMessage`: typed arrays (transferable) and the content words. */
export interface PackedText {
  shingles: Uint32Array;
  content: string;
  features: Uint32Array;
  bounds: Uint32Array;
  vocabulary: Uint32Array;
}

export function packPreparedText(prepared: PreparedText): PackedText {
  const { shingles, content, sentences, vocabulary } = prepared;
  return { shingles, content, features: sentences.features, bounds: sentences.bounds, vocabulary };
}

export function unpackPreparedText(packed: PackedText): PreparedText {
  const { shingles, content, features, bounds, vocabulary } = packed;
  return { shingles, content, sentences: { features, bounds }, vocabulary };
}

/** The buffers of a packed text, to transfer rather than copy. */
export function packedBuffers(packed: PackedText): ArrayBuffer[] {
  return [packed.shingles, packed.features, packed.bounds, packed.vocabulary].map((a) => a.buffer as ArrayBuffer);
}

/** What one distinct token string gives: its word hash, content form ('' for stop words) and sentence features. */
interface TokenInfo {
  hash: number;
  form: string;
  features: readonly number[];
}

/**
 * Token → `TokenInfo`, or null when it normalises to nothing. News
 * vocabulary repeats, so one lookup replaces lower-casing, stemming and
 * hashing. Keyed by a hash of the token's characters, worked out where the
 * token lies in the text, so a token is never cut out of the text to be
 * looked up (no string made, no string hashed); the entry keeps its token,
 * and a token whose hash another holds is worked out afresh. Cleared when it
 * grows past its cap, so memory stays bounded.
 */
const tokenMemo = new Map<number, { token: string; info: TokenInfo | null }>();
const tokenMemoCap = 200_000;

function tokenInfoAt(text: string, start: number, end: number): TokenInfo | null {
  // 30 bits: a V8 small integer, the cheapest Map key.
  const key = fnv1a(text, start, end) >>> 2;
  const entry = tokenMemo.get(key);
  if (entry !== undefined && entry.token.length === end - start && text.startsWith(entry.token, start)) return entry.info;
  const token = text.slice(start, end);
  const word = normalizeToken(token);
  const form = word ? contentFormOf(word) : '';
  const info = word ? { hash: hashString(word), form, features: form ? featuresOfForm(form) : [] } : null;
  if (entry === undefined) {
    if (tokenMemo.size >= tokenMemoCap) tokenMemo.clear();
    tokenMemo.set(key, { token, info });
  }
  return info;
}

export function prepareText(article: Pick<LinkableArticle, 'text' | 'title' | 'sentences'>): PreparedText {
  const wordHashes: number[] = [];
  const title = article.title;
  if (title) {
    forEachTokenRange(title, (start, end) => {
      const info = tokenInfoAt(title, start, end);
      if (info) wordHashes.push(info.hash);
    });
  }
  const content: string[] = [];
  const spans = article.sentences;
  const builder = new SentenceSetBuilder();
  let s = 0;
  const text = article.text;
  forEachTokenRange(text, (start, end) => {
    const info = tokenInfoAt(text, start, end);
    if (!info) return;
    wordHashes.push(info.hash);
    if (!info.form) return;
    content.push(info.form);
    while (s < spans.length && start >= spans[s]![1]) {
      builder.close();
      s++;
    }
    if (s < spans.length && start >= spans[s]![0]) builder.add(info.features);
  });
  for (; s < spans.length; s++) builder.close();
  const sentences = builder.build();
  const shingles = minhash(shingleHashesOf(wordHashes, shingleSize), shingleBands * shingleRows);
  return { shingles, content: content.join(' '), sentences, vocabulary: distinctFeatures(sentences) };
}

/**
 * The articles of the window, by arrival order in a ring of `window + 1`
 * slots (`order % slots`; one more than the window, because an article is
 * kept before the oldest leaves). What every candidate check reads (the two
 * signatures, the vocabulary size) and the LSH keys for eviction are packed
 * in typed arrays, grown up to the ring's size: per-article objects made
 * comparisons chase pointers through the heap and gave the garbage collector
 * 20,000 articles' worth of objects to mark.
 */
class Window {
  readonly slots: number;
  /** Arrival order of the oldest article kept, and one past the newest. */
  oldest = 0;
  next = 0;
  readonly metas: Array<ArticleMeta | undefined> = [];
  readonly sentences: Array<SentenceSet | undefined> = [];
  /** Each article's distinct sentence features, to take off the feature counts when it leaves. */
  readonly vocabularies: Array<Uint32Array | undefined> = [];
  shingles = new Uint32Array(0);
  wordSigs = new Uint32Array(0);
  vocabularySizes = new Uint32Array(0);
  shingleKeys = new Int32Array(0);
  wordKeys = new Int32Array(0);
  private allocated = 0;

  constructor(window: number) {
    this.slots = window + 1;
  }

  get size(): number {
    return this.next - this.oldest;
  }

  slot(order: number): number {
    return order % this.slots;
  }

  /** Makes room for `slot` (typed arrays grow by doubling until they hold the whole ring). */
  reserve(slot: number): void {
    if (slot < this.allocated) return;
    const allocated = Math.min(this.slots, Math.max(1024, 2 * this.allocated, slot + 1));
    const grow = <T extends Uint32Array | Int32Array>(array: T, width: number, make: (n: number) => T): T => {
      const grown = make(allocated * width);
      grown.set(array);
      return grown;
    };
    this.shingles = grow(this.shingles, shingleSigSize, (n) => new Uint32Array(n));
    this.wordSigs = grow(this.wordSigs, wordSigSize, (n) => new Uint32Array(n));
    this.vocabularySizes = grow(this.vocabularySizes, 1, (n) => new Uint32Array(n));
    this.shingleKeys = grow(this.shingleKeys, shingleBands, (n) => new Int32Array(n));
    this.wordKeys = grow(this.wordKeys, wordBands, (n) => new Int32Array(n));
    this.allocated = allocated;
  }
}

export class Linker {
  readonly options: LinkerOptions;
  private readonly window: Window;
  private readonly shingleIndex = new LshIndex(shingleBands, shingleRows);
  private readonly wordIndex = new LshIndex(wordBands, wordRows, 24);
  /** In how many articles of the window each vocabulary feature occurs (by `feature % featureCountSlots`). */
  private readonly featureCounts = new Uint32Array(featureCountSlots);
  /** Shared LSH bands per window slot during one `add` (zeroed after), and the arrival orders found. */
  private readonly shingleHitCounts: Uint8Array;
  private readonly wordHitCounts: Uint8Array;
  private readonly shingleHits: number[] = [];
  private readonly wordHits: number[] = [];
  private readonly shingleKeys = new Int32Array(shingleBands);
  private readonly wordKeys = new Int32Array(wordBands);
  /** The arriving article's vocabulary with common features left out (grown as needed). */
  private rareVocabulary = new Uint32Array(1024);
  /** Candidate pairs examined by the last `add`, for the benchmark. */
  lastCandidates = 0;

  constructor(options: Partial<LinkerOptions> = {}) {
    this.options = { ...defaultLinkerOptions, ...options };
    this.window = new Window(this.options.window);
    this.shingleHitCounts = new Uint8Array(this.window.slots);
    this.wordHitCounts = new Uint8Array(this.window.slots);
  }

  /**
   * Compares `article` with the recent articles the indexes propose, then
   * keeps it for later arrivals. Returns its links: duplicates first, then
   * rewrites. `prepared` saves tokenising the text again when the caller has it.
   */
  add(article: LinkableArticle, prepared: PreparedText = prepareText(article)): Link[] {
    const entry = this.features(article, prepared);
    const window = this.window;
    const shingleHits = this.shingleHits;
    const wordHits = this.wordHits;
    this.shingleIndex.countHits(this.shingleIndex.keys(entry.shingles, this.shingleKeys), this.shingleHitCounts, shingleHits);
    this.wordIndex.countHits(this.wordIndex.keys(entry.wordSig, this.wordKeys), this.wordHitCounts, wordHits);
    const links: Link[] = [];
    const seen: number[] = [];
    for (const order of shingleHits) {
      const slot = window.slot(order);
      // A pair at the duplicate threshold (0.7) shares 7.7 of 32 four-row bands on average; one shared band is chance.
      if (this.shingleHitCounts[slot]! < 2) continue;
      const similarity = estimateJaccardAt(entry.shingles, window.shingles, slot * shingleSigSize);
      if (similarity < this.options.duplicateJaccard) continue;
      seen.push(order);
      const [from, to] = direction<Ordered>(entry, this.kept(order));
      links.push({ from: from.article.id, to: to.article.id, kind: 'duplicate', similarity: round(similarity), alignedShare: 1 });
    }
    const ranked: Array<{ order: number; overlap: number }> = [];
    for (const order of wordHits) {
      const slot = window.slot(order);
      if (this.wordHitCounts[slot]! < minSharedBands || (seen.length > 0 && seen.includes(order))) continue;
      const jaccard = estimateJaccardAt(entry.wordSig, window.wordSigs, slot * wordSigSize);
      // |A∩B| = J/(1+J)·(|A|+|B|); over the smaller vocabulary, the share of it the other article holds.
      const otherSize = window.vocabularySizes[slot]!;
      const smaller = Math.min(entry.vocabularySize, otherSize);
      const overlap = smaller === 0 ? 0 : Math.min(1, ((jaccard / (1 + jaccard)) * (entry.vocabularySize + otherSize)) / smaller);
      if (overlap >= minWordContainment) ranked.push({ order, overlap });
    }
    ranked.sort((x, y) => y.overlap - x.overlap || y.order - x.order);
    this.lastCandidates = shingleHits.length + wordHits.length;
    for (const order of shingleHits) this.shingleHitCounts[window.slot(order)] = 0;
    for (const order of wordHits) this.wordHitCounts[window.slot(order)] = 0;
    shingleHits.length = 0;
    wordHits.length = 0;
    let postings: SentencePostings | undefined;
    for (const { order } of ranked.slice(0, this.options.maxCandidates)) {
      postings ??= sentencePostings(entry.sentences);
      const link = this.rewriteLink(entry, order, postings);
      if (link) links.push(link);
    }
    this.insert(entry, prepared.vocabulary, this.shingleKeys, this.wordKeys);
    return links;
  }

  /**
   * Keeps `article` for later arrivals without comparing it with the others:
   * for articles already linked (a warm start, or what another worker linked).
   */
  remember(article: LinkableArticle, prepared: PreparedText = prepareText(article)): void {
    const entry = this.features(article, prepared);
    this.insert(entry, prepared.vocabulary, this.shingleIndex.keys(entry.shingles, this.shingleKeys), this.wordIndex.keys(entry.wordSig, this.wordKeys));
  }

  /** The kept article of arrival `order`, as `direction` takes it. */
  private kept(order: number): Ordered {
    return { article: this.window.metas[this.window.slot(order)]!, order };
  }

  /** A rewrite link between the arriving `entry` (whose sentence postings are given) and the kept article `order`, or null. */
  private rewriteLink(entry: Entry, order: number, postings: SentencePostings): Link | null {
    const slot = this.window.slot(order);
    // The ordered share is at most the share, so an alignment below either threshold can stop early.
    const minShare = Math.max(this.options.rewriteShare, this.options.rewriteOrderedShare);
    const { pairs, share, orderedShare } = alignSentences(this.window.sentences[slot]!, entry.sentences, this.options.sentenceThreshold, postings, minShare);
    // Two sentences at least: one shared sentence in a short text is a shared fact, not a rewrite.
    if (share < this.options.rewriteShare || orderedShare < this.options.rewriteOrderedShare || pairs.length < 2) return null;
    const other = this.kept(order);
    const [from] = direction<Ordered>(entry, other);
    // Pairs are [other, entry]; a link's alignments are [from, to].
    const alignments = from === other ? pairs : pairs.map(([o, e, score]) => [e, o, score] as [number, number, number]).sort((x, y) => x[0] - y[0]);
    const to = from === other ? entry : other;
    return {
      from: from.article.id,
      to: to.article.id,
      kind: 'rewrite',
      similarity: round(estimateJaccardAt(entry.shingles, this.window.shingles, slot * shingleSigSize)),
      alignedShare: round(share),
      alignments,
    };
  }

  private features(article: LinkableArticle, prepared: PreparedText): Entry {
    // The vocabulary signature reuses the sentence features (stems and stem prefixes), common ones left out.
    const given = prepared.shingles.length;
    if (given !== shingleSigSize) throw new Error(`shingle signature too ${given < shingleSigSize ? 'short' : 'long'}: ${given} values, not ${shingleSigSize}`);
    const common = Math.max(commonMinCount, commonShare * this.window.size);
    const all = prepared.vocabulary;
    if (this.rareVocabulary.length < all.length) this.rareVocabulary = new Uint32Array(all.length);
    let rare = 0;
    for (let k = 0; k < all.length; k++) if (this.featureCounts[all[k]! % featureCountSlots]! <= common) this.rareVocabulary[rare++] = all[k]!;
    const wordSig = minhash(this.rareVocabulary.subarray(0, rare), wordSigSize);
    const meta: ArticleMeta = { id: article.id, published: article.published, outlet: article.outlet, provenance: article.provenance };
    return { article: meta, order: this.window.next++, shingles: prepared.shingles, wordSig, vocabularySize: rare, sentences: prepared.sentences };
  }

  /** Keeps `entry` (its LSH keys given), then lets the oldest articles leave while the window is over its size. */
  private insert(entry: Entry, vocabulary: Uint32Array, shingleKeys: Int32Array, wordKeys: Int32Array): void {
    const window = this.window;
    const slot = window.slot(entry.order);
    window.reserve(slot);
    window.metas[slot] = entry.article;
    window.sentences[slot] = entry.sentences;
    window.vocabularies[slot] = vocabulary;
    window.shingles.set(entry.shingles, slot * shingleSigSize);
    window.wordSigs.set(entry.wordSig, slot * wordSigSize);
    window.vocabularySizes[slot] = entry.vocabularySize;
    window.shingleKeys.set(shingleKeys, slot * shingleBands);
    window.wordKeys.set(wordKeys, slot * wordBands);
    this.shingleIndex.addKeys(entry.order, shingleKeys);
    this.wordIndex.addKeys(entry.order, wordKeys);
    for (const f of vocabulary) this.featureCounts[f % featureCountSlots]!++;
    while (window.size > this.options.window) {
      const order = window.oldest++;
      const old = window.slot(order);
      this.shingleIndex.removeKeys(order, window.shingleKeys, old * shingleBands);
      this.wordIndex.removeKeys(order, window.wordKeys, old * wordBands);
      for (const f of window.vocabularies[old]!) this.featureCounts[f % featureCountSlots]!--;
      window.metas[old] = undefined;
      window.sentences[old] = undefined;
      window.vocabularies[old] = undefined;
    }
  }

  get size(): number {
    return this.window.size;
  }
}

/** The distinct features of all an article's sentences, sorted. */
function distinctFeatures(set: SentenceSet): Uint32Array {
  const sorted = set.features.slice().sort();
  let n = 0;
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[n++] = sorted[k]!;
  return sorted.subarray(0, n);
}

/**
 * Which of two related articles derives from which, as `[derived, original]`:
 * an article whose source credit names the other's outlet derives from it (a
 * text crediting AFP derives from AFP copy); otherwise the earlier publication
 * date is the original; without dates, the one that arrived first.
 */
export function direction<T extends Ordered>(a: T, b: T): [T, T] {
  if (credits(a.article, b.article) && !credits(b.article, a.article)) return [a, b];
  if (credits(b.article, a.article) && !credits(a.article, b.article)) return [b, a];
  const ta = time(a.article.published);
  const tb = time(b.article.published);
  if (ta !== null && tb !== null && ta !== tb) return ta < tb ? [b, a] : [a, b];
  return a.order < b.order ? [b, a] : [a, b];
}

function credits(article: ArticleMeta, source: ArticleMeta): boolean {
  const outlet = source.outlet?.toLowerCase();
  if (!outlet) return false;
  return article.provenance.some((c) => c.origin.toLowerCase() === outlet && isSourceCredit(c));
}

function time(value: string | null): number | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

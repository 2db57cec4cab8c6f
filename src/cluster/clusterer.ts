/**
 * One-pass story clustering. Each article is compared with the few stories an
 * inverted index proposes (stories index only their top-weighted terms, and
 * each posting list keeps only its most recently active stories), joins the
 * most similar one above a threshold or starts a new story, and may cause the
 * two stories it resembles most to merge. Nothing is ever re-clustered.
 */
import { contentWords } from '../link/text.js';
import { Centroid } from './centroid.js';
import { Vocabulary } from './vocabulary.js';
import type { AssignResult, ClusterableArticle, ClustererState, StorySnapshot } from './types.js';

/**
 * What one clusterer changed between two `takeDelta` calls, for another
 * clusterer holding the same earlier state to catch up (`applyDelta`)
 * without reloading the whole state: the counters as they are now, the
 * changed document frequencies (0: forgotten), the changed or new stories as
 * they are now, the stories dropped (merged away or decayed), and the changed
 * redirects (null: forgotten). Applying it gives what `import` of the
 * producer's `export` would give for those parts.
 */
export interface ClustererDelta {
  version: 1;
  nextStory: number;
  arrivals: number;
  documents: number;
  latest: string | null;
  df: Record<string, number>;
  stories: StorySnapshot[];
  removed: string[];
  redirects: Record<string, string | null>;
}

export interface ClustererOptions {
  /** Cosine similarity to a story's centroid needed to join it. */
  joinThreshold: number;
  /** Both of the two best stories at or above this, and similar to each other: merge them. */
  mergeThreshold: number;
  /** Cosine between two stories' centroids needed for that merge. */
  storyMergeThreshold: number;
  /** Weight of a title term relative to a body term. */
  titleWeight: number;
  /** Weight of an entity key relative to a body term. */
  entityWeight: number;
  /** Weight of a mentioned day relative to a body term (idf decides how telling it is: every report of one day says "on Tuesday"). */
  dateWeight: number;
  /** Terms of a story's centroid kept in the inverted index. */
  indexedTerms: number;
  /** Terms of an article used to look stories up. */
  queryTerms: number;
  /** Most recently active stories kept per posting list. */
  postingCap: number;
  /** Stories scored exactly per article. */
  maxCandidates: number;
  /** Terms kept in a centroid. */
  centroidTerms: number;
  /** Highest-weighted terms of an article used at all (long articles are cut to their most telling words). */
  articleTerms: number;
  /** Days without a new article after which a story leaves the active index. */
  decayDays: number;
  /** Days over which the time-proximity factor halves a similarity. */
  timeScaleDays: number;
  /** Exponent applied to centroid weights before idf (below 1 flattens a story's dominant words). */
  centroidPower: number;
  /** Weight of adjacent content-word pairs as extra terms (0: none). */
  bigramWeight: number;
  /** Exponent on idf (above 1 favours rare words more). */
  idfPower: number;
}

/**
 * Thresholds from bench/cluster.ts (GoogleNews, 2025-11, one pass, no dates):
 * joinThreshold swept 0.06–0.20 on TS.tsv, best region 0.08–0.10 (NMI 0.956 at
 * 0.08); confirmed on News-T 0.883, T 0.884, S 0.917, News 0.837. Story merge
 * at 0.3 beat 0.2 (TS 0.937) and 0.5 (News-T 0.875). Candidate caps and
 * centroid sizes are cost bounds: lowering maxCandidates 24 → 16 and
 * centroidTerms 400 → 300 left NMI within ±0.001.
 */
export const defaultClustererOptions: ClustererOptions = {
  joinThreshold: 0.08,
  mergeThreshold: 0.08,
  storyMergeThreshold: 0.3,
  titleWeight: 2,
  entityWeight: 2,
  dateWeight: 1,
  indexedTerms: 24,
  queryTerms: 24,
  postingCap: 48,
  maxCandidates: 16,
  centroidTerms: 300,
  articleTerms: 100,
  decayDays: 10,
  timeScaleDays: 7,
  centroidPower: 1,
  bigramWeight: 0,
  idfPower: 1,
};

interface Story {
  id: string;
  order: number;
  headline: string | null;
  first: number | null;
  last: number | null;
  articles: string[];
  centroid: Centroid;
  touched: number;
  /** Term ids the story is posted under. */
  indexed: number[];
  /** Norm of the idf-weighted centroid when the story last changed. */
  norm: number;
  /** Candidate lookup the story was last seen by, and its overlap there (scratch of `candidates`). */
  seen: number;
  overlap: number;
}

const dayMs = 86_400_000;
/** Arrivals between two sweeps of decayed stories (a sweep walks every active story once). */
const sweepEvery = 1_000;
/**
 * Without dates, a story untouched for this many arrivals is dropped from
 * memory. A cost bound, not a quality choice: the GoogleNews sets
 * (bench/cluster.ts, no dates) have at most 11,109 articles, so it never
 * triggers there.
 */
const idleArrivals = 50_000;
/**
 * Distinct terms with a document frequency kept before the rarest (seen in one
 * article only) are forgotten. Bounds memory and the saved state on an endless
 * stream; a term seen once carries no similarity between articles.
 */
const dfCap = 300_000;
/** Dropped stories kept for `drainRetired` when nobody takes them (a benchmark); one sweep drops far fewer. */
const retiredCap = 10_000;
/** Interned terms without a document frequency tolerated before their ids are recycled (`collectTerms`). */
const idleTermsFloor = 100_000;

/**
 * Term ids: each term is interned once (`Vocabulary`), and per-term figures,
 * centroids and posting lists are typed arrays indexed by id. Every sum, sort
 * and tie-break runs in the order the string-keyed version used (first
 * occurrence in the article, then centroid insertion order; stable sorts), so
 * the stories, similarities and saved states are the same to the last bit.
 */
export class StoryClusterer {
  readonly options: ClustererOptions;
  private readonly stories = new Map<string, Story>();
  private readonly redirects = new Map<string, string>();
  /** Terms, their document frequencies (with `log(df + 1)`: an idf is one lookup and a subtraction) and scratch marks. */
  private readonly vocabulary = new Vocabulary();
  /** `log(documents + 1)`. */
  private logDocuments = 0;
  /** Stories posted under each term id, least recently active first (at most `postingCap`). */
  private readonly postings: Array<Story[] | undefined> = [];
  private documents = 0;
  private nextStory = 0;
  private arrivals = 0;
  /** Latest publication time seen, for dropping decayed stories. */
  private latest: number | null = null;
  /** Stories dropped by the last sweeps and not yet taken by `drainRetired` (at most `retiredCap`). */
  private retired: Array<Omit<StorySnapshot, 'centroid'>> = [];
  /** Stories scored for the last article, for the benchmark's bounded-cost check. */
  lastCandidates = 0;
  /** Keys changed since the last `takeDelta`, once `trackChanges` was called; term ids in `df`, marked with `epoch` in the vocabulary's `stampB`. */
  private journal: { stories: Set<string>; df: number[]; redirects: Set<string>; epoch: number } | null = null;
  private epochs = 0;
  /** Calls of `termFrequencies`, marking an article's terms in the vocabulary's `stampA`. */
  private articlesCounted = 0;
  private candidateLookups = 0;
  /** Interned terms without a document frequency above which ids are recycled. */
  private idleTermsLimit = idleTermsFloor;
  /** The current article: its distinct term ids in first-occurrence order (`termCount` of them), then its top terms with their frequencies, idf and unit vector. */
  private termIds = new Int32Array(1024);
  private termCount = 0;
  private topIds = new Int32Array(256);
  private topTf = new Float64Array(256);
  private topIdf = new Float64Array(256);
  private vector = new Float64Array(256);
  private topCount = 0;

  constructor(options: Partial<ClustererOptions> = {}) {
    this.options = { ...defaultClustererOptions, ...options };
  }

  assign(article: ClusterableArticle): AssignResult {
    const when = time(article.published);
    if (when !== null && (this.latest === null || when > this.latest)) this.latest = when;
    if (this.arrivals > 0 && this.arrivals % sweepEvery === 0) this.sweep();
    this.termFrequencies(article);
    for (let i = 0; i < this.termCount; i++) this.countDocument(this.termIds[i]!);
    if (this.journal) for (let i = 0; i < this.termCount; i++) this.journalTerm(this.termIds[i]!);
    this.documents++;
    this.logDocuments = Math.log(this.documents + 1);
    this.arrivals++;
    this.topTerms();
    this.weigh();
    const scored = this.candidates(when)
      .map((story) => ({ story, similarity: this.similarity(story) * this.timeFactor(story, when) }))
      .sort((a, b) => b.similarity - a.similarity || a.story.order - b.story.order);
    const best = scored[0];
    const { joinThreshold } = this.options;
    if (!best || best.similarity < joinThreshold) {
      const story = this.createStory(article, when);
      return { storyId: story.id, created: true, merged: [], similarity: 0 };
    }
    let target = best.story;
    const merged: string[] = [];
    const second = scored[1];
    if (second && second.similarity >= this.options.mergeThreshold && this.storySimilarity(best.story, second.story) >= this.options.storyMergeThreshold) {
      const [keep, absorb] = best.story.order < second.story.order ? [best.story, second.story] : [second.story, best.story];
      this.merge(keep, absorb);
      merged.push(absorb.id);
      target = keep;
    }
    this.addTo(target, article, when);
    return { storyId: target.id, created: false, merged, similarity: round(best.similarity) };
  }

  /** Follows merge redirects to the story an id now lives in. */
  resolve(id: string): string {
    let current = id;
    for (let hops = 0; hops < 1000 && this.redirects.has(current); hops++) current = this.redirects.get(current)!;
    return current;
  }

  story(id: string): StorySnapshot | undefined {
    const story = this.stories.get(this.resolve(id));
    return story ? this.snapshot(story) : undefined;
  }

  allStories(): StorySnapshot[] {
    return [...this.stories.values()].map((story) => this.snapshot(story));
  }

  /** What a story is without its centroid (cheap: no copy of the term weights). */
  members(id: string): Omit<StorySnapshot, 'centroid'> | undefined {
    const story = this.stories.get(this.resolve(id));
    if (!story) return undefined;
    return { id: story.id, headline: story.headline, first: iso(story.first), last: iso(story.last), articles: [...story.articles], touched: story.touched };
  }

  /** Up to `limit` article ids of the most recently active stories, oldest first. */
  recentArticles(limit: number): string[] {
    const out: string[] = [];
    for (const story of [...this.stories.values()].sort((a, b) => b.touched - a.touched)) {
      for (const id of story.articles) {
        if (out.length >= limit) break;
        out.push(id);
      }
      if (out.length >= limit) break;
    }
    return out.reverse();
  }

  /**
   * The stories dropped from memory since the last call, as they were: a
   * caller that saves changed stories takes them after each `assign`, so a
   * story changed and then dropped within one run is still saved.
   */
  drainRetired(): Array<Omit<StorySnapshot, 'centroid'>> {
    const out = this.retired;
    this.retired = [];
    return out;
  }

  /**
   * Drops stories that can no longer be joined: no article for `decayDays`
   * before the latest date seen, or, without dates, none for `idleArrivals`
   * arrivals. The store keeps them; memory and the saved state hold only the
   * active ones. Also forgets terms seen once when the vocabulary is large.
   */
  private sweep(): void {
    const horizon = this.latest === null ? null : this.latest - this.options.decayDays * dayMs;
    for (const story of this.stories.values()) {
      const decayed = horizon !== null && story.last !== null ? story.last < horizon : this.arrivals - story.touched > idleArrivals;
      if (!decayed) continue;
      this.retired.push(this.members(story.id)!);
      if (this.retired.length > retiredCap) this.retired.shift();
      this.unindex(story);
      this.stories.delete(story.id);
      this.journal?.stories.add(story.id);
    }
    for (const [from, to] of this.redirects) {
      if (this.stories.has(this.resolve(to))) continue;
      this.redirects.delete(from);
      this.journal?.redirects.add(from);
    }
    const vocabulary = this.vocabulary;
    if (vocabulary.withDf > dfCap) {
      for (const id of vocabulary.withDfInOrder()) {
        if (vocabulary.df[id] !== 1) continue;
        vocabulary.setDf(id, 0, 0);
        this.journalTerm(id);
      }
    }
    this.collectTerms();
  }

  /**
   * Recycles the ids of terms without a document frequency that no story,
   * posting list or pending delta refers to, once there are many of them
   * (forgotten rare terms, terms of dropped stories).
   */
  private collectTerms(): void {
    const vocabulary = this.vocabulary;
    if (vocabulary.size - vocabulary.withDf <= this.idleTermsLimit) return;
    const referenced = new Uint8Array(vocabulary.capacity);
    for (const story of this.stories.values()) {
      const { terms, size } = story.centroid;
      for (let i = 0; i < size; i++) referenced[terms[i]!] = 1;
      for (const id of story.indexed) referenced[id] = 1;
    }
    if (this.journal) for (const id of this.journal.df) referenced[id] = 1;
    vocabulary.collect((id) => referenced[id] === 1 || this.postings[id] !== undefined);
    this.idleTermsLimit = Math.max(idleTermsFloor, 2 * (vocabulary.size - vocabulary.withDf));
  }

  get storyCount(): number {
    return this.stories.size;
  }

  export(): ClustererState {
    return {
      version: 1,
      ...this.counters(),
      df: this.frequencies(this.vocabulary.withDfInOrder()),
      stories: this.allStories(),
      redirects: Object.fromEntries(this.redirects),
    };
  }

  static import(state: ClustererState, options: Partial<ClustererOptions> = {}): StoryClusterer {
    if (state.version !== 1) throw new Error(`unsupported clusterer state version ${String(state.version)}`);
    const clusterer = new StoryClusterer(options);
    clusterer.nextStory = state.nextStory;
    clusterer.arrivals = state.arrivals;
    clusterer.documents = state.documents;
    clusterer.latest = time(state.latest ?? null);
    clusterer.logDocuments = Math.log(state.documents + 1);
    const vocabulary = clusterer.vocabulary;
    for (const [term, n] of Object.entries(state.df)) vocabulary.setDf(vocabulary.id(term), n, Math.log(n + 1));
    for (const [from, to] of Object.entries(state.redirects)) clusterer.redirects.set(from, to);
    clusterer.restoreStories(state.stories);
    return clusterer;
  }

  /**
   * Term → document frequency of `ids`, in their order. Built in place rather
   * than by `Object.fromEntries` of pairs (the same object, key order
   * included; a term never is `__proto__`: words have no underscore).
   */
  private frequencies(ids: ArrayLike<number>): Record<string, number> {
    const { terms, df } = this.vocabulary;
    const out: Record<string, number> = {};
    for (let i = 0; i < ids.length; i++) out[terms[ids[i]!]!] = df[ids[i]!]!;
    return out;
  }

  private counters(): Pick<ClustererDelta, 'nextStory' | 'arrivals' | 'documents' | 'latest'> {
    return { nextStory: this.nextStory, arrivals: this.arrivals, documents: this.documents, latest: iso(this.latest) };
  }

  /** From now on, records what changes, for `takeDelta`. */
  trackChanges(): void {
    this.journal ??= { stories: new Set(), df: [], redirects: new Set(), epoch: ++this.epochs };
  }

  /** Records that a term's document frequency changed (once per delta). */
  private journalTerm(id: number): void {
    const journal = this.journal;
    if (!journal || this.vocabulary.stampB[id] === journal.epoch) return;
    this.vocabulary.stampB[id] = journal.epoch;
    journal.df.push(id);
  }

  /** What changed since the last call (or `trackChanges`), and starts recording afresh. */
  takeDelta(): ClustererDelta {
    if (!this.journal) throw new Error('takeDelta needs trackChanges first');
    const { stories, df, redirects } = this.journal;
    this.journal = { stories: new Set(), df: [], redirects: new Set(), epoch: ++this.epochs };
    const changed: StorySnapshot[] = [];
    const removed: string[] = [];
    for (const id of stories) {
      const story = this.stories.get(id);
      if (story) changed.push(this.snapshot(story));
      else removed.push(id);
    }
    return {
      version: 1,
      ...this.counters(),
      df: this.frequencies(df),
      stories: changed,
      removed,
      redirects: Object.fromEntries([...redirects].map((from) => [from, this.redirects.get(from) ?? null])),
    };
  }

  /**
   * Catches up with another clusterer's `takeDelta`, taken when both held the
   * same state. Not recorded as a change of this clusterer's own.
   */
  applyDelta(delta: ClustererDelta): void {
    if (delta.version !== 1) throw new Error(`unsupported clusterer delta version ${String(delta.version)}`);
    this.nextStory = delta.nextStory;
    this.arrivals = delta.arrivals;
    this.documents = delta.documents;
    this.latest = time(delta.latest);
    this.logDocuments = Math.log(delta.documents + 1);
    const vocabulary = this.vocabulary;
    for (const [term, n] of Object.entries(delta.df)) {
      if (n > 0) vocabulary.setDf(vocabulary.id(term), n, Math.log(n + 1));
      else {
        const id = vocabulary.find(term);
        if (id >= 0) vocabulary.setDf(id, 0, 0);
      }
    }
    for (const [from, to] of Object.entries(delta.redirects)) {
      if (to === null) this.redirects.delete(from);
      else this.redirects.set(from, to);
    }
    for (const id of [...delta.removed, ...delta.stories.map((s) => s.id)]) {
      const story = this.stories.get(id);
      if (!story) continue;
      this.unindex(story);
      this.stories.delete(id);
    }
    this.restoreStories(delta.stories);
    this.collectTerms();
  }

  /** Adds saved stories, least recently active first (so posting lists keep the most recent), indexed under the current frequencies. */
  private restoreStories(snapshots: StorySnapshot[]): void {
    const vocabulary = this.vocabulary;
    for (const s of [...snapshots].sort((a, b) => a.touched - b.touched)) {
      const entries = Object.entries(s.centroid);
      const centroid = new Centroid(entries.length);
      for (const [term, weight] of entries) centroid.add(vocabulary.id(term), weight);
      const story: Story = {
        id: s.id,
        order: Number.parseInt(s.id.slice(1), 36),
        headline: s.headline,
        first: time(s.first),
        last: time(s.last),
        articles: [...s.articles],
        centroid,
        touched: s.touched,
        indexed: [],
        norm: 0,
        seen: 0,
        overlap: 0,
      };
      this.stories.set(story.id, story);
      this.refresh(story, true);
    }
  }

  /**
   * Field-weighted term counts of the article: body words, title words
   * (weighted up), entity keys (weighted up), mentioned days; then sublinear
   * (`1 + log n`). Leaves the distinct term ids in first-occurrence order in
   * `termIds` and their frequencies in the vocabulary's `scratch`.
   */
  private termFrequencies(article: ClusterableArticle): void {
    this.termCount = 0;
    const stamp = ++this.articlesCounted;
    this.countWords(article.content ?? contentWords(article.text).join(' '), 1, stamp);
    if (article.title) this.countWords(contentWords(article.title).join(' '), this.options.titleWeight, stamp);
    const vocabulary = this.vocabulary;
    for (const key of new Set(article.entityKeys ?? [])) this.count(vocabulary.id(`@${key}`), this.options.entityWeight, stamp);
    // Words are letters and digits, so `@` and `#` terms never collide with them.
    for (const day of new Set(article.dates ?? [])) this.count(vocabulary.id(`#${day}`), this.options.dateWeight, stamp);
    // Sublinear term frequency: a word repeated ten times is not ten times the topic.
    const scratch = vocabulary.scratch;
    for (let i = 0; i < this.termCount; i++) {
      const id = this.termIds[i]!;
      scratch[id] = 1 + Math.log(scratch[id]!);
    }
  }

  /**
   * Counts content words joined by single spaces, each looked up where it
   * lies, and with `bigramWeight` each adjacent pair (`first second`, the
   * span from one word's start to the next one's end).
   */
  private countWords(words: string, weight: number, stamp: number): void {
    const vocabulary = this.vocabulary;
    const bigram = this.options.bigramWeight;
    let previous = -1;
    for (let start = 0; start < words.length; ) {
      let end = words.indexOf(' ', start);
      if (end < 0) end = words.length;
      this.count(vocabulary.idOf(words, start, end), weight, stamp);
      if (bigram > 0 && previous >= 0) this.count(vocabulary.idOf(words, previous, end), weight * bigram, stamp);
      previous = start;
      start = end + 1;
    }
  }

  private count(id: number, weight: number, stamp: number): void {
    const vocabulary = this.vocabulary;
    if (vocabulary.stampA[id] === stamp) {
      vocabulary.scratch[id] += weight;
      return;
    }
    vocabulary.stampA[id] = stamp;
    vocabulary.scratch[id] = 0 + weight;
    if (this.termCount === this.termIds.length) this.termIds = grownInt32(this.termIds, this.termCount * 2);
    this.termIds[this.termCount++] = id;
  }

  private countDocument(id: number): void {
    const vocabulary = this.vocabulary;
    const n = vocabulary.df[id]!;
    if (n === 0) vocabulary.setDf(id, 1, Math.LN2);
    else {
      vocabulary.df[id] = n + 1;
      vocabulary.dfLog[id] = Math.log(n + 1 + 1);
    }
  }

  /** log((documents + 1) / (df + 1)) + 1, as a difference of logs kept up to date. */
  private idf(id: number): number {
    const idf = this.logDocuments - this.vocabulary.dfLog[id]! + 1;
    return this.options.idfPower === 1 ? idf : Math.pow(idf, this.options.idfPower);
  }

  /**
   * The article's `articleTerms` terms of highest tf-idf, with their
   * frequencies and idf, into `topIds`/`topTf`/`topIdf`: all of them in
   * first-occurrence order when there are no more, else best first (earlier
   * first among equals).
   */
  private topTerms(): void {
    const n = this.termCount;
    const ids = this.termIds;
    const tf = this.vocabulary.scratch;
    if (this.topIds.length < n) {
      this.topIds = new Int32Array(n * 2);
      this.topTf = new Float64Array(n * 2);
      this.topIdf = new Float64Array(n * 2);
      this.vector = new Float64Array(n * 2);
    }
    if (n <= this.options.articleTerms) {
      for (let i = 0; i < n; i++) {
        const id = ids[i]!;
        this.topIds[i] = id;
        this.topTf[i] = tf[id]!;
        this.topIdf[i] = this.idf(id);
      }
      this.topCount = n;
      return;
    }
    const scores = scratchFloat(0, n);
    const idfs = scratchFloat(1, n);
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      const idf = this.idf(id);
      idfs[i] = idf;
      scores[i] = tf[id]! * idf;
    }
    const order = scratchInt(0, n);
    const count = topPositions(scores, n, this.options.articleTerms, order);
    for (let j = 0; j < count; j++) {
      const i = order[j]!;
      const id = ids[i]!;
      this.topIds[j] = id;
      this.topTf[j] = tf[id]!;
      this.topIdf[j] = idfs[i]!;
    }
    this.topCount = count;
  }

  /** The top terms' unit-length tf-idf vector, into `vector`. */
  private weigh(): void {
    const n = this.topCount;
    const vector = this.vector;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      const w = this.topTf[i]! * this.topIdf[i]!;
      vector[i] = w;
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) vector[i] = vector[i]! / norm;
  }

  /** Stories sharing top terms with the article, best overlap first, at most `maxCandidates`. */
  private candidates(when: number | null): Story[] {
    const { queryTerms, maxCandidates, decayDays } = this.options;
    const query = scratchInt(1, this.topCount);
    const queried = topPositions(this.vector, this.topCount, queryTerms, query);
    const lookup = ++this.candidateLookups;
    const found: Story[] = [];
    for (let q = 0; q < queried; q++) {
      const posting = this.postings[this.topIds[query[q]!]!];
      if (!posting) continue;
      const weight = this.vector[query[q]!]!;
      for (const story of posting) {
        if (story.seen === lookup) story.overlap += weight;
        else {
          story.seen = lookup;
          story.overlap = 0 + weight;
          found.push(story);
        }
      }
    }
    this.lastCandidates = found.length;
    const overlaps = scratchFloat(2, found.length);
    for (let i = 0; i < found.length; i++) overlaps[i] = found[i]!.overlap;
    const decayed = (story: Story) => when !== null && story.last !== null && when - story.last > decayDays * dayMs;
    const ranked = scratchInt(2, found.length);
    // The best `maxCandidates` are the answer unless one of them has decayed (then the ranking goes on past it).
    let count = topPositions(overlaps, found.length, maxCandidates, ranked);
    let clean = true;
    for (let i = 0; i < count && clean; i++) clean = !decayed(found[ranked[i]!]!);
    if (!clean) count = sortPositions(overlaps, found.length, ranked);
    const out: Story[] = [];
    for (let i = 0; i < count; i++) {
      const story = found[ranked[i]!]!;
      if (decayed(story)) {
        this.unindex(story); // decayed: leaves the active index for good
        continue;
      }
      out.push(story);
      if (out.length >= maxCandidates) break;
    }
    return out;
  }

  /**
   * Cosine of the article with the story's centroid. Runs over the article's
   * terms only, with the centroid norm cached when the story last changed
   * (document frequencies drift little between two articles of a story).
   */
  private similarity(story: Story): number {
    if (story.norm === 0) return 0;
    const power = this.options.centroidPower;
    const { centroid } = story;
    const weights = centroid.weights;
    let dot = 0;
    for (let i = 0; i < this.topCount; i++) {
      const slot = centroid.slot(this.topIds[i]!);
      if (slot < 0) continue;
      const weight = weights[slot]!;
      dot += this.vector[i]! * (power === 1 ? weight : Math.pow(weight, power)) * this.topIdf[i]!;
    }
    return dot / story.norm;
  }

  private storySimilarity(a: Story, b: Story): number {
    let dot = 0;
    let na = 0;
    let nb = 0;
    const { terms, weights, size } = a.centroid;
    for (let i = 0; i < size; i++) {
      const term = terms[i]!;
      const idf = this.idf(term);
      const w = weights[i]! * idf;
      na += w * w;
      const slot = b.centroid.slot(term);
      if (slot >= 0) dot += w * b.centroid.weights[slot]! * idf;
    }
    for (let i = 0; i < b.centroid.size; i++) nb += (b.centroid.weights[i]! * this.idf(b.centroid.terms[i]!)) ** 2;
    return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  /** 1 without dates; halves for every `timeScaleDays` between the article and the story's date range. */
  private timeFactor(story: Story, when: number | null): number {
    if (when === null || story.first === null || story.last === null) return 1;
    const gap = when < story.first ? story.first - when : when > story.last ? when - story.last : 0;
    return Math.pow(0.5, gap / dayMs / this.options.timeScaleDays);
  }

  private createStory(article: ClusterableArticle, when: number | null): Story {
    const order = this.nextStory++;
    const story: Story = {
      id: `s${order.toString(36)}`,
      order,
      headline: article.title,
      first: when,
      last: when,
      articles: [],
      centroid: new Centroid(this.topCount),
      touched: this.arrivals,
      indexed: [],
      norm: 0,
      seen: 0,
      overlap: 0,
    };
    this.stories.set(story.id, story);
    this.addTo(story, article, when);
    return story;
  }

  /** Adds the current article (its top terms) to a story. */
  private addTo(story: Story, article: ClusterableArticle, when: number | null): void {
    story.articles.push(article.id);
    if (!story.headline && article.title) story.headline = article.title;
    if (when !== null) {
      story.first = story.first === null ? when : Math.min(story.first, when);
      story.last = story.last === null ? when : Math.max(story.last, when);
    }
    story.touched = this.arrivals;
    this.journal?.stories.add(story.id);
    // Each article adds its term frequencies normalised to unit length, so long articles do not dominate.
    const n = this.topCount;
    let norm = 0;
    for (let i = 0; i < n; i++) norm += this.topTf[i]! * this.topTf[i]!;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) story.centroid.add(this.topIds[i]!, this.topTf[i]! / norm);
    this.refresh(story);
  }

  private merge(keep: Story, absorb: Story): void {
    this.unindex(absorb);
    const { terms, weights, size } = absorb.centroid;
    for (let i = 0; i < size; i++) keep.centroid.add(terms[i]!, weights[i]!);
    keep.articles.push(...absorb.articles);
    for (const t of [absorb.first, absorb.last]) {
      if (t === null) continue;
      keep.first = keep.first === null ? t : Math.min(keep.first, t);
      keep.last = keep.last === null ? t : Math.max(keep.last, t);
    }
    keep.touched = Math.max(keep.touched, absorb.touched);
    this.stories.delete(absorb.id);
    this.redirects.set(absorb.id, keep.id);
    this.journal?.stories.add(absorb.id).add(keep.id);
    this.journal?.redirects.add(absorb.id);
    this.refresh(keep, true);
  }

  /**
   * After a story changed: recomputes its centroid norm, and, for small
   * stories and every fourth article of larger ones, prunes the centroid and
   * re-posts the story under its current top terms (only the top terms are
   * ranked, unless the centroid is pruned; a large story's top terms move
   * slowly). In between, the story is only marked most recent in its posting
   * lists.
   */
  private refresh(story: Story, full = story.articles.length < 16 || story.articles.length % 4 === 0): void {
    const power = this.options.centroidPower;
    const { centroid } = story;
    const size = centroid.size;
    const weighted = scratchFloat(3, size);
    let norm = 0;
    for (let i = 0; i < size; i++) {
      const weight = centroid.weights[i]!;
      const w = (power === 1 ? weight : Math.pow(weight, power)) * this.idf(centroid.terms[i]!);
      norm += w * w;
      weighted[i] = w;
    }
    story.norm = Math.sqrt(norm);
    if (!full) {
      for (const term of story.indexed) this.post(term, story);
      return;
    }
    const { centroidTerms, indexedTerms } = this.options;
    const ranked = scratchInt(3, size);
    let indexed: number[];
    if (size > centroidTerms * 1.5) {
      sortPositions(weighted, size, ranked);
      indexed = Array.from(ranked.subarray(0, Math.min(indexedTerms, size)), (slot) => centroid.terms[slot]!);
      let kept = 0;
      for (let i = 0; i < centroidTerms; i++) kept += weighted[ranked[i]!]! * weighted[ranked[i]!]!;
      centroid.keep(ranked, centroidTerms);
      story.norm = Math.sqrt(kept);
    } else {
      const count = topPositions(weighted, size, indexedTerms, ranked);
      indexed = Array.from(ranked.subarray(0, count), (slot) => centroid.terms[slot]!);
    }
    this.unindex(story);
    story.indexed = indexed;
    for (const term of indexed) this.post(term, story);
  }

  /** Adds (or moves) a story to the most recent end of a posting list, dropping the least recent beyond the cap. */
  private post(term: number, story: Story): void {
    let posting = this.postings[term];
    if (!posting) this.postings[term] = posting = [];
    const at = posting.indexOf(story);
    if (at >= 0) posting.splice(at, 1);
    posting.push(story);
    if (posting.length > this.options.postingCap) posting.shift();
  }

  private unindex(story: Story): void {
    for (const term of story.indexed) {
      const posting = this.postings[term];
      if (!posting) continue;
      const at = posting.indexOf(story);
      if (at >= 0) posting.splice(at, 1);
      if (posting.length === 0) this.postings[term] = undefined;
    }
    story.indexed = [];
  }

  private snapshot(story: Story): StorySnapshot {
    const { terms, weights, size } = story.centroid;
    const names = this.vocabulary.terms;
    // In place, as `frequencies`.
    const centroid: Record<string, number> = {};
    for (let i = 0; i < size; i++) centroid[names[terms[i]!]!] = round(weights[i]!);
    return {
      id: story.id,
      headline: story.headline,
      first: iso(story.first),
      last: iso(story.last),
      articles: [...story.articles],
      centroid,
      touched: story.touched,
    };
  }
}

/**
 * Writes into `out` the positions of the `k` largest of `values[0, n)`,
 * largest first and, among equal values, earlier first — the first `k` of a
 * stable descending sort — and returns how many (`min(k, n)`). An insertion
 * into a sorted buffer: cheap when `k` is small or most values fall below the
 * buffer's last.
 */
export function topPositions(values: Float64Array, n: number, k: number, out: Int32Array): number {
  if (k <= 0) return 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    if (count === k) {
      if (!(value > values[out[k - 1]!]!)) continue;
      count--;
    }
    let j = count;
    while (j > 0 && values[out[j - 1]!]! < value) {
      out[j] = out[j - 1]!;
      j--;
    }
    out[j] = i;
    count++;
  }
  return count;
}

/** All positions of `values[0, n)` into `out` as a stable descending sort orders them; returns `n`. */
export function sortPositions(values: Float64Array, n: number, out: Int32Array): number {
  for (let i = 0; i < n; i++) out[i] = i;
  out.subarray(0, n).sort((a, b) => values[b]! - values[a]! || a - b);
  return n;
}

/** Reusable scratch arrays (one clusterer works at a time: nothing here outlives a call). */
const floatScratch: Float64Array[] = [];
const intScratch: Int32Array[] = [];

function scratchFloat(slot: number, length: number): Float64Array {
  let array = floatScratch[slot];
  if (!array || array.length < length) floatScratch[slot] = array = new Float64Array(Math.max(256, length * 2));
  return array;
}

function scratchInt(slot: number, length: number): Int32Array {
  let array = intScratch[slot];
  if (!array || array.length < length) intScratch[slot] = array = new Int32Array(Math.max(256, length * 2));
  return array;
}

function grownInt32(array: Int32Array, length: number) {
  const out = new Int32Array(length);
  out.set(array);
  return out;
}

function time(value: string | null): number | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

function iso(t: number | null): string | null {
  return t === null ? null : new Date(t).toISOString();
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

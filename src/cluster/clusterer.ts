/**
 * One-pass story clustering. Each article is compared with the few stories an
 * inverted index proposes (stories index only their top-weighted terms, and
 * each posting list keeps only its most recently active stories), joins the
 * most similar one above a threshold or starts a new story, and may cause the
 * two stories it resembles most to merge. Nothing is ever re-clustered.
 */
import { contentWords } from '../link/text.js';
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
  centroid: Map<string, number>;
  touched: number;
  indexed: string[];
  /** Norm of the idf-weighted centroid when the story last changed. */
  norm: number;
}

/** A term's document frequency `n` and `log(n + 1)`. */
interface TermCount {
  n: number;
  log: number;
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

export class StoryClusterer {
  readonly options: ClustererOptions;
  private readonly stories = new Map<string, Story>();
  private readonly redirects = new Map<string, string>();
  /**
   * Document frequency of each term with its `log(df + 1)`, kept as df
   * changes: an idf is then one lookup and a subtraction, and counting a
   * document one lookup.
   */
  private readonly df = new Map<string, TermCount>();
  /** `log(documents + 1)`. */
  private logDocuments = 0;
  private readonly postings = new Map<string, Set<string>>();
  private documents = 0;
  private nextStory = 0;
  private arrivals = 0;
  /** Latest publication time seen, for dropping decayed stories. */
  private latest: number | null = null;
  /** Stories dropped by the last sweeps and not yet taken by `drainRetired` (at most `retiredCap`). */
  private retired: Array<Omit<StorySnapshot, 'centroid'>> = [];
  /** Stories scored for the last article, for the benchmark's bounded-cost check. */
  lastCandidates = 0;
  /** Keys changed since the last `takeDelta`, once `trackChanges` was called. */
  private journal: { stories: Set<string>; df: Set<string>; redirects: Set<string> } | null = null;

  constructor(options: Partial<ClustererOptions> = {}) {
    this.options = { ...defaultClustererOptions, ...options };
  }

  assign(article: ClusterableArticle): AssignResult {
    const when = time(article.published);
    if (when !== null && (this.latest === null || when > this.latest)) this.latest = when;
    if (this.arrivals > 0 && this.arrivals % sweepEvery === 0) this.sweep();
    const allTerms = this.termFrequencies(article);
    for (const term of allTerms.keys()) this.countDocument(term);
    if (this.journal) for (const term of allTerms.keys()) this.journal.df.add(term);
    this.documents++;
    this.logDocuments = Math.log(this.documents + 1);
    this.arrivals++;
    const terms = this.topTerms(allTerms);
    const vector = this.weigh(terms);
    const scored = this.candidates(vector, when)
      .map((story) => ({ story, similarity: this.similarity(vector, story) * this.timeFactor(story, when) }))
      .sort((a, b) => b.similarity - a.similarity || a.story.order - b.story.order);
    const best = scored[0];
    const { joinThreshold } = this.options;
    if (!best || best.similarity < joinThreshold) {
      const story = this.createStory(article, terms, when);
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
    this.addTo(target, article, terms, when);
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
    return story ? snapshot(story) : undefined;
  }

  allStories(): StorySnapshot[] {
    return [...this.stories.values()].map(snapshot);
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
    if (this.df.size > dfCap) {
      for (const [term, count] of this.df) {
        if (count.n > 1) continue;
        this.df.delete(term);
        this.journal?.df.add(term);
      }
    }
  }

  get storyCount(): number {
    return this.stories.size;
  }

  export(): ClustererState {
    return {
      version: 1,
      ...this.counters(),
      df: Object.fromEntries([...this.df].map(([term, count]) => [term, count.n])),
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
    for (const [term, n] of Object.entries(state.df)) clusterer.df.set(term, { n, log: Math.log(n + 1) });
    for (const [from, to] of Object.entries(state.redirects)) clusterer.redirects.set(from, to);
    clusterer.restoreStories(state.stories);
    return clusterer;
  }

  private counters(): Pick<ClustererDelta, 'nextStory' | 'arrivals' | 'documents' | 'latest'> {
    return { nextStory: this.nextStory, arrivals: this.arrivals, documents: this.documents, latest: iso(this.latest) };
  }

  /** From now on, records what changes, for `takeDelta`. */
  trackChanges(): void {
    this.journal ??= { stories: new Set(), df: new Set(), redirects: new Set() };
  }

  /** What changed since the last call (or `trackChanges`), and starts recording afresh. */
  takeDelta(): ClustererDelta {
    if (!this.journal) throw new Error('takeDelta needs trackChanges first');
    const { stories, df, redirects } = this.journal;
    this.journal = { stories: new Set(), df: new Set(), redirects: new Set() };
    const changed: StorySnapshot[] = [];
    const removed: string[] = [];
    for (const id of stories) {
      const story = this.stories.get(id);
      if (story) changed.push(snapshot(story));
      else removed.push(id);
    }
    return {
      version: 1,
      ...this.counters(),
      df: Object.fromEntries([...df].map((term) => [term, this.df.get(term)?.n ?? 0])),
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
    for (const [term, n] of Object.entries(delta.df)) {
      if (n > 0) this.df.set(term, { n, log: Math.log(n + 1) });
      else this.df.delete(term);
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
  }

  /** Adds saved stories, least recently active first (so posting lists keep the most recent), indexed under the current frequencies. */
  private restoreStories(snapshots: StorySnapshot[]): void {
    for (const s of [...snapshots].sort((a, b) => a.touched - b.touched)) {
      const story: Story = {
        id: s.id,
        order: Number.parseInt(s.id.slice(1), 36),
        headline: s.headline,
        first: time(s.first),
        last: time(s.last),
        articles: [...s.articles],
        centroid: new Map(Object.entries(s.centroid)),
        touched: s.touched,
        indexed: [],
        norm: 0,
      };
      this.stories.set(story.id, story);
      this.refresh(story, true);
    }
  }

  /** Field-weighted term counts: body words, title words (weighted up), entity keys (weighted up), mentioned days. */
  private termFrequencies(article: ClusterableArticle): Map<string, number> {
    const counts = new Map<string, number>();
    const add = (term: string, weight: number) => counts.set(term, (counts.get(term) ?? 0) + weight);
    const fields: [string, number][] = [[article.text, 1]];
    if (article.title) fields.push([article.title, this.options.titleWeight]);
    fields.forEach(([text, weight], field) => {
      const tokens = field === 0 && article.contentWords ? article.contentWords : contentWords(text);
      tokens.forEach((word, i) => {
        add(word, weight);
        if (this.options.bigramWeight > 0 && i > 0) add(`${tokens[i - 1]} ${word}`, weight * this.options.bigramWeight);
      });
    });
    for (const key of new Set(article.entityKeys ?? [])) add(`@${key}`, this.options.entityWeight);
    // Words are letters and digits, so `@` and `#` terms never collide with them.
    for (const day of new Set(article.dates ?? [])) add(`#${day}`, this.options.dateWeight);
    // Sublinear term frequency: a word repeated ten times is not ten times the topic.
    for (const [term, n] of counts) counts.set(term, 1 + Math.log(n));
    return counts;
  }

  private countDocument(term: string): void {
    const count = this.df.get(term);
    if (count === undefined) this.df.set(term, { n: 1, log: Math.LN2 });
    else count.log = Math.log(++count.n + 1);
  }

  /** log((documents + 1) / (df + 1)) + 1, as a difference of logs kept up to date. */
  private idf(term: string): number {
    const idf = this.logDocuments - (this.df.get(term)?.log ?? 0) + 1;
    return this.options.idfPower === 1 ? idf : Math.pow(idf, this.options.idfPower);
  }

  /** The article's `articleTerms` terms of highest tf-idf, with their frequencies. */
  private topTerms(terms: Map<string, number>): Map<string, number> {
    if (terms.size <= this.options.articleTerms) return terms;
    const ranked = [...terms].map(([term, tf]) => [term, tf, tf * this.idf(term)] as const).sort((a, b) => b[2] - a[2]);
    return new Map(ranked.slice(0, this.options.articleTerms).map(([term, tf]) => [term, tf]));
  }

  /** Unit-length tf-idf vector. */
  private weigh(terms: Map<string, number>): Map<string, number> {
    const vector = new Map<string, number>();
    let norm = 0;
    for (const [term, tf] of terms) {
      const w = tf * this.idf(term);
      vector.set(term, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [term, w] of vector) vector.set(term, w / norm);
    return vector;
  }

  /** Stories sharing top terms with the article, best overlap first, at most `maxCandidates`. */
  private candidates(vector: Map<string, number>, when: number | null): Story[] {
    const query = [...vector].sort((a, b) => b[1] - a[1]).slice(0, this.options.queryTerms);
    const overlap = new Map<string, number>();
    for (const [term, weight] of query) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      for (const id of posting) overlap.set(id, (overlap.get(id) ?? 0) + weight);
    }
    const out: Story[] = [];
    for (const [id] of [...overlap].sort((a, b) => b[1] - a[1])) {
      const story = this.stories.get(id);
      if (!story) continue;
      if (when !== null && story.last !== null && when - story.last > this.options.decayDays * dayMs) {
        this.unindex(story); // decayed: leaves the active index for good
        continue;
      }
      out.push(story);
      if (out.length >= this.options.maxCandidates) break;
    }
    this.lastCandidates = overlap.size;
    return out;
  }

  /**
   * Cosine of the article with the story's centroid. Runs over the article's
   * terms only, with the centroid norm cached when the story last changed
   * (document frequencies drift little between two articles of a story).
   */
  private similarity(vector: Map<string, number>, story: Story): number {
    if (story.norm === 0) return 0;
    const power = this.options.centroidPower;
    let dot = 0;
    for (const [term, a] of vector) {
      const weight = story.centroid.get(term);
      if (weight !== undefined) dot += a * (power === 1 ? weight : Math.pow(weight, power)) * this.idf(term);
    }
    return dot / story.norm;
  }

  private storySimilarity(a: Story, b: Story): number {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (const [term, weight] of a.centroid) {
      const idf = this.idf(term);
      const w = weight * idf;
      na += w * w;
      const other = b.centroid.get(term);
      if (other !== undefined) dot += w * other * idf;
    }
    for (const [term, weight] of b.centroid) nb += (weight * this.idf(term)) ** 2;
    return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  /** 1 without dates; halves for every `timeScaleDays` between the article and the story's date range. */
  private timeFactor(story: Story, when: number | null): number {
    if (when === null || story.first === null || story.last === null) return 1;
    const gap = when < story.first ? story.first - when : when > story.last ? when - story.last : 0;
    return Math.pow(0.5, gap / dayMs / this.options.timeScaleDays);
  }

  private createStory(article: ClusterableArticle, terms: Map<string, number>, when: number | null): Story {
    const order = this.nextStory++;
    const story: Story = {
      id: `s${order.toString(36)}`,
      order,
      headline: article.title,
      first: when,
      last: when,
      articles: [],
      centroid: new Map(),
      touched: this.arrivals,
      indexed: [],
      norm: 0,
    };
    this.stories.set(story.id, story);
    this.addTo(story, article, terms, when);
    return story;
  }

  private addTo(story: Story, article: ClusterableArticle, terms: Map<string, number>, when: number | null): void {
    story.articles.push(article.id);
    if (!story.headline && article.title) story.headline = article.title;
    if (when !== null) {
      story.first = story.first === null ? when : Math.min(story.first, when);
      story.last = story.last === null ? when : Math.max(story.last, when);
    }
    story.touched = this.arrivals;
    this.journal?.stories.add(story.id);
    // Each article adds its term frequencies normalised to unit length, so long articles do not dominate.
    let norm = 0;
    for (const tf of terms.values()) norm += tf * tf;
    norm = Math.sqrt(norm) || 1;
    for (const [term, tf] of terms) story.centroid.set(term, (story.centroid.get(term) ?? 0) + tf / norm);
    this.refresh(story);
  }

  private merge(keep: Story, absorb: Story): void {
    this.unindex(absorb);
    for (const [term, w] of absorb.centroid) keep.centroid.set(term, (keep.centroid.get(term) ?? 0) + w);
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
   * re-posts the story under its current top terms (sorting is the costly
   * part, and a large story's top terms move slowly). In between, the story is
   * only marked most recent in its posting lists.
   */
  private refresh(story: Story, full = story.articles.length < 16 || story.articles.length % 4 === 0): void {
    const power = this.options.centroidPower;
    const weighted: [string, number][] = [];
    let norm = 0;
    for (const [term, weight] of story.centroid) {
      const w = (power === 1 ? weight : Math.pow(weight, power)) * this.idf(term);
      norm += w * w;
      if (full) weighted.push([term, w]);
    }
    story.norm = Math.sqrt(norm);
    if (!full) {
      for (const term of story.indexed) this.post(term, story.id);
      return;
    }
    weighted.sort((a, b) => b[1] - a[1]);
    if (story.centroid.size > this.options.centroidTerms * 1.5) {
      story.centroid = new Map(weighted.slice(0, this.options.centroidTerms).map(([term]) => [term, story.centroid.get(term)!]));
      story.norm = Math.sqrt(weighted.slice(0, this.options.centroidTerms).reduce((sum, [, w]) => sum + w * w, 0));
    }
    this.unindex(story);
    story.indexed = weighted.slice(0, this.options.indexedTerms).map(([term]) => term);
    for (const term of story.indexed) this.post(term, story.id);
  }

  /** Adds (or moves) a story to the most recent end of a posting list, dropping the least recent beyond the cap. */
  private post(term: string, id: string): void {
    let posting = this.postings.get(term);
    if (!posting) this.postings.set(term, (posting = new Set()));
    posting.delete(id);
    posting.add(id);
    // A Set iterates in insertion order: the first entry is the least recently active story.
    if (posting.size > this.options.postingCap) posting.delete(posting.values().next().value as string);
  }

  private unindex(story: Story): void {
    for (const term of story.indexed) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      posting.delete(story.id);
      if (posting.size === 0) this.postings.delete(term);
    }
    story.indexed = [];
  }
}

function snapshot(story: Story): StorySnapshot {
  return {
    id: story.id,
    headline: story.headline,
    first: iso(story.first),
    last: iso(story.last),
    articles: [...story.articles],
    centroid: Object.fromEntries([...story.centroid].map(([t, w]) => [t, round(w)])),
    touched: story.touched,
  };
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

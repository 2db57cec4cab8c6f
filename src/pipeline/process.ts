/**
 * After ingestion: analyze -> link -> cluster -> families -> briefings, for
 * the articles that need it. Idempotent: running it twice changes nothing the
 * second time. Linking and clustering state is saved in the store, so story
 * ids stay stable across runs.
 */
import { analyze, ANALYZER_VERSION } from '../analyze/index.js';
import { splitSentences } from '../analyze/sentences.js';
import type { Analysis } from '../analyze/types.js';
import { buildBriefing, centralTitle, type Briefing, type StoryArticle } from '../brief/index.js';
import { StoryClusterer, type ClustererState, type StorySnapshot } from '../cluster/index.js';
import { buildFamilies, Linker, prepareText, type LinkableArticle, type PreparedText } from '../link/index.js';
import type { Store, StoredLink, StoryMember, StoryRecord } from '../store/index.js';
import type { Article, Span } from '../types.js';
import { AnalysisPool } from './pool.js';

/** Articles re-read into the linker at the start of a run, newest first: enough to catch copies of recent news. */
const LINKER_WARM_START = 5_000;
/**
 * Below this many articles, analysis runs in the calling thread: starting
 * workers loads the models once per worker (about a second), which only pays
 * for itself on larger batches.
 */
const POOL_THRESHOLD = 64;
/** Analyses in flight at once, so results are saved while later ones run. */
const POOL_WINDOW = 64;
/**
 * Articles linked and clustered between two saves of stories, links and
 * clusterer state: what a run holds in memory besides the linker window and
 * the active stories, whatever the number of pending articles. Each save
 * serialises the clusterer state (active stories only), so fewer, larger
 * chunks cost less; 5,000 keeps a chunk's records to a few megabytes.
 */
const CHUNK = 5_000;

/**
 * What linking and clustering need of an analysis, kept small because one is
 * held per article analysed in this run until it is clustered: sentence spans
 * as flat start/end pairs, actor keys and mentioned days joined by newlines.
 */
export interface LinkInfo {
  spans: Uint32Array;
  entityKeys: string;
  dates?: string;
}

/** What a story record and its families need of an article (no text). */
export type ArticleFacts = Pick<Article, 'id' | 'title' | 'published' | 'provenance'>;

/** An article ready to be linked and clustered: read, and its text prepared for the linker. */
export interface ClusterInput {
  article: Article;
  input: LinkableArticle;
  prepared: PreparedText;
  dates: string[] | undefined;
  /** Links found beforehand (`prelink`, outside the cluster lock); absent: linked when clustered. */
  links?: StoredLink[];
}

export interface LinkAndClusterOptions {
  /** What analysis just computed, by article id (taken out as used); other analyses are read back. */
  infos?: Map<string, LinkInfo>;
  /** Articles read and prepared beforehand (outside the cluster lock); the others are read here. */
  inputs?: Map<string, ClusterInput>;
  /**
   * Facts of articles already in stories, kept by a long-lived caller across
   * calls: members of a changed story found here are not read again when the
   * story is saved. Facts of the articles clustered are added.
   */
  facts?: Map<string, ArticleFacts>;
  onProgress?: ProcessOptions['onProgress'];
}

/** One chunk's results, saved together. */
interface Chunk {
  links: StoredLink[];
  /** Stories that gained articles in this chunk (ids as assigned; resolved at save time). */
  changed: Set<string>;
  redirects: Array<{ from: string; to: string }>;
  /** Changed stories the clusterer dropped as decayed before the save. */
  retired: Map<string, Omit<StorySnapshot, 'centroid'>>;
  facts: Map<string, ArticleFacts>;
}

export interface ProcessSummary {
  analyzed: number;
  clustered: number;
  /** Stories created or changed by this run. */
  stories: string[];
  briefings: number;
}

export interface ProcessOptions {
  /** Build and store briefings of changed stories (default true). */
  briefings?: boolean;
  /** Worker threads for analysis (default: one per core; 0 analyses in this thread). */
  workers?: number;
  /** Called after analysis and after linking + clustering, for timing. */
  onPhase?: (phase: 'analyzed' | 'clustered' | 'briefed') => void;
  onProgress?: (stage: 'analyze' | 'cluster' | 'brief', done: number, total: number) => void;
}

export async function processPending(store: Store, options: ProcessOptions = {}): Promise<ProcessSummary> {
  const infos = new Map<string, LinkInfo>();
  const analyzed = await analyzePending(store, options, infos);
  options.onPhase?.('analyzed');
  const summary: ProcessSummary = { analyzed, clustered: 0, stories: [], briefings: 0 };
  // Pending articles are read under the lock: another process sharing the store may have clustered some meanwhile.
  const stories = await store.withClusterLock(async () => {
    const pending = await store.articlesWithoutStory();
    summary.clustered = pending.length;
    if (pending.length === 0) return [];
    const clusterer = await loadClusterer(store);
    const linker = new Linker();
    await warmLinker(store, linker, clusterer);
    return linkAndCluster(store, clusterer, linker, pending, { infos, onProgress: options.onProgress });
  });
  if (summary.clustered === 0) return summary;
  summary.stories = stories;
  options.onPhase?.('clustered');

  if (options.briefings ?? true) {
    for (const [n, id] of stories.entries()) {
      await refreshBriefing(store, id);
      summary.briefings++;
      options.onProgress?.('brief', n + 1, stories.length);
    }
    options.onPhase?.('briefed');
  }
  return summary;
}

/**
 * Links and clusters `ids` (analysed articles in no story yet) in order, with
 * a linker and clusterer that hold the store's latest state, saving every
 * `CHUNK` articles. Returns the stories created or changed, as they are now
 * (merges resolved). The caller holds the store's cluster lock; reading and
 * preparing the articles (`clusterInputs`) need not happen under it.
 */
export async function linkAndCluster(
  store: Store, clusterer: StoryClusterer, linker: Linker, ids: string[], options: LinkAndClusterOptions = {},
): Promise<string[]> {
  const { onProgress, facts } = options;
  const infos = options.infos ?? new Map<string, LinkInfo>();
  const changed = new Set<string>();
  for (let start = 0; start < ids.length; start += CHUNK) {
    const slice = ids.slice(start, start + CHUNK);
    const inputs = options.inputs ?? await clusterInputs(store, slice, infos);
    const chunk = newChunk();
    for (const [n, id] of slice.entries()) {
      const { article, input, prepared, dates, links } = inputs.get(id) ?? (await clusterInputs(store, [id], infos)).get(id)!;
      chunk.links.push(...(links ?? linker.add(input, prepared).map(storedLink)));
      const result = clusterer.assign({ id, text: article.text, title: article.title, published: article.published, entityKeys: input.entityKeys, dates, contentWords: prepared.content });
      chunk.changed.add(result.storyId);
      changed.add(result.storyId);
      for (const absorbed of result.merged) {
        chunk.redirects.push({ from: absorbed, to: result.storyId });
        chunk.changed.delete(absorbed);
        changed.delete(absorbed);
      }
      for (const story of clusterer.drainRetired()) if (chunk.changed.has(story.id)) chunk.retired.set(story.id, story);
      chunk.facts.set(id, factsOf(article));
      onProgress?.('cluster', start + n + 1, ids.length);
    }
    await saveChunk(store, clusterer, chunk, facts);
    if (facts) for (const [id, f] of chunk.facts) facts.set(id, f);
  }
  return [...new Set([...changed].map((id) => clusterer.resolve(id)))];
}

/**
 * Reads `ids` in one call per 500 and prepares them for linking and
 * clustering. Link infos come from `infos` (taken out) or from the stored
 * analysis; an article that is gone is left out.
 */
export async function clusterInputs(store: Store, ids: string[], infos: Map<string, LinkInfo> = new Map()): Promise<Map<string, ClusterInput>> {
  const out = new Map<string, ClusterInput>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const article of await store.getArticles(ids.slice(i, i + 500))) {
      const info = infos.get(article.id) ?? linkInfo((await store.getAnalysis(article.id))!.analysis);
      infos.delete(article.id);
      const input = linkable(article, info);
      out.set(article.id, { article, input, prepared: prepareText(input), dates: info.dates ? info.dates.split('\n') : undefined });
    }
  }
  return out;
}

/**
 * Links articles not yet clustered with what `linker` holds and adds them to
 * it, ahead of clustering: a long-lived caller does this outside the cluster
 * lock. Articles stored by other processes after this must then be passed to
 * `rememberArticles` with these inputs as `held`, so the pairs between them
 * are linked too.
 */
export function prelink(linker: Linker, inputs: Iterable<ClusterInput>): void {
  for (const item of inputs) item.links ??= linker.add(item.input, item.prepared).map(storedLink);
}

function storedLink(link: StoredLink): StoredLink {
  return { from: link.from, to: link.to, kind: link.kind, similarity: link.similarity, alignedShare: link.alignedShare };
}

function factsOf(article: ArticleFacts): ArticleFacts {
  return { id: article.id, title: article.title, published: article.published, provenance: article.provenance };
}

function newChunk(): Chunk {
  return { links: [], changed: new Set(), redirects: [], retired: new Map(), facts: new Map() };
}

/** Saves a chunk's links and changed stories (records, members, families) with the clusterer state, in one transaction. */
async function saveChunk(store: Store, clusterer: StoryClusterer, chunk: Chunk, known?: Map<string, ArticleFacts>): Promise<void> {
  const snapshots = new Map<string, Omit<StorySnapshot, 'centroid'>>();
  for (const id of chunk.changed) {
    const snapshot = clusterer.members(id) ?? chunk.retired.get(clusterer.resolve(id)) ?? chunk.retired.get(id);
    if (snapshot) snapshots.set(snapshot.id, snapshot);
  }
  // New links grouped by the story holding both ends (links across stories do not make families).
  const storyOfArticle = new Map<string, string>();
  for (const snapshot of snapshots.values()) for (const id of snapshot.articles) storyOfArticle.set(id, snapshot.id);
  const newLinksByStory = new Map<string, StoredLink[]>();
  for (const link of chunk.links) {
    const story = storyOfArticle.get(link.from);
    if (story === undefined || story !== storyOfArticle.get(link.to)) continue;
    (newLinksByStory.get(story) ?? newLinksByStory.set(story, []).get(story)!).push(link);
  }
  // Members stored by earlier chunks: from the caller's facts, the rest read in one call (one round trip for PostgreSQL).
  const earlier = new Map<string, ArticleFacts>();
  const missing = [...snapshots.values()].flatMap((snapshot) => snapshot.articles.filter((id) => !chunk.facts.has(id) && !known?.has(id)));
  for (const article of await store.getArticles(missing)) {
    earlier.set(article.id, factsOf(article));
    known?.set(article.id, factsOf(article));
  }
  // The stored links among every changed story's members in one call; a story keeps those with both ends in it.
  const storedByStory = new Map<string, StoredLink[]>();
  for (const link of await store.linksAmong([...storyOfArticle.keys()])) {
    const story = storyOfArticle.get(link.from);
    if (story === undefined || story !== storyOfArticle.get(link.to)) continue;
    (storedByStory.get(story) ?? storedByStory.set(story, []).get(story)!).push(link);
  }
  const stories: Array<StoryRecord & { members: StoryMember[] }> = [];
  for (const snapshot of snapshots.values()) {
    const articles: ArticleFacts[] = [];
    for (const id of snapshot.articles) {
      const facts = chunk.facts.get(id) ?? known?.get(id) ?? earlier.get(id);
      if (facts) articles.push(facts);
    }
    const storyLinks = [...(storedByStory.get(snapshot.id) ?? []), ...(newLinksByStory.get(snapshot.id) ?? [])];
    const members = familiesOf(articles, storyLinks);
    const published = articles.map((a) => a.published).filter((p): p is string => p !== null).sort();
    stories.push({
      id: snapshot.id,
      headline: centralTitle(articles.map((a) => a.title)) ?? snapshot.headline ?? 'Untitled story',
      firstPublished: published[0] ?? null,
      lastPublished: published.at(-1) ?? null,
      articleCount: articles.length,
      familyCount: new Set(members.map((m) => m.familyId)).size,
      updatedAt: new Date().toISOString(),
      members,
    });
  }
  await store.saveStoryUpdate({ links: chunk.links, stories, redirects: chunk.redirects, clustererState: JSON.stringify(clusterer.export()) });
}

/** Analyzes every article without a current analysis, on all cores when there are many. */
export async function analyzePending(store: Store, options: ProcessOptions = {}, infos?: Map<string, LinkInfo>): Promise<number> {
  const ids = await store.articlesNeedingAnalysis(ANALYZER_VERSION);
  const workers = ids.length < POOL_THRESHOLD ? 0 : options.workers;
  const pool = new AnalysisPool(workers);
  try {
    let done = 0;
    const save = async (id: string, analysis: Analysis) => {
      await store.saveAnalysis({ articleId: id, version: ANALYZER_VERSION, analysis });
      infos?.set(id, linkInfo(analysis));
      options.onProgress?.('analyze', ++done, ids.length);
    };
    const inFlight: Array<Promise<void>> = [];
    for (const id of ids) {
      const article = (await store.getArticle(id))!;
      inFlight.push(pool.analyze(article).then((analysis) => save(id, analysis)));
      if (inFlight.length >= POOL_WINDOW) await inFlight.shift();
    }
    await Promise.all(inFlight);
  } finally {
    await pool.close();
  }
  return ids.length;
}

/** Builds the story's briefing from the store and keeps it (earlier ones stay as history). */
export async function refreshBriefing(store: Store, storyId: string): Promise<Briefing | null> {
  const briefing = await briefStory(store, storyId);
  if (briefing) await store.saveBriefing({ storyId: briefing.id, builtAt: new Date().toISOString(), articleCount: briefing.articles.length, data: JSON.stringify(briefing) });
  return briefing;
}

/** Builds a story's briefing from what the store holds (not saved). */
export async function briefStory(store: Store, storyId: string): Promise<Briefing | null> {
  const story = await store.getStory(storyId);
  if (!story) return null;
  // A page fetched again with a changed text speaks through its newest revision only; the older text stays stored.
  const allMembers = await store.storyMembers(story.id);
  const superseded = await store.supersededArticles(allMembers.map((m) => m.articleId));
  const members = allMembers.filter((m) => !superseded.has(m.articleId));
  const articles: StoryArticle[] = [];
  for (const member of members) {
    const article = await store.getArticle(member.articleId);
    const analysis = await store.getAnalysis(member.articleId);
    if (!article || !analysis) continue;
    articles.push({ article, analysis: analysis.analysis, family: member.familyId, derivedFrom: member.derivedFrom });
  }
  const links = await store.linksAmong(members.map((m) => m.articleId));
  return buildBriefing({ id: story.id, articles, links });
}

/** The clusterer as the store last saved it, or a new one. */
export async function loadClusterer(store: Store): Promise<StoryClusterer> {
  const saved = await store.loadClustererState();
  return saved ? StoryClusterer.import(JSON.parse(saved) as ClustererState) : new StoryClusterer();
}

/**
 * Re-reads the most recent stored articles into the linker so new copies of
 * them are found; returns their ids. Sentences come from the analysis splitter run on the text
 * (the analysis stage's own sentences are exactly these), which is much
 * cheaper than parsing each stored analysis.
 */
export async function warmLinker(store: Store, linker: Linker, clusterer: StoryClusterer, facts?: Map<string, ArticleFacts>): Promise<string[]> {
  const ids = clusterer.recentArticles(LINKER_WARM_START);
  await rememberArticles(store, linker, ids, facts);
  return ids;
}

/**
 * Puts stored, already linked articles into the linker, so later arrivals are
 * compared with them; records their facts in `facts`. `held` are articles
 * linked beforehand (`prelink`) but not clustered yet: they were never
 * compared with these, so they are now (in a linker of their own, the
 * links added to theirs).
 */
export async function rememberArticles(store: Store, linker: Linker, ids: string[], facts?: Map<string, ArticleFacts>, held: ClusterInput[] = []): Promise<void> {
  const pending = held.filter((h) => h.links !== undefined);
  const meanwhile = pending.length > 0 ? new Linker(linker.options) : null;
  // In slices: one round trip per slice, and never every text in memory at once.
  for (let i = 0; i < ids.length; i += 500) {
    for (const article of await store.getArticles(ids.slice(i, i + 500))) {
      facts?.set(article.id, factsOf(article));
      const input = linkable(article, { spans: flatSpans(splitSentences(article.text).map((s) => s.span)), entityKeys: '' });
      const prepared = prepareText(input);
      linker.remember(input, prepared);
      meanwhile?.remember(input, prepared);
    }
  }
  if (!meanwhile) return;
  const stored = new Set(ids);
  // Pairs among the held articles were linked by `prelink` already; only those with a stored article are new.
  for (const item of pending) item.links!.push(...meanwhile.add(item.input, item.prepared).filter((l) => stored.has(l.from) || stored.has(l.to)).map(storedLink));
}

function linkable(article: Article, info: LinkInfo): LinkableArticle {
  const sentences: Span[] = [];
  for (let i = 0; i < info.spans.length; i += 2) sentences.push([info.spans[i]!, info.spans[i + 1]!]);
  return {
    id: article.id, text: article.text, title: article.title, published: article.published, outlet: article.outlet,
    provenance: article.provenance, sentences, entityKeys: info.entityKeys ? info.entityKeys.split('\n') : [],
  };
}

export function linkInfo(analysis: Analysis): LinkInfo {
  return {
    spans: flatSpans(analysis.sentences.map((s) => s.span)),
    entityKeys: analysis.actors.map((a) => a.key).join('\n'),
    dates: analysis.dates.filter((d) => d.granularity === 'day').map((d) => d.date).join('\n'),
  };
}

function flatSpans(spans: Span[]): Uint32Array {
  const flat = new Uint32Array(spans.length * 2);
  spans.forEach(([start, end], i) => {
    flat[2 * i] = start;
    flat[2 * i + 1] = end;
  });
  return flat;
}

/** Families (copies, rewrites, shared wire copy) and, for each article, what it derives from. */
export function familiesOf(articles: Pick<Article, 'id' | 'provenance'>[], links: StoredLink[]): StoryMember[] {
  const families = buildFamilies(articles.map((a) => ({ id: a.id, provenance: a.provenance })), links.map((l) => ({ ...l })));
  const familyOf = new Map<string, string>();
  for (const family of families) for (const id of family.articles) familyOf.set(id, family.id);
  // What each article derives from: its strongest link as the copy or rewrite side.
  const source = new Map<string, StoredLink>();
  for (const link of links) {
    const best = source.get(link.from);
    if (!best || link.alignedShare > best.alignedShare || (link.alignedShare === best.alignedShare && link.similarity > best.similarity)) source.set(link.from, link);
  }
  return articles.map((a) => ({ articleId: a.id, familyId: familyOf.get(a.id) ?? a.id, derivedFrom: source.get(a.id)?.to ?? null }));
}

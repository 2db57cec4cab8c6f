/**
 * After ingestion: analyze -> link -> cluster -> families -> briefings, for
 * the articles that need it. Idempotent: running it twice changes nothing the
 * second time. Linking and clustering state is saved in the store, so story
 * ids stay stable across runs.
 */
import { ANALYZER_VERSION } from '../analyze/index.js';
import { splitSentences } from '../analyze/sentences.js';
import type { Analysis } from '../analyze/types.js';
import { buildBriefing, centralTitle, type Briefing, type StoryArticle } from '../brief/index.js';
import { StoryClusterer, type ClustererDelta, type ClustererState, type StorySnapshot } from '../cluster/index.js';
import { buildFamilies, Linker, prepareText, type LinkableArticle, type PreparedText } from '../link/index.js';
import type { Store, StoredLink, StoryMember, StoryRecord } from '../store/index.js';
import type { Article, Span } from '../types.js';
import { LinkThread, storedLink } from './link-thread.js';
import { ArticlePool } from './pool.js';

/** Articles re-read into the linker at the start of a run, newest first: enough to catch copies of recent news. */
export const LINKER_WARM_START = 5_000;
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
  /**
   * Save the clusterer's changes (`takeDelta`, appended to the store's
   * clusterer log) instead of its whole state: for a caller that clusters
   * often, whose clusterer tracks its changes (`trackChanges`) since a state
   * the store holds.
   */
  delta?: boolean;
  /**
   * The store's clusterer generation the clusterer was loaded at or last
   * saved: every save then asks the store to check it has not moved
   * (`StoryUpdate.expectGeneration`), for callers that may not be the only
   * writer (a worker whose cluster lead could be lost).
   */
  generation?: number;
  onProgress?: ProcessOptions['onProgress'];
}

/** An article's links: at once from a linker in this thread, later from a `LinkThread`. */
type Linking = (input: LinkableArticle, prepared: PreparedText) => StoredLink[] | Promise<StoredLink[]>;

/** Linking with `linker` in this thread. */
function linkingIn(linker: Linker): Linking {
  return (input, prepared) => linker.add(input, prepared).map(storedLink);
}

/** One chunk's results, saved together. */
interface Chunk {
  /** Each article's links, in order (awaited when the chunk is saved). */
  links: Array<StoredLink[] | Promise<StoredLink[]>>;
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
  /** Link on a thread of its own while this one clusters (default: when analysis runs on workers). */
  linkThread?: boolean;
  /** Called when analysis is done (it overlaps linking + clustering, so both end together), after linking + clustering, and after briefings, for timing. */
  onPhase?: (phase: 'analyzed' | 'clustered' | 'briefed') => void;
  onProgress?: (stage: 'analyze' | 'cluster' | 'brief', done: number, total: number) => void;
}

export async function processPending(store: Store, options: ProcessOptions = {}): Promise<ProcessSummary> {
  const needing = await store.articlesNeedingAnalysis(ANALYZER_VERSION);
  const summary: ProcessSummary = { analyzed: needing.length, clustered: 0, stories: [], briefings: 0 };
  // Started once the number of articles to work on is known (`POOL_THRESHOLD`).
  let pool: ArticlePool | null = null;
  const poolFor = (articles: number) => (pool ??= new ArticlePool(articles < POOL_THRESHOLD ? 0 : options.workers));
  let linkThread: LinkThread | null = null;
  let analysed = 0;
  const onAnalysed = () => options.onProgress?.('analyze', ++analysed, needing.length);
  let stories: string[];
  try {
    // Articles in stories already whose analysis is out of date: analysed only (their stories stay as they are).
    const inStory = await storiesOfAll(store, needing);
    const stale = needing.filter((id) => inStory.has(id));
    if (stale.length > 0) await analyseOnly(store, poolFor(needing.length + (await store.articlesWithoutStory()).length), stale, onAnalysed);
    // Pending articles are read under the lock: another process sharing the store may have clustered some meanwhile.
    stories = await store.withClusterLock(async () => {
      const clustered = await storiesOfAll(store, needing);
      const fresh = new Set(needing.filter((id) => !clustered.has(id)));
      const current = (await store.articlesWithoutStory()).filter((id) => !fresh.has(id));
      const ids = fresh.size === 0 ? current : await clusterOrder(store, [...current, ...fresh]);
      summary.clustered = ids.length;
      if (ids.length === 0) return [];
      // Started first: the threads load while this one reads the clusterer state.
      const workers = poolFor(needing.length + current.length);
      if (options.linkThread ?? workers.size > 0) linkThread = new LinkThread();
      const clusterer = await loadClusterer(store);
      let link: Linking;
      if (linkThread) {
        const thread = linkThread;
        for (const { input, prepared } of await readRemembered(store, clusterer.recentArticles(LINKER_WARM_START))) thread.remember(input, prepared);
        link = (input, prepared) => thread.add(input, prepared);
      } else {
        const linker = new Linker();
        await warmLinker(store, linker, clusterer);
        link = linkingIn(linker);
      }
      // Analysis and preparation run on the workers a little ahead of linking (here or on its thread) and clustering on this thread.
      const inputs = preparedInputs(store, workers, ids, fresh, onAnalysed);
      return clusterStream(store, clusterer, link, inputs, ids.length, { onProgress: options.onProgress });
    });
  } finally {
    // Assigned inside the callback above, which TypeScript's narrowing does not follow.
    await Promise.all([(pool as ArticlePool | null)?.close(), (linkThread as LinkThread | null)?.close()]);
  }
  options.onPhase?.('analyzed');
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
  return clusterStream(store, clusterer, linkingIn(linker), readInputs(store, ids, options), ids.length, options);
}

/** `ids` as cluster inputs, in order: from `options.inputs`, or read and prepared a chunk at a time. */
async function* readInputs(store: Store, ids: string[], options: LinkAndClusterOptions): AsyncGenerator<ClusterInput> {
  const infos = options.infos ?? new Map<string, LinkInfo>();
  for (let start = 0; start < ids.length; start += CHUNK) {
    const slice = ids.slice(start, start + CHUNK);
    const inputs = options.inputs ?? await clusterInputs(store, slice, infos);
    for (const id of slice) {
      const input = inputs.get(id) ?? (await clusterInputs(store, [id], infos)).get(id);
      if (input) yield input;
    }
  }
}

/** Links and clusters `inputs` in order, saving every `CHUNK` articles; `total` is for progress only. */
async function clusterStream(
  store: Store, clusterer: StoryClusterer, link: Linking, inputs: AsyncIterable<ClusterInput>, total: number, options: LinkAndClusterOptions,
): Promise<string[]> {
  const { onProgress, facts } = options;
  const changed = new Set<string>();
  let chunk = newChunk();
  let done = 0;
  // Every save moves the stored generation one on.
  let generation = options.generation;
  const save = async () => {
    await saveChunk(store, clusterer, chunk, facts, options.delta, generation);
    if (generation !== undefined) generation++;
  };
  for await (const { article, input, prepared, dates, links } of inputs) {
    const id = article.id;
    chunk.links.push(links ?? link(input, prepared));
    const result = clusterer.assign({ id, text: article.text, title: article.title, published: article.published, entityKeys: input.entityKeys, dates, content: prepared.content });
    chunk.changed.add(result.storyId);
    changed.add(result.storyId);
    for (const absorbed of result.merged) {
      chunk.redirects.push({ from: absorbed, to: result.storyId });
      chunk.changed.delete(absorbed);
      changed.delete(absorbed);
    }
    for (const story of clusterer.drainRetired()) if (chunk.changed.has(story.id)) chunk.retired.set(story.id, story);
    chunk.facts.set(id, factsOf(article));
    onProgress?.('cluster', ++done, total);
    if (chunk.facts.size >= CHUNK) {
      await save();
      chunk = newChunk();
    }
  }
  if (chunk.facts.size > 0) await save();
  return [...new Set([...changed].map((id) => clusterer.resolve(id)))];
}

/**
 * `ids` in the order the store lists articles without a story (publication
 * date, else ingestion time; then the order given, which for articles of one
 * kind is the store's order): articles analysed in this run are clustered as
 * their analyses arrive, before the store can list them.
 */
async function clusterOrder(store: Store, ids: string[]): Promise<string[]> {
  const keys = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const article of await store.getArticles(ids.slice(i, i + 500))) keys.set(article.id, article.published ?? article.ingestedAt);
  }
  // Array.prototype.sort is stable: equal keys keep the order given.
  return ids.filter((id) => keys.has(id)).sort((a, b) => (keys.get(a)! < keys.get(b)! ? -1 : keys.get(a)! > keys.get(b)! ? 1 : 0));
}

/** Articles read ahead of linking and clustering: enough to keep every worker busy while this thread links and clusters. */
const LOOKAHEAD = 128;

/**
 * `ids` read, analysed when in `fresh` (the analysis saved), and prepared on
 * `pool`, in order, up to `LOOKAHEAD` ahead of the consumer.
 */
async function* preparedInputs(store: Store, pool: ArticlePool, ids: string[], fresh: Set<string>, onAnalysed: () => void): AsyncGenerator<ClusterInput> {
  const ahead: Array<Promise<ClusterInput>> = [];
  for (let i = 0; i < ids.length; i += 100) {
    const slice = ids.slice(i, i + 100);
    const read = new Map((await store.getArticles(slice)).map((a) => [a.id, a]));
    for (const id of slice) {
      const article = read.get(id);
      if (!article) continue;
      const item = prepareInput(store, pool, article, fresh.has(id), onAnalysed);
      // Awaited in order below; a failure is reported there, not as an unhandled rejection meanwhile.
      item.catch(() => {});
      ahead.push(item);
      if (ahead.length >= LOOKAHEAD) yield await ahead.shift()!;
    }
  }
  for (const item of ahead) yield await item;
}

async function prepareInput(store: Store, pool: ArticlePool, article: Article, analyse: boolean, onAnalysed: () => void): Promise<ClusterInput> {
  const job = { text: article.text, title: article.title, published: article.published };
  if (analyse) {
    const { analysis, prepared } = await pool.run(job);
    await store.saveAnalysis({ articleId: article.id, version: ANALYZER_VERSION, analysis: analysis! });
    onAnalysed();
    return clusterInput(article, linkInfo(analysis!), prepared);
  }
  const info = linkInfo((await store.getAnalysis(article.id))!.analysis);
  const { prepared } = await pool.run({ ...job, spans: info.spans });
  return clusterInput(article, info, prepared);
}

function clusterInput(article: Article, info: LinkInfo, prepared: PreparedText): ClusterInput {
  return { article, input: linkable(article, info), prepared, dates: info.dates ? info.dates.split('\n') : undefined };
}

/** `store.storiesOf` a slice at a time (one query per slice for PostgreSQL). */
async function storiesOfAll(store: Store, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 1000) for (const [id, story] of await store.storiesOf(ids.slice(i, i + 1000))) out.set(id, story);
  return out;
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
      out.set(article.id, clusterInput(article, info, prepareText(linkable(article, info))));
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

export function factsOf(article: ArticleFacts): ArticleFacts {
  return { id: article.id, title: article.title, published: article.published, provenance: article.provenance };
}

function newChunk(): Chunk {
  return { links: [], changed: new Set(), redirects: [], retired: new Map(), facts: new Map() };
}

/** Saves a chunk's links and changed stories (records, members, families) with the clusterer state, in one transaction. */
async function saveChunk(store: Store, clusterer: StoryClusterer, chunk: Chunk, known?: Map<string, ArticleFacts>, delta = false, expectGeneration?: number): Promise<void> {
  const links = (await Promise.all(chunk.links)).flat();
  const snapshots = new Map<string, Omit<StorySnapshot, 'centroid'>>();
  for (const id of chunk.changed) {
    const snapshot = clusterer.members(id) ?? chunk.retired.get(clusterer.resolve(id)) ?? chunk.retired.get(id);
    if (snapshot) snapshots.set(snapshot.id, snapshot);
  }
  // New links grouped by the story holding both ends (links across stories do not make families).
  const storyOfArticle = new Map<string, string>();
  for (const snapshot of snapshots.values()) for (const id of snapshot.articles) storyOfArticle.set(id, snapshot.id);
  const newLinksByStory = new Map<string, StoredLink[]>();
  for (const link of links) {
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
  // The stored links among the changed stories' members, in one call; a story keeps those with both ends in it.
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
  const state = delta ? { clustererDelta: JSON.stringify(clusterer.takeDelta()) } : { clustererState: JSON.stringify(clusterer.export()) };
  await store.saveStoryUpdate({ links, stories, redirects: chunk.redirects, ...state, expectGeneration });
}

/** Analyses `ids` on `pool` and saves the analyses, a window of them in flight at once. */
async function analyseOnly(store: Store, pool: ArticlePool, ids: string[], onAnalysed: () => void): Promise<void> {
  const inFlight: Array<Promise<void>> = [];
  for (const id of ids) {
    const article = await store.getArticle(id);
    if (!article) continue;
    inFlight.push(pool.run({ text: article.text, title: article.title, published: article.published }).then(async ({ analysis }) => {
      await store.saveAnalysis({ articleId: id, version: ANALYZER_VERSION, analysis: analysis! });
      onAnalysed();
    }));
    if (inFlight.length >= POOL_WINDOW) await inFlight.shift();
  }
  await Promise.all(inFlight);
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

/** The clusterer as the store last saved it (the whole state, then the deltas logged since), or a new one. */
export async function loadClusterer(store: Store): Promise<StoryClusterer> {
  const saved = await store.loadClustererState();
  const clusterer = saved ? StoryClusterer.import(JSON.parse(saved) as ClustererState) : new StoryClusterer();
  for (const delta of await store.clustererLog()) clusterer.applyDelta(JSON.parse(delta) as ClustererDelta);
  return clusterer;
}

/** Re-reads the most recent stored articles into the linker so new copies of them are found; returns their ids. */
export async function warmLinker(store: Store, linker: Linker, clusterer: StoryClusterer, facts?: Map<string, ArticleFacts>): Promise<string[]> {
  const ids = clusterer.recentArticles(LINKER_WARM_START);
  await rememberArticles(store, linker, ids, facts);
  return ids;
}

/**
 * Puts stored, already linked articles into the linker, so later arrivals are
 * compared with them; records their facts in `facts`. `held` are articles
 * linked beforehand (`prelink`) but not clustered yet: they were never
 * compared with these, so they are now (see `rememberPrepared`).
 */
export async function rememberArticles(store: Store, linker: Linker, ids: string[], facts?: Map<string, ArticleFacts>, held: ClusterInput[] = []): Promise<void> {
  rememberPrepared(linker, await readRemembered(store, ids, facts), held);
}

/** Stored articles `ids` read and prepared for the linker (`storedForLinker`), their facts recorded in `facts`. */
async function readRemembered(store: Store, ids: string[], facts?: Map<string, ArticleFacts>): Promise<RememberedArticle[]> {
  const items: RememberedArticle[] = [];
  // In slices: one round trip per slice; texts are dropped once prepared.
  for (let i = 0; i < ids.length; i += 500) {
    for (const article of await store.getArticles(ids.slice(i, i + 500))) {
      facts?.set(article.id, factsOf(article));
      items.push(storedForLinker(article));
    }
  }
  return items;
}

/** A stored, already linked article as the linker remembers it: its metadata and prepared text (the text itself is not kept). */
export interface RememberedArticle {
  input: LinkableArticle;
  prepared: PreparedText;
}

/**
 * A stored article prepared for `rememberPrepared`. Sentences come from the
 * analysis splitter run on the text (the analysis stage's own sentences are
 * exactly these), which is much cheaper than parsing the stored analysis.
 */
export function storedForLinker(article: Article): RememberedArticle {
  const input = linkable(article, { spans: flatSpans(splitSentences(article.text).map((s) => s.span)), entityKeys: '' });
  return { input: { ...input, text: '' }, prepared: prepareText(input) };
}

/**
 * Puts prepared, already linked articles into the linker, in order. `held`
 * (linked by `prelink`, not clustered yet) were never compared with these,
 * so they are now, in a linker of their own, the links added to theirs.
 */
export function rememberPrepared(linker: Linker, items: RememberedArticle[], held: ClusterInput[] = []): void {
  const pending = held.filter((h) => h.links !== undefined);
  const meanwhile = pending.length > 0 ? new Linker(linker.options) : null;
  for (const { input, prepared } of items) {
    linker.remember(input, prepared);
    meanwhile?.remember(input, prepared);
  }
  if (!meanwhile) return;
  const stored = new Set(items.map((item) => item.input.id));
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

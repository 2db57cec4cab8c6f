/**
 * The store: everything Triangulate keeps. Stages never talk to a database
 * directly; they go through this interface so that the SQLite implementation
 * (default, embedded) and a PostgreSQL one can be swapped. Every method that
 * writes does so in one transaction: it either happens completely or not at all.
 * Methods are async because a networked database is.
 */
import type { Analysis } from '../analyze/types.js';
import type { Article, ExtractedArticle, Message, SourceDocument, SourceFormat } from '../types.js';

export { StaleClustererError } from './rows.js';

export interface RawInput {
  /** sha256 of `bytes`, hex. */
  hash: string;
  input: string;
  format: SourceFormat;
  bytes: Uint8Array;
  url: string | null;
  charset: string | null;
  firstSeen: string;
}

export type IngestStatus = 'ingested' | 'duplicate' | 'failed';

export interface IngestOutcome {
  status: IngestStatus;
  /** The article's id when it was stored now or already existed. */
  articleId: string | null;
  /** For `duplicate`: what it duplicates (`raw` bytes seen before, or the same `text`). */
  duplicateOf?: 'raw' | 'text';
}

export interface ArticleQuery {
  limit?: number;
  offset?: number;
  /** Full-text search over title and text. */
  search?: string;
}

export interface StoredAnalysis {
  articleId: string;
  /** Version of the analyzer that produced it; stale analyses are redone by `reanalyze`. */
  version: string;
  analysis: Analysis;
}

export interface StoryRecord {
  id: string;
  headline: string;
  firstPublished: string | null;
  lastPublished: string | null;
  articleCount: number;
  familyCount: number;
  updatedAt: string;
}

export interface StoryQuery {
  /** Stories with an article published on or after this date (ISO); a story with no dates, by when it last changed (as lists order it). */
  since?: string;
  /** Stories with an article published on or before this date (ISO; a plain date includes that whole day). */
  until?: string;
  /** Stories with an article from this outlet (its name, or the host of its URL: `example.com`). */
  outlet?: string;
  /** Full-text search over the stories' articles. */
  search?: string;
  limit?: number;
  offset?: number;
}

export interface StoredLink {
  from: string;
  to: string;
  kind: 'duplicate' | 'rewrite';
  similarity: number;
  alignedShare: number;
}

export interface StoryMember {
  articleId: string;
  familyId: string;
  derivedFrom: string | null;
}

/** Everything one linking + clustering batch changes, written in one transaction. */
export interface StoryUpdate {
  links: StoredLink[];
  /** Stories whose membership changed, with all their members. */
  stories: Array<StoryRecord & { members: StoryMember[] }>;
  /** Absorbed story id -> surviving id. */
  redirects: Array<{ from: string; to: string }>;
  /**
   * Serialized clusterer state, so the next run continues with the same ids;
   * it replaces the saved state and the clusterer log. Exactly one of this
   * and `clustererDelta`.
   */
  clustererState?: string;
  /**
   * Serialized changes of the clusterer since the state and log entries
   * already saved (`StoryClusterer.takeDelta`), appended to the clusterer log
   * instead of saving the whole state again. Needs a saved state.
   */
  clustererDelta?: string;
  /**
   * The clusterer generation the update builds on (the stored one when the
   * caller's clusterer was loaded or last saved). A store that counts
   * generations (PostgreSQL) saves nothing and throws `StaleClustererError`
   * when its clusterer has moved past it: another process clustered
   * meanwhile, so these assignments were made against an old state.
   */
  expectGeneration?: number;
}

export interface StoredBriefing {
  storyId: string;
  builtAt: string;
  articleCount: number;
  /** The briefing JSON. */
  data: string;
}

/**
 * What fetching one URL left behind: validators for the next conditional
 * request and, for feeds, the polling schedule. Written by `ingest URL` and
 * `watch`, so a restart continues where the last run stopped.
 */
export interface FetchState {
  url: string;
  kind: 'feed' | 'page';
  etag: string | null;
  lastModified: string | null;
  /** Last fetch, successful or not (ISO). */
  fetchedAt: string | null;
  /** Last time the content changed (ISO). */
  changedAt: string | null;
  /** When to fetch it next (feeds; ISO). */
  nextAt: string | null;
  /** Current polling interval in seconds (feeds). */
  intervalSeconds: number;
  /** Failures in a row; a success resets it. */
  failures: number;
  lastError: string | null;
  /** Feed title, when known. */
  title: string | null;
}

/** One item a feed listed, queued until its page is fetched and stored. */
export interface FeedItem {
  feedUrl: string;
  /** Stable identity within the feed: guid / id, else the link. */
  key: string;
  url: string | null;
  title: string | null;
  published: string | null;
  status: 'pending' | 'done' | 'failed';
  /** Fetch attempts so far. */
  attempts: number;
  articleId: string | null;
  error: string | null;
  queuedAt: string;
}

export type NewFeedItem = Pick<FeedItem, 'feedUrl' | 'key' | 'url' | 'title' | 'published'>;

/** One raw input fetched from a URL (a page fetch or a WARC record), with the article it made. */
export interface PageVersion {
  rawHash: string;
  /** Null when extraction failed or the text duplicated an article stored before. */
  articleId: string | null;
  firstSeen: string;
}

export interface Store {
  /** Where the data lives, for messages (`./triangulate.db`). */
  readonly location: string;

  /** True when these exact bytes were stored before. */
  hasRaw(hash: string): Promise<boolean>;
  /**
   * Keeps the raw bytes (always, even when extraction failed) and, when
   * extraction produced an article, the article — one transaction.
   */
  ingest(document: SourceDocument, hash: string, article: ExtractedArticle | null, messages: Message[]): Promise<IngestOutcome>;
  /** Replaces the extracted fields of the article made from `rawHash` (re-extraction). */
  replaceExtraction(rawHash: string, article: ExtractedArticle | null, messages: Message[]): Promise<IngestOutcome>;

  getArticle(id: string): Promise<Article | null>;
  /** The articles of these ids that exist, in the order given (one round trip for a networked database). */
  getArticles(ids: string[]): Promise<Article[]>;
  listArticles(query?: ArticleQuery): Promise<Article[]>;
  countArticles(): Promise<number>;
  /** Every raw input, oldest first, for re-extraction. */
  rawInputs(): AsyncIterable<RawInput>;
  getRaw(hash: string): Promise<RawInput | null>;

  saveAnalysis(stored: StoredAnalysis): Promise<void>;
  getAnalysis(articleId: string): Promise<StoredAnalysis | null>;

  saveStoryUpdate(update: StoryUpdate): Promise<void>;
  /** The clusterer state as last saved whole (`clustererState`); `clustererLog` holds what changed since. */
  loadClustererState(): Promise<string | null>;
  /** The deltas saved since the last whole state, oldest first: applied to that state, they give the latest. */
  clustererLog(): Promise<string[]>;
  /**
   * Runs `fn` holding the store-wide cluster lock. Loading the clusterer
   * state, assigning articles and saving the state is a read-modify-write
   * that must not interleave between processes (PostgreSQL: an advisory lock;
   * SQLite: `fn` runs as is).
   */
  withClusterLock<T>(fn: () => Promise<T>): Promise<T>;
  /** A story by id; an id absorbed by a merge redirects to the surviving story. */
  getStory(id: string): Promise<StoryRecord | null>;
  listStories(query?: StoryQuery): Promise<StoryRecord[]>;
  storyMembers(storyId: string): Promise<StoryMember[]>;
  /** Story id of each given article (articles in no story are absent). */
  storiesOf(articleIds: string[]): Promise<Map<string, string>>;
  /** Links whose two ends are both among `articleIds`. */
  linksAmong(articleIds: string[]): Promise<StoredLink[]>;
  /** Ids of articles that have no analysis, or one older than `version`. */
  articlesNeedingAnalysis(version: string): Promise<string[]>;
  /** Ids of analysed articles not yet in a story, oldest publication first. */
  articlesWithoutStory(): Promise<string[]>;

  /** Keeps a new briefing; earlier ones stay as history. */
  saveBriefing(briefing: StoredBriefing): Promise<void>;
  /** Latest briefing of a story built at or before `at` (default: the latest). */
  getBriefing(storyId: string, at?: string): Promise<StoredBriefing | null>;

  /** Raw inputs fetched from `url` (raw_inputs.url), oldest first: the page's revisions. */
  pageVersions(url: string): Promise<PageVersion[]>;
  /**
   * Of `articleIds`, those that a later fetch of the same URL replaced with a
   * different text: old article id -> the URL's newest article id.
   */
  supersededArticles(articleIds: string[]): Promise<Map<string, string>>;

  getFetchState(url: string): Promise<FetchState | null>;
  listFetchStates(kind: FetchState['kind']): Promise<FetchState[]>;
  /**
   * Saves a fetch state and queues the feed items not seen before (same
   * feedUrl + key), in one transaction, so a poll's validators are never
   * saved without its items. Returns how many items were new.
   */
  saveFetchState(state: FetchState, items?: NewFeedItem[]): Promise<number>;
  /** Queued feed items not yet fetched, oldest first. */
  pendingFeedItems(limit?: number): Promise<FeedItem[]>;
  /** Records what became of a queued item; `pending` counts an attempt and leaves it queued. */
  finishFeedItem(feedUrl: string, key: string, status: FeedItem['status'], articleId: string | null, error: string | null): Promise<void>;

  /** A named resume point (WARC files: byte offset and record count as JSON), or null. */
  getCheckpoint(key: string): Promise<string | null>;
  /** Saves a resume point; null removes it. */
  saveCheckpoint(key: string, value: string | null): Promise<void>;

  /** Messages recorded for inputs (failed extractions, warnings), newest first. */
  listMessages(limit?: number): Promise<Array<Message & { at: string }>>;

  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** SQLite file path; `:memory:` for a throwaway store. */
  path?: string;
  /**
   * PostgreSQL URL (`postgres://user@host:5432/db`, optionally `?schema=name`);
   * wins over `path`. Without either, `TRIANGULATE_DATABASE_URL`, then
   * `TRIANGULATE_DB`, then the default file.
   */
  databaseUrl?: string;
  /** Environment read for the defaults (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_DB_PATH = './triangulate.db';

/** Picks the database from an explicit path, `TRIANGULATE_DB`, or the default file. */
export function resolveDbPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit ?? env.TRIANGULATE_DB ?? DEFAULT_DB_PATH;
}

/** The database could not be opened (server down, wrong URL, no permission): a problem to report, not a bug. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

export type StoreTarget = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/**
 * Which database a run uses: an explicit URL, then an explicit path, then
 * `TRIANGULATE_DATABASE_URL`, then `TRIANGULATE_DB`, then `./triangulate.db`.
 * A `postgres://` URL given as the path counts as a URL.
 */
export function resolveStoreTarget(options: OpenStoreOptions = {}): StoreTarget {
  const env = options.env ?? process.env;
  const isUrl = (value: string) => /^postgres(ql)?:\/\//i.test(value);
  if (options.databaseUrl) return { kind: 'postgres', url: options.databaseUrl };
  if (options.path) return isUrl(options.path) ? { kind: 'postgres', url: options.path } : { kind: 'sqlite', path: options.path };
  if (env.TRIANGULATE_DATABASE_URL) return { kind: 'postgres', url: env.TRIANGULATE_DATABASE_URL };
  return { kind: 'sqlite', path: resolveDbPath(undefined, env) };
}

export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const target = resolveStoreTarget(options);
  if (target.kind === 'postgres') {
    const { PostgresStore } = await import('./postgres/index.js');
    return PostgresStore.open(target.url);
  }
  const { SqliteStore } = await import('./sqlite/index.js');
  return SqliteStore.open(target.path);
}

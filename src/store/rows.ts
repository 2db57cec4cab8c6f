/**
 * How both stores turn rows into records and back: the column names and the
 * JSON-in-text columns are the same in SQLite and PostgreSQL.
 */
import type { Article, ExtractedArticle, SourceFormat } from '../types.js';
import type { FetchState, StoryRecord, StoryUpdate } from './index.js';

export interface ArticleRow {
  id: string;
  raw_hash: string;
  input: string;
  format: SourceFormat;
  title: string | null;
  text: string;
  author: string;
  published: string | null;
  outlet: string | null;
  url: string | null;
  language: string | null;
  provenance: string;
  removed: string;
  ingested_at: string;
}

export interface StoryRow {
  id: string;
  headline: string;
  first_published: string | null;
  last_published: string | null;
  article_count: number;
  family_count: number;
  updated_at: string;
}

export interface FetchStateRow {
  url: string; kind: FetchState['kind']; etag: string | null; last_modified: string | null; fetched_at: string | null; changed_at: string | null;
  next_at: string | null; interval_seconds: number; failures: number; last_error: string | null; title: string | null;
}

export function rowToFetchState(r: FetchStateRow): FetchState {
  return {
    url: r.url, kind: r.kind, etag: r.etag, lastModified: r.last_modified, fetchedAt: r.fetched_at, changedAt: r.changed_at, nextAt: r.next_at,
    intervalSeconds: r.interval_seconds, failures: r.failures, lastError: r.last_error, title: r.title,
  };
}

export function rowToStory(row: StoryRow): StoryRecord {
  return {
    id: row.id, headline: row.headline, firstPublished: row.first_published, lastPublished: row.last_published,
    articleCount: row.article_count, familyCount: row.family_count, updatedAt: row.updated_at,
  };
}

export function articleColumns(article: ExtractedArticle) {
  return {
    input: article.input,
    title: article.title,
    text: article.text,
    author: JSON.stringify(article.author),
    published: article.published,
    outlet: article.outlet,
    url: article.url,
    language: article.language,
    provenance: JSON.stringify(article.provenance),
    removed: JSON.stringify(article.removed),
  };
}

export function rowToArticle(row: ArticleRow): Article {
  return {
    id: row.id,
    rawHash: row.raw_hash,
    input: row.input,
    format: row.format,
    title: row.title,
    text: row.text,
    author: JSON.parse(row.author) as string[],
    published: row.published,
    outlet: row.outlet,
    url: row.url,
    language: row.language,
    provenance: JSON.parse(row.provenance) as Article['provenance'],
    removed: JSON.parse(row.removed) as string[],
    ingestedAt: row.ingested_at,
  };
}

/** What a story update does to the clusterer's saved state: replace it whole, or append a delta to its log. */
export function clustererWrite(update: Pick<StoryUpdate, 'clustererState' | 'clustererDelta'>): { kind: 'state' | 'delta'; value: string } {
  const { clustererState, clustererDelta } = update;
  if ((clustererState === undefined) === (clustererDelta === undefined)) throw new Error('a story update carries exactly one of clustererState and clustererDelta');
  return clustererState !== undefined ? { kind: 'state', value: clustererState } : { kind: 'delta', value: clustererDelta! };
}

/** A story update built on a clusterer generation the store has moved past (`StoryUpdate.expectGeneration`). */
export class StaleClustererError extends Error {
  constructor(readonly expected: number, readonly stored: number) {
    super(`the stored clusterer is at generation ${stored}, not ${expected}: another process clustered meanwhile; reload the clusterer and cluster again`);
    this.name = 'StaleClustererError';
  }
}

/** The store has no whole clusterer state for a delta to apply to: a caller's mistake. */
export const NO_STATE_FOR_DELTA = 'a clusterer delta needs a clusterer state saved whole before it';

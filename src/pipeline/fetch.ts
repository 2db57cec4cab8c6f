/**
 * Fetching pages into the store: fetcher -> sources checks -> extract -> store,
 * with the page's validators kept for the next conditional request and its
 * revisions recognised. A page fetched again whose text changed is stored as a
 * new article (its raw bytes too) and reported as a revision of the article
 * the URL gave before; `supersededArticles` lets briefings use only the newest.
 */
import { documentsFromBytes, fetchedDocument, type Fetcher } from '../sources/index.js';
import type { FetchState, Store } from '../store/index.js';
import type { Message } from '../types.js';
import { ingestDocument } from './ingest.js';

export type UrlStatus = 'ingested' | 'revised' | 'unchanged' | 'failed';

export interface UrlIngestResult {
  url: string;
  status: UrlStatus;
  /** The article stored (or already stored) for the page's current text. */
  articleId: string | null;
  /** For `revised`: the article of the page's previous text. */
  previousArticleId: string | null;
  messages: Message[];
  /** For `failed`: trying again later may succeed (a 5xx, a 429, a timeout, a broken connection). */
  retryable: boolean;
}

export interface UrlIngestOptions {
  signal?: AbortSignal;
  /** Largest page accepted (the fetcher's limit applies first). */
  maxBytes?: number;
}

/** Fetches one page and stores it. Never throws for a network or content problem. */
export async function ingestUrl(store: Store, fetcher: Fetcher, url: string, options: UrlIngestOptions = {}): Promise<UrlIngestResult> {
  const previous = await store.getFetchState(url);
  const state: FetchState = previous ?? {
    url, kind: 'page', etag: null, lastModified: null, fetchedAt: null, changedAt: null, nextAt: null, intervalSeconds: 0, failures: 0, lastError: null, title: null,
  };
  const result = await fetcher.fetch({ url, purpose: 'page', etag: state.etag, lastModified: state.lastModified, signal: options.signal });
  const fetchedAt = new Date().toISOString();
  const done = async (status: UrlStatus, articleId: string | null, messages: Message[], previousArticleId: string | null = null): Promise<UrlIngestResult> => {
    await store.saveFetchState(state);
    return { url, status, articleId, previousArticleId, messages, retryable: result.status === 'failed' && result.retryable };
  };
  state.fetchedAt = fetchedAt;
  if (result.status === 'failed') {
    // A fetch stopped by the caller is no failure of the page.
    if (!options.signal?.aborted) {
      state.failures++;
      state.lastError = result.message.reason;
    }
    return done('failed', null, [result.message]);
  }
  state.failures = 0;
  state.lastError = null;
  state.etag = result.etag;
  state.lastModified = result.lastModified;
  if (result.status === 'not-modified') return done('unchanged', latestArticle(await store.pageVersions(result.finalUrl)), []);

  const fetched = fetchedDocument(result);
  // The same checks as a file gets (empty, binary, size), on the bytes the server sent.
  for await (const item of documentsFromBytes(url, fetched.bytes, () => fetched.format, { maxBytes: options.maxBytes })) {
    if ('message' in item) return done('failed', null, [item.message]);
  }
  const earlier = latestArticle(await store.pageVersions(result.finalUrl));
  const { outcome, messages } = await ingestDocument(store, fetched);
  if (outcome.status === 'failed') return done('failed', null, messages);
  if (outcome.status === 'duplicate') return done('unchanged', outcome.articleId ?? earlier, messages);
  state.changedAt = fetchedAt;
  if (earlier && earlier !== outcome.articleId) return done('revised', outcome.articleId, messages, earlier);
  return done('ingested', outcome.articleId, messages);
}

function latestArticle(versions: Array<{ articleId: string | null }>): string | null {
  for (let i = versions.length - 1; i >= 0; i--) if (versions[i]!.articleId) return versions[i]!.articleId;
  return null;
}

/**
 * Fetches many pages, several at a time (the fetcher spaces requests per host),
 * reporting each result as it completes, in completion order.
 */
export async function ingestUrls(
  store: Store, fetcher: Fetcher, urls: string[], options: UrlIngestOptions & { parallel?: number; onResult?: (result: UrlIngestResult) => void } = {},
): Promise<UrlIngestResult[]> {
  const results: UrlIngestResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < urls.length && !options.signal?.aborted) {
      const url = urls[next++]!;
      const result = await ingestUrl(store, fetcher, url, options);
      results.push(result);
      options.onResult?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.parallel ?? 8, urls.length) }, worker));
  return results;
}

/**
 * Watching feeds: poll each feed when it is due, queue the items it has not
 * listed before, fetch and store each queued item's page, then analyse the new
 * articles and assign them to stories (process.ts), which rebuilds the
 * briefings of the stories they join. Round after round until stopped.
 *
 * Everything that must survive a restart is in the store: each feed's
 * validators and schedule (fetch_state) and the item queue (feed_items). A
 * poll's validators are saved in the same transaction as its new items, and
 * an item leaves the queue only once its page is stored (or failed for good),
 * so a stop or a crash at any point loses no item: the next run fetches what
 * is still queued.
 *
 * The schedule adapts to each feed: a poll that finds new items halves the
 * interval, one that finds nothing (or a 304) lengthens it by half, within
 * [minInterval, maxInterval], and never below what the feed itself asks for
 * (RSS ttl, sy:updatePeriod). Failures back off exponentially (or as
 * Retry-After says).
 */
import { message } from '../errors.js';
import { parseFeedBytes } from '../sources/feeds.js';
import { sleep } from '../sources/fetch.js';
import type { Fetcher } from '../sources/index.js';
import type { FetchState, Store } from '../store/index.js';
import type { Message } from '../types.js';
import { ingestUrl, type UrlStatus } from './fetch.js';
import { processPending } from './process.js';

export interface WatchOptions {
  /** Feeds to watch (added to the store); none means every feed the store already watches. */
  feeds?: string[];
  /** One round: poll the due feeds, fetch the queue, process, return. */
  once?: boolean;
  signal?: AbortSignal;
  /** Shortest and longest polling intervals, and the first one. Defaults 5 min, 6 h, 15 min. */
  minIntervalMs?: number;
  maxIntervalMs?: number;
  initialIntervalMs?: number;
  /** Item fetch attempts before an item is given up (retryable failures only). Default 3. */
  maxAttempts?: number;
  /** Analyse and cluster new articles after each round (default true). */
  process?: boolean;
  onEvent?: (event: WatchEvent) => void;
}

export type WatchEvent =
  | { kind: 'feed'; url: string; status: 'new-items' | 'unchanged' | 'failed'; newItems: number; title: string | null; nextAt: string; messages: Message[] }
  | { kind: 'item'; feedUrl: string; url: string | null; status: UrlStatus | 'skipped' | 'retry'; articleId: string | null; previousArticleId: string | null; messages: Message[] }
  | { kind: 'story'; storyId: string; headline: string; articleIds: string[]; articleCount: number }
  | { kind: 'idle'; nextAt: string }
  | { kind: 'stopped'; pending: number };

export interface WatchSummary {
  rounds: number;
  polls: number;
  newItems: number;
  ingested: number;
  revised: number;
  failed: number;
  stories: string[];
}

const DEFAULTS = { minIntervalMs: 5 * 60_000, maxIntervalMs: 6 * 3_600_000, initialIntervalMs: 15 * 60_000, maxAttempts: 3 };
/** Growth of the interval after a poll without news, and its shrink after one with news. */
const SLOWER = 1.5;
const FASTER = 0.5;

export async function watchFeeds(store: Store, fetcher: Fetcher, options: WatchOptions = {}): Promise<WatchSummary> {
  const settings = { ...DEFAULTS, ...definedOnly(options) };
  const summary: WatchSummary = { rounds: 0, polls: 0, newItems: 0, ingested: 0, revised: 0, failed: 0, stories: [] };
  const emit = (event: WatchEvent) => options.onEvent?.(event);
  for (const url of options.feeds ?? []) {
    if (!(await store.getFetchState(url))) {
      await store.saveFetchState({
        url, kind: 'feed', etag: null, lastModified: null, fetchedAt: null, changedAt: null, nextAt: new Date().toISOString(),
        intervalSeconds: Math.round(settings.initialIntervalMs / 1000), failures: 0, lastError: null, title: null,
      });
    }
  }
  const watched = new Set(options.feeds ?? []);
  const feeds = async () => (await store.listFetchStates('feed')).filter((f) => watched.size === 0 || watched.has(f.url));
  const stopped = () => options.signal?.aborted ?? false;

  while (!stopped()) {
    summary.rounds++;
    const now = Date.now();
    const due = (await feeds()).filter((f) => !f.nextAt || Date.parse(f.nextAt) <= now);
    await Promise.all(due.map(async (feed) => {
      const event = await pollFeed(store, fetcher, feed, settings, options.signal);
      if (!event) return;
      summary.polls++;
      summary.newItems += event.newItems;
      emit(event);
    }));
    const fresh = await drainQueue(store, fetcher, settings, options.signal, emit, summary);
    if (fresh.length > 0 && (options.process ?? true)) {
      // Run even when a stop was asked: the articles are stored, and grouping a round's few is quick.
      const processed = await processPending(store);
      const storyOf = await store.storiesOf(fresh);
      for (const storyId of processed.stories) {
        const story = await store.getStory(storyId);
        if (!story) continue;
        const joined = fresh.filter((id) => storyOf.get(id) === story.id);
        if (joined.length === 0) continue;
        summary.stories.push(story.id);
        emit({ kind: 'story', storyId: story.id, headline: story.headline, articleIds: joined, articleCount: story.articleCount });
      }
    }
    if (options.once || stopped()) break;
    const next = (await feeds()).map((f) => (f.nextAt ? Date.parse(f.nextAt) : Date.now())).reduce((a, b) => Math.min(a, b), Date.now() + settings.maxIntervalMs);
    emit({ kind: 'idle', nextAt: new Date(next).toISOString() });
    try {
      await sleep(Math.max(0, next - Date.now()), options.signal);
    } catch {
      break;
    }
  }
  if (stopped()) emit({ kind: 'stopped', pending: (await store.pendingFeedItems()).length });
  return summary;
}

/** Polls one feed, queues its new items and reschedules it, saving both in one transaction. Null when stopped mid-way. */
async function pollFeed(store: Store, fetcher: Fetcher, feed: FetchState, settings: typeof DEFAULTS, signal?: AbortSignal): Promise<Extract<WatchEvent, { kind: 'feed' }> | null> {
  const result = await fetcher.fetch({ url: feed.url, purpose: 'feed', etag: feed.etag, lastModified: feed.lastModified, signal });
  if (signal?.aborted) return null;
  const now = Date.now();
  const state: FetchState = { ...feed, fetchedAt: new Date(now).toISOString() };
  let interval = Math.max(feed.intervalSeconds * 1000, settings.minIntervalMs);
  const schedule = (ms: number) => {
    state.nextAt = new Date(now + ms).toISOString();
    return state.nextAt;
  };
  const fail = async (messages: Message[], retryAfterMs?: number) => {
    state.failures++;
    state.lastError = messages.find((m) => m.severity === 'error')?.reason ?? null;
    // Exponential backoff from the feed's own interval, capped; a Retry-After is obeyed when longer.
    const backoff = Math.min(settings.maxIntervalMs, interval * 2 ** Math.min(state.failures, 10));
    const nextAt = schedule(Math.max(backoff, retryAfterMs ?? 0));
    await store.saveFetchState(state);
    return { kind: 'feed' as const, url: feed.url, status: 'failed' as const, newItems: 0, title: feed.title, nextAt, messages };
  };
  if (result.status === 'failed') return fail([result.message], result.retryAfterMs);
  state.failures = 0;
  state.lastError = null;
  state.etag = result.etag;
  state.lastModified = result.lastModified;
  if (result.status === 'not-modified') {
    state.intervalSeconds = Math.round(Math.min(settings.maxIntervalMs, interval * SLOWER) / 1000);
    const nextAt = schedule(state.intervalSeconds * 1000);
    await store.saveFetchState(state);
    return { kind: 'feed', url: feed.url, status: 'unchanged', newItems: 0, title: feed.title, nextAt, messages: [] };
  }
  const { feed: parsed, messages } = parseFeedBytes(result.bytes, feed.url, { charset: result.charset, baseUrl: result.finalUrl });
  if (!parsed) {
    // A malformed body must not be answered with 304 next time: forget its validators.
    state.etag = null;
    state.lastModified = null;
    return fail(messages);
  }
  state.title = parsed.title ?? state.title;
  const items = parsed.entries.map((e) => ({ feedUrl: feed.url, key: e.key, url: e.url, title: e.title, published: e.published }));
  // Count what is new first, so the interval saved with the items already reflects it.
  const probe = { ...state };
  const added = await store.saveFetchState(probe, items);
  if (added > 0) state.changedAt = state.fetchedAt;
  interval = added > 0 ? interval * FASTER : interval * SLOWER;
  const floor = Math.max(settings.minIntervalMs, (parsed.ttlMinutes ?? 0) * 60_000);
  state.intervalSeconds = Math.round(Math.min(settings.maxIntervalMs, Math.max(floor, interval)) / 1000);
  const nextAt = schedule(state.intervalSeconds * 1000);
  await store.saveFetchState(state);
  return { kind: 'feed', url: feed.url, status: added > 0 ? 'new-items' : 'unchanged', newItems: added, title: state.title, nextAt, messages };
}

/** Fetches and stores every queued item; returns the ids of articles stored. An item stays queued when the fetch was stopped or may pass later. */
async function drainQueue(
  store: Store, fetcher: Fetcher, settings: typeof DEFAULTS, signal: AbortSignal | undefined, emit: (event: WatchEvent) => void, summary: WatchSummary,
): Promise<string[]> {
  const fresh: string[] = [];
  const queue = await store.pendingFeedItems();
  let next = 0;
  const worker = async () => {
    while (next < queue.length && !signal?.aborted) {
      const item = queue[next++]!;
      if (!item.url) {
        const note = message('TRI_W020', item.feedUrl, `item "${item.title ?? item.key}" has no link to fetch`);
        await store.finishFeedItem(item.feedUrl, item.key, 'failed', null, note.reason);
        emit({ kind: 'item', feedUrl: item.feedUrl, url: null, status: 'skipped', articleId: null, previousArticleId: null, messages: [note] });
        continue;
      }
      const result = await ingestUrl(store, fetcher, item.url, { signal });
      if (signal?.aborted && result.status === 'failed') return; // stays queued for the next run
      const failure = result.messages.find((m) => m.severity === 'error');
      const retryable = result.retryable && item.attempts + 1 < settings.maxAttempts;
      const status = result.status === 'failed' ? (retryable ? 'pending' : 'failed') : 'done';
      await store.finishFeedItem(item.feedUrl, item.key, status, result.articleId, failure?.reason ?? null);
      if (result.status === 'ingested' || result.status === 'revised') {
        fresh.push(result.articleId!);
        summary.ingested++;
        if (result.status === 'revised') summary.revised++;
      } else if (status === 'failed') summary.failed++;
      emit({ kind: 'item', feedUrl: item.feedUrl, url: item.url, status: status === 'pending' ? 'retry' : result.status, articleId: result.articleId, previousArticleId: result.previousArticleId, messages: result.messages });
    }
  };
  // Four pages in flight: the fetcher still spaces requests per host.
  await Promise.all(Array.from({ length: Math.min(4, queue.length) }, worker));
  return fresh;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

import { readFile } from 'node:fs/promises';
import { formatMessage } from '../errors.js';
import { watchFeeds, type WatchEvent } from '../pipeline/watch.js';
import { parseFeedList } from '../sources/feeds.js';
import { formatDelay } from '../sources/fetch.js';
import { openStore } from '../store/index.js';
import type { Message } from '../types.js';
import { dbHelp, dbOption, EXIT_FAILED, EXIT_OK, storeOptions, UsageError, type Command } from './command.js';
import { fetcherFrom, fetchHelp, fetchOptions, parseDuration, stopSignal } from './live.js';

export const watchCommand: Command = {
  name: 'watch',
  summary: 'Poll RSS, Atom, RDF and JSON feeds; fetch, store and assign each new item to a story as it arrives. Runs until Ctrl-C; resumes after a restart.',
  usage: 'watch [--feeds FILE] [--feed URL]... [--db FILE] [--once] [--min-interval D] [--max-interval D] [--allow-private-urls] [--timeout S] [--json]',
  help: [
    dbHelp,
    '--feeds FILE       an OPML file, or a text file with one feed URL a line',
    '--feed URL         a feed to watch (repeat for more); with neither, every feed watched before',
    '--once             poll what is due, fetch the queue, group into stories, then exit (for cron)',
    '--min-interval D   shortest polling interval (default 5m; 30s, 5m, 2h, 1d)',
    '--max-interval D   longest polling interval, reached by feeds that rarely change (default 6h)',
    ...fetchHelp,
    '--json             one JSON object per event instead of a log line',
  ],
  options: {
    ...dbOption, ...fetchOptions, feeds: { type: 'string' }, feed: { type: 'string', multiple: true }, once: { type: 'boolean' },
    'min-interval': { type: 'string' }, 'max-interval': { type: 'string' }, json: { type: 'boolean' },
  },
  async run({ values }, io) {
    const feeds: string[] = [];
    const problems: Message[] = [];
    if (typeof values.feeds === 'string') {
      let text: string;
      try {
        text = await readFile(values.feeds, 'utf8');
      } catch (error) {
        io.stderr.write(`triangulate watch: cannot read ${values.feeds}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
        return EXIT_FAILED;
      }
      const list = parseFeedList(text, values.feeds);
      feeds.push(...list.urls);
      problems.push(...list.messages);
    }
    for (const url of (values.feed as string[] | undefined) ?? []) {
      const list = parseFeedList(url, '--feed');
      feeds.push(...list.urls);
      problems.push(...list.messages);
    }
    for (const m of problems) io.stderr.write(`${formatMessage(m)}\n`);
    const minIntervalMs = values['min-interval'] === undefined ? undefined : parseDuration(values['min-interval'] as string, '--min-interval');
    const maxIntervalMs = values['max-interval'] === undefined ? undefined : parseDuration(values['max-interval'] as string, '--max-interval');
    if (minIntervalMs !== undefined && maxIntervalMs !== undefined && minIntervalMs > maxIntervalMs) throw new UsageError('--min-interval is longer than --max-interval');

    const json = values.json === true;
    const log = (line: string, event: object) => io.stdout.write(json ? `${JSON.stringify({ at: new Date().toISOString(), ...event })}\n` : `${new Date().toISOString()} ${line}\n`);
    const store = await openStore(storeOptions(values, io.env));
    const stop = stopSignal(io, 'page');
    try {
      if (feeds.length === 0 && (await store.listFetchStates('feed')).length === 0) {
        throw new UsageError(problems.length > 0 ? 'no usable feed URL (see the messages above)' : 'give --feeds FILE or --feed URL (the database watches no feed yet)');
      }
      const fetcher = fetcherFrom(values, { onRetry: (url, _attempt, delay, note) => log(`retry ${url} in ${formatDelay(delay)}: ${note.reason}`, { kind: 'retry', url, delayMs: delay, message: note }) });
      const summary = await watchFeeds(store, fetcher, {
        feeds, once: values.once === true, signal: stop.signal, minIntervalMs, maxIntervalMs,
        onEvent: (event) => log(describe(event), event),
      });
      return values.once && summary.failed > 0 ? EXIT_FAILED : EXIT_OK;
    } finally {
      stop.release();
      await store.close();
    }
  },
};

/** One log line per event. */
export function describe(event: WatchEvent): string {
  const problems = (messages: Message[]) => messages.map((m) => `${m.code} ${m.reason}`).join('; ');
  switch (event.kind) {
    case 'feed': {
      const next = `next poll in ${formatDelay(Math.max(0, Date.parse(event.nextAt) - Date.now()))}`;
      if (event.status === 'failed') return `feed ${event.url}: failed: ${problems(event.messages)}; ${next}`;
      const warnings = event.messages.length > 0 ? ` (${problems(event.messages)})` : '';
      return `feed ${event.url}${event.title ? ` “${event.title}”` : ''}: ${event.status === 'new-items' ? `${event.newItems} new item${event.newItems === 1 ? '' : 's'}` : 'nothing new'}${warnings}; ${next}`;
    }
    case 'item': {
      const where = event.url ?? event.feedUrl;
      switch (event.status) {
        case 'ingested': return `page ${where}: stored as ${event.articleId}`;
        case 'revised': return `page ${where}: revised, stored as ${event.articleId} (was ${event.previousArticleId})`;
        case 'unchanged': return `page ${where}: already stored${event.articleId ? ` as ${event.articleId}` : ''}`;
        case 'retry': return `page ${where}: failed, will retry: ${problems(event.messages)}`;
        case 'skipped': return `item from ${event.feedUrl}: skipped: ${problems(event.messages)}`;
        default: return `page ${where}: failed: ${problems(event.messages)}`;
      }
    }
    case 'story': return `story ${event.storyId} “${event.headline}”: +${event.articleIds.length} article${event.articleIds.length === 1 ? '' : 's'} (${event.articleIds.join(', ')}), ${event.articleCount} in all; briefing rebuilt`;
    case 'idle': return `idle until ${event.nextAt}`;
    case 'stopped': return `stopped; ${event.pending} item${event.pending === 1 ? '' : 's'} queued for the next run`;
  }
}

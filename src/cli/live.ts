/**
 * What `ingest` does with URLs and WARC files, and what it shares with
 * `watch`: the fetcher built from command-line options and a stop signal
 * wired to SIGINT/SIGTERM.
 */
import { formatMessage } from '../errors.js';
import { ingestUrls } from '../pipeline/fetch.js';
import type { IngestSummary } from '../pipeline/ingest.js';
import { ingestWarc } from '../pipeline/warc.js';
import { Fetcher, type FetcherOptions } from '../sources/index.js';
import { isWarcPath } from '../sources/warc.js';
import { parseDuration as parseDurationValue, parseSince as parseSinceValue, SINCE_FORMATS } from '../time.js';
import type { Store } from '../store/index.js';
import { progressBar, UsageError, type Io, type Options } from './command.js';

export const fetchOptions: Options = { 'allow-private-urls': { type: 'boolean' }, timeout: { type: 'string' } };
export const fetchHelp = [
  '--allow-private-urls  fetch from private, loopback and link-local addresses too (your own network)',
  '--timeout S        seconds one fetch may take, body included (default 30)',
];

export function splitInputs(inputs: string[]): { urls: string[]; warcs: string[]; paths: string[] } {
  const urls: string[] = [];
  const warcs: string[] = [];
  const paths: string[] = [];
  for (const input of inputs) {
    if (/^https?:\/\//i.test(input)) urls.push(input);
    else if (isWarcPath(input)) warcs.push(input);
    else paths.push(input);
  }
  return { urls, warcs, paths };
}

export function fetcherFrom(values: Record<string, unknown>, extra: FetcherOptions = {}): Fetcher {
  const timeout = values.timeout as string | undefined;
  let timeoutMs: number | undefined;
  if (timeout !== undefined) {
    const seconds = Number(timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout takes a number of seconds, not "${timeout}"`);
    timeoutMs = seconds * 1000;
  }
  return new Fetcher({ ...extra, allowPrivateUrls: values['allow-private-urls'] === true, ...(timeoutMs ? { timeoutMs } : {}) });
}

/**
 * An AbortSignal that fires on the first SIGINT or SIGTERM, so work in hand is
 * finished and saved; a second signal exits at once. `release` removes the handlers.
 */
export function stopSignal(io: Io, what: string): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    io.stderr.write(`\n${name}: stopping after the ${what} in hand (again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Fetches URLs and reads WARC files into `summary` (the file summary of the same run), one line per problem or revision. */
export async function runLiveIngest(
  store: Store, inputs: { urls: string[]; warcs: string[] }, summary: IngestSummary, io: Io, options: { values: Record<string, unknown>; maxBytes: number },
): Promise<{ revised: number; skipped: number }> {
  const counts = { revised: 0, skipped: 0 };
  if (inputs.urls.length === 0 && inputs.warcs.length === 0) return counts;
  const fetcher = inputs.urls.length > 0
    ? fetcherFrom(options.values, { maxBytes: options.maxBytes, onRetry: (_url, _attempt, _delay, note) => io.stderr.write(`${formatMessage(note)}\n`) })
    : null;
  const stop = stopSignal(io, inputs.warcs.length > 0 ? 'record' : 'page');
  try {
    if (fetcher) {
      const bar = progressBar(io, inputs.urls.length, 'fetching ');
      await ingestUrls(store, fetcher, inputs.urls, {
        signal: stop.signal,
        maxBytes: options.maxBytes,
        onResult(result) {
          bar.tick();
          for (const m of result.messages) io.stderr.write(`${formatMessage(m)}\n`);
          if (result.status === 'failed') summary.failed++;
          else if (result.status === 'unchanged') summary.duplicates++;
          else {
            summary.ingested++;
            summary.articleIds.push(result.articleId!);
          }
          if (result.status === 'revised') {
            counts.revised++;
            io.stderr.write(`${result.url}: revised: the page's text changed since it was last fetched (article ${result.previousArticleId} -> ${result.articleId}; triangulate article ${result.articleId} shows the changes)\n`);
          }
          summary.messages.push(...result.messages);
        },
      });
      bar.done();
    }
    for (const file of inputs.warcs) {
      if (stop.signal.aborted) break;
      const bar = progressBar(io, 1000, `${file.split('/').at(-1)!.slice(0, 24)}`);
      let shown = 0;
      const result = await ingestWarc(store, file, {
        maxBytes: options.maxBytes,
        signal: stop.signal,
        keepIds: false,
        onProgress(bytesRead, size) {
          const permille = Math.min(1000, Math.floor((bytesRead / Math.max(size, 1)) * 1000));
          while (shown < permille) { bar.tick(); shown++; }
        },
        onEvent(event) {
          if (event.kind === 'rejected') io.stderr.write(`${formatMessage(event.message)}\n`);
          else if (event.kind === 'document') for (const m of event.messages) io.stderr.write(`${formatMessage(m)}\n`);
        },
      });
      bar.done();
      summary.ingested += result.ingested;
      summary.duplicates += result.duplicates;
      summary.failed += result.failed;
      summary.messages.push(...result.messages);
      counts.skipped += result.skipped;
      const resumed = result.resumedAt > 0 ? `resumed at record ${result.resumedAt + 1}; ` : '';
      const state = result.complete ? (result.records === 0 ? 'already read to the end' : 'read to the end') : 'stopped; run the same command to resume';
      io.stderr.write(`${file}: ${resumed}${result.records} records, ${result.ingested} pages stored, ${result.skipped} non-HTML records skipped; ${state}\n`);
    }
  } finally {
    stop.release();
  }
  return counts;
}

/** A duration like `30s`, `5m`, `2h`, `1d` (a bare number is minutes), in milliseconds. */
export function parseDuration(value: string, option: string): number {
  const ms = parseDurationValue(value);
  if (ms === null) throw new UsageError(`${option} takes a duration like 30s, 5m, 2h or 1d, not "${value}"`);
  return ms;
}

/** `--since`: an ISO date or date-time, or a duration back from now (`6h`, `2d`), as an ISO date-time. */
export function parseSince(value: string, now = Date.now()): string {
  const at = parseSinceValue(value, now);
  if (at === null) throw new UsageError(`--since takes ${SINCE_FORMATS}, not "${value}"`);
  return at;
}

import { ingestPaths, type IngestSummary } from '../pipeline/ingest.js';
import { processPending, type ProcessSummary } from '../pipeline/process.js';
import { DEFAULT_MAX_BYTES } from '../sources/index.js';
import { formatMessage } from '../errors.js';
import { fetchHelp, fetchOptions, runLiveIngest, splitInputs } from './live.js';
import { openStore } from '../store/index.js';
import { dbHelp, dbOption, storeOptions, EXIT_FAILED, EXIT_OK, progressBar, UsageError, type Command, type Io } from './command.js';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'Store articles from files, folders (recursive), globs or - (stdin): .html/.htm (also .gz), .txt/.md, .json/.jsonl; http(s) URLs; .warc/.warc.gz archives.',
  usage: 'ingest PATH|URL|FILE.warc[.gz]... [--db FILE] [--max-bytes N] [--extract-only] [--allow-private-urls] [--timeout S] [--json]',
  help: [dbHelp, '--max-bytes N      largest input accepted (default 20 MB)', '--extract-only     store the articles but do not analyse them or group them into stories yet', ...fetchHelp, '--json             print the summary as JSON'],
  options: { ...dbOption, 'max-bytes': { type: 'string' }, 'extract-only': { type: 'boolean' }, json: { type: 'boolean' }, ...fetchOptions },
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new UsageError('give at least one file, folder, glob or - (stdin)');
    const maxBytes = parseMaxBytes(values['max-bytes'] as string | undefined);
    const store = await openStore(storeOptions(values, io.env));
    try {
      const inputs = splitInputs(positionals);
      const summary = await runIngest(store, inputs.paths, io, maxBytes);
      await runLiveIngest(store, inputs, summary, io, { values, maxBytes });
      const processed = values['extract-only'] ? null : await runProcess(store, io);
      if (values.json) {
        io.stdout.write(`${JSON.stringify({ ingested: summary.ingested, duplicates: summary.duplicates, failed: summary.failed, articles: summary.articleIds, stories: processed?.stories ?? [], messages: summary.messages })}\n`);
      } else {
        io.stdout.write(`${summarize(summary)}\n`);
        if (processed && processed.stories.length > 0) io.stdout.write(`${processed.stories.length} stor${processed.stories.length === 1 ? 'y' : 'ies'} updated (triangulate stories lists them)\n`);
      }
      return summary.failed > 0 ? EXIT_FAILED : EXIT_OK;
    } finally {
      await store.close();
    }
  },
};

/** Ingests with a progress bar on a TTY and one stderr line per problem. */
export async function runIngest(store: Awaited<ReturnType<typeof openStore>>, inputs: string[], io: Io, maxBytes = DEFAULT_MAX_BYTES): Promise<IngestSummary> {
  let bar: ReturnType<typeof progressBar> | null = null;
  const summary = await ingestPaths(store, inputs, {
    maxBytes,
    onEvent(event) {
      if (event.kind === 'file') {
        bar ??= progressBar(io, event.total, 'ingesting');
        if (event.index > 0) bar.tick();
      } else if (event.kind === 'rejected') {
        io.stderr.write(`${formatMessage(event.message)}\n`);
      } else {
        for (const m of event.messages) io.stderr.write(`${formatMessage(m)}\n`);
      }
    },
  });
  (bar as ReturnType<typeof progressBar> | null)?.tick();
  (bar as ReturnType<typeof progressBar> | null)?.done();
  return summary;
}

/** Analysis, linking, clustering and briefings for everything pending, with progress bars on a TTY. */
export async function runProcess(store: Awaited<ReturnType<typeof openStore>>, io: Io): Promise<ProcessSummary> {
  const bars = new Map<string, ReturnType<typeof progressBar>>();
  return processPending(store, {
    onProgress(stage, done, total) {
      let bar = bars.get(stage);
      if (!bar) { bar = progressBar(io, total, stage.padEnd(9)); bars.set(stage, bar); }
      bar.tick();
      if (done === total) bar.done();
    },
  });
}

export function summarize(summary: IngestSummary): string {
  return `${summary.ingested} ingested, ${summary.duplicates} duplicates skipped, ${summary.failed} failed`;
}

export function parseMaxBytes(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_BYTES;
  const match = /^(\d+(?:\.\d+)?)\s*(k|kb|m|mb|g|gb)?$/i.exec(value.trim());
  if (!match) throw new UsageError(`--max-bytes takes a size like 20000000, 500KB or 50MB, not "${value}"`);
  const scale = { k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 }[(match[2] ?? '').toLowerCase() as 'k'] ?? 1;
  return Math.round(Number(match[1]) * scale);
}

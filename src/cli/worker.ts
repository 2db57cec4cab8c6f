import { runWorker, type WorkerEvent } from '../worker/index.js';
import { EXIT_FAILED, EXIT_OK, type Command, type Io } from './command.js';
import { databaseUrlHelp, databaseUrlOption, intOption, openPostgres } from './postgres.js';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Process queued work (fetch, extract, analyze, cluster, brief) from a PostgreSQL database; run any number, on any number of machines.',
  usage: 'worker [--database-url URL] [--drain] [--batch N] [--cluster-batch N] [--lease SECONDS] [--no-briefings] [--brief-delay SECONDS] [--no-scan] [--allow-private-urls] [--verbose] [--json]',
  help: [
    databaseUrlHelp,
    '--drain            stop when no job is queued or running anywhere (default: keep waiting for work)',
    '--batch N          jobs claimed at once (default 32)',
    '--cluster-batch N  most articles clustered in one turn, when this worker is the one that clusters (default 2000)',
    '--lease SECONDS    a claimed job returns to the queue this long after its worker stops (default 120)',
    '--no-briefings     do not build briefings of changed stories',
    '--brief-delay S    seconds a changed story waits before it is briefed, so bursts are briefed once (default 5)',
    '--no-scan          do not queue articles the database holds without a job (at start and when idle)',
    '--allow-private-urls  fetch jobs may reach private and loopback addresses',
    '--verbose          one line per finished batch on standard error',
    '--json             print the summary as JSON',
  ],
  options: {
    ...databaseUrlOption, drain: { type: 'boolean' }, batch: { type: 'string' }, 'cluster-batch': { type: 'string' }, lease: { type: 'string' },
    'no-briefings': { type: 'boolean' }, 'brief-delay': { type: 'string' }, 'no-scan': { type: 'boolean' }, 'allow-private-urls': { type: 'boolean' },
    verbose: { type: 'boolean' }, json: { type: 'boolean' },
  },
  async run({ values }, io) {
    const batch = intOption(values, 'batch', 32);
    const clusterBatch = intOption(values, 'cluster-batch', 2_000);
    const leaseSeconds = intOption(values, 'lease', 120, 5);
    const briefDelaySeconds = intOption(values, 'brief-delay', 5, 0);
    const store = await openPostgres(values, io, 'the worker');
    // SIGINT / SIGTERM: finish the batch in hand, then stop; a second signal is Node's default (exit at once).
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const summary = await runWorker(store, {
        batch, clusterBatch, leaseSeconds, briefDelaySeconds, drain: Boolean(values.drain), scan: !values['no-scan'], briefings: !values['no-briefings'],
        fetcher: { allowPrivateUrls: Boolean(values['allow-private-urls']) }, signal: stop.signal, onEvent: (event) => report(event, io, Boolean(values.verbose)),
      });
      if (values.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
      else io.stdout.write(`${summary.fetched} fetched, ${summary.extracted} extracted, ${summary.analyzed} analyzed, ${summary.clustered} clustered, ${summary.briefed} briefed, ${summary.failed} failed\n`);
      return summary.failed > 0 ? EXIT_FAILED : EXIT_OK;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await store.close();
    }
  },
};

function report(event: WorkerEvent, io: Io, verbose: boolean): void {
  if (event.kind === 'failed') {
    const what = event.state === 'dead' ? 'gave up (dead; `triangulate queue` lists it, --retry-dead retries it)' : 'will retry';
    io.stderr.write(`worker: ${event.stage} ${event.key} failed: ${event.error}; ${what}\n`);
  } else if (verbose && event.kind === 'done' && event.count > 0) io.stderr.write(`worker: ${event.stage} ${event.count}\n`);
  else if (verbose && event.kind === 'scan') io.stderr.write(`worker: queued ${event.queued} articles found without a job\n`);
  else if (event.kind === 'reclaimed') io.stderr.write(`worker: ${event.count} jobs returned to the queue (their worker stopped)\n`);
}

import { readFile } from 'node:fs/promises';
import { ANALYZER_VERSION } from '../analyze/index.js';
import { WorkQueue, type NewJob } from '../worker/index.js';
import { EXIT_OK, UsageError, type Command } from './command.js';
import { databaseUrlHelp, databaseUrlOption, openPostgres } from './postgres.js';

export const queueCommand: Command = {
  name: 'queue',
  summary: 'Show and feed the work queue of a PostgreSQL database: jobs per stage and state, dead jobs; add URLs, queue pending articles, retry dead jobs.',
  usage: 'queue [--database-url URL] [--add-url URL]... [--urls FILE] [--scan] [--retry-dead] [--json]',
  help: [
    databaseUrlHelp,
    '--add-url URL      queue URL for fetching (repeatable)',
    '--urls FILE        queue every URL in FILE, one a line (- reads standard input)',
    '--scan             queue the articles the database holds without a job (not analysed, or in no story)',
    '--retry-dead       give dead jobs a new set of attempts (after fixing what failed)',
    '--json             print counts and dead jobs as JSON',
  ],
  options: { ...databaseUrlOption, 'add-url': { type: 'string', multiple: true }, urls: { type: 'string' }, scan: { type: 'boolean' }, 'retry-dead': { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values }, io) {
    const urls = [...((values['add-url'] as string[] | undefined) ?? [])];
    if (values.urls) {
      const text = values.urls === '-' ? await readStdin() : await readFile(values.urls as string, 'utf8').catch((error: Error) => { throw new UsageError(`cannot read --urls ${String(values.urls)}: ${error.message}`); });
      urls.push(...text.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#')));
    }
    for (const url of urls) if (!/^https?:\/\/\S+$/i.test(url)) throw new UsageError(`not an http(s) URL: "${url}"`);
    const store = await openPostgres(values, io, 'the queue');
    try {
      const queue = new WorkQueue(store.pool, 'cli');
      const lines: string[] = [];
      if (urls.length > 0) lines.push(`${await queue.enqueue(urls.map((key): NewJob => ({ stage: 'fetch', key })))} URLs queued for fetching`);
      if (values.scan) lines.push(`${await queue.enqueuePending(ANALYZER_VERSION)} articles queued`);
      if (values['retry-dead']) lines.push(`${await queue.retryDead()} dead jobs queued again`);
      const counts = await queue.counts();
      const dead = await queue.dead();
      if (values.json) {
        io.stdout.write(`${JSON.stringify({ counts, dead })}\n`);
        return EXIT_OK;
      }
      for (const line of lines) io.stdout.write(`${line}\n`);
      io.stdout.write(counts.length === 0 ? 'the queue is empty\n' : `${counts.map((c) => `${c.stage.padEnd(8)} ${c.state.padEnd(8)} ${c.count}`).join('\n')}\n`);
      for (const job of dead) io.stdout.write(`dead: ${job.stage} ${job.key} after ${job.attempts} attempts: ${job.lastError ?? 'no error recorded'}\n`);
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { renderText } from '../present/index.js';
import { openStore } from '../store/index.js';
import { EXIT_FAILED, EXIT_OK, type Command } from './command.js';
import { buildAll } from './analyze.js';
import { runIngest, summarize } from './ingest.js';
import { writeBriefings } from './output.js';

/** The bundled corpus; the same relative path works from src/cli and dist/cli. */
export const DEMO_CORPUS = fileURLToPath(new URL('../../examples/riyadh-talks/', import.meta.url));

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the whole pipeline on the bundled example corpus (examples/riyadh-talks), print the briefing and write the HTML report.',
  usage: 'demo [--db FILE] [--out FILE]',
  help: ['--db FILE          where to build the demo database (default ./triangulate-demo.db, recreated each run)', '--out FILE         where to write the HTML report (default ./triangulate-demo-report.html)'],
  options: { db: { type: 'string' }, out: { type: 'string' } },
  async run({ values }, io) {
    const dbPath = (values.db as string | undefined) ?? path.join(io.cwd, 'triangulate-demo.db');
    const reportPath = (values.out as string | undefined) ?? path.join(io.cwd, 'triangulate-demo-report.html');
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
    const store = await openStore({ path: dbPath });
    try {
      const summary = await runIngest(store, [DEMO_CORPUS], io);
      io.stderr.write(`${path.relative(io.cwd, DEMO_CORPUS) || DEMO_CORPUS}: ${summarize(summary)}\n`);
      const briefings = await buildAll(store, io);
      for (const briefing of briefings) io.stdout.write(`${renderText(briefing, { width: Math.min(io.stdout.columns ?? 100, 110) })}\n`);
      await writeBriefings(store, briefings, 'html', reportPath, { ...io, stderr: { write: () => true } as unknown as typeof io.stderr });
      io.stdout.write(`HTML report: ${reportPath}\nDatabase:    ${dbPath} (try: triangulate stories --db ${path.relative(io.cwd, dbPath) || dbPath})\n`);
      return summary.failed > 0 || briefings.length === 0 ? EXIT_FAILED : EXIT_OK;
    } finally {
      await store.close();
    }
  },
};

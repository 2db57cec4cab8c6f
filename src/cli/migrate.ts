import { existsSync } from 'node:fs';
import { resolveDbPath } from '../store/index.js';
import { SqliteStore } from '../store/sqlite/index.js';
import { copySqliteToPostgres } from '../store/postgres/copy.js';
import { EXIT_FAILED, EXIT_OK, UsageError, type Command } from './command.js';
import { databaseUrlHelp, databaseUrlOption, openPostgres } from './postgres.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Copy a SQLite database into PostgreSQL: raw inputs, articles, analyses, stories, links, briefings, clusterer state, feeds.',
  usage: 'migrate [--db FILE] [--database-url URL] [--resume] [--json]',
  help: [
    '--db FILE          the SQLite database to copy (default ./triangulate.db, or $TRIANGULATE_DB)',
    databaseUrlHelp,
    '--resume           continue a copy that was interrupted (rows already there are kept; without it the target must be empty)',
    '--json             print the row counts per table as JSON',
  ],
  options: { db: { type: 'string' }, ...databaseUrlOption, resume: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values }, io) {
    const file = resolveDbPath(values.db as string | undefined, io.env);
    if (!existsSync(file)) throw new UsageError(`no SQLite database at ${file}: give --db FILE`);
    const target = await openPostgres(values, io, 'migrate');
    const source = SqliteStore.open(file);
    try {
      if (!values.resume && await target.hasAnyRaw()) {
        io.stderr.write(`triangulate migrate: ${target.location} already holds data; copy into an empty database or schema, or pass --resume to continue an interrupted copy\n`);
        return EXIT_FAILED;
      }
      const copies = await copySqliteToPostgres(source, target, (copy) => {
        if (!values.json) io.stderr.write(`${copy.table.padEnd(16)} ${String(copy.source).padStart(9)} rows, ${String(copy.copied).padStart(9)} copied\n`);
      });
      const short = copies.filter((c) => c.target < c.source);
      if (values.json) io.stdout.write(`${JSON.stringify({ tables: copies })}\n`);
      else io.stdout.write(`copied ${file} into ${target.location}: ${copies.reduce((n, c) => n + c.copied, 0)} rows in ${copies.length} tables\n`);
      for (const c of short) io.stderr.write(`triangulate migrate: ${c.table} has ${c.target} rows in PostgreSQL but ${c.source} in SQLite; run again with --resume\n`);
      return short.length > 0 ? EXIT_FAILED : EXIT_OK;
    } finally {
      await source.close();
      await target.close();
    }
  },
};

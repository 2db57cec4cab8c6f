/** What the PostgreSQL-only commands (worker, queue, migrate) share: opening the store the options name. */
import { resolveStoreTarget } from '../store/index.js';
import type { PostgresStore } from '../store/postgres/index.js';
import { storeOptions, UsageError, type Io } from './command.js';

export const databaseUrlOption = { 'database-url': { type: 'string' } } as const;
export const databaseUrlHelp = '--database-url URL PostgreSQL database (postgres://user@host:5432/db[?schema=name]; default $TRIANGULATE_DATABASE_URL)';

/** Opens the PostgreSQL store of `--database-url` or `TRIANGULATE_DATABASE_URL`; anything else is a usage error. */
export async function openPostgres(values: Record<string, unknown>, io: Io, what: string, poolSize?: number): Promise<PostgresStore> {
  const target = resolveStoreTarget({ ...storeOptions({ 'database-url': values['database-url'] }, io.env), path: undefined });
  if (target.kind !== 'postgres') throw new UsageError(`${what} needs PostgreSQL: give --database-url postgres://… or set TRIANGULATE_DATABASE_URL`);
  const { PostgresStore } = await import('../store/postgres/index.js');
  return PostgresStore.open(target.url, poolSize === undefined ? {} : { poolSize });
}

/** A whole number option at least `min`, or the default. */
export function intOption(values: Record<string, unknown>, name: string, fallback: number, min = 1): number {
  const raw = values[name] as string | undefined;
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} takes a whole number of at least ${min}, not "${raw}"`);
  return n;
}

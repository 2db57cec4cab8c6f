/**
 * Copies a SQLite store into a PostgreSQL one, table by table, rows in their
 * original order (so identity columns keep insertion order), keeping ids,
 * timestamps and raw bytes as they are. Each batch is one transaction and
 * every insert is `ON CONFLICT DO NOTHING`, so a copy that was interrupted
 * continues where it stopped when run again. Tables are copied parents first,
 * so foreign keys hold at every commit.
 */
import type { SqliteStore } from '../sqlite/index.js';
import type { PostgresStore } from './index.js';

/** Parents before children; tables not named here (added later) follow in name order. */
const TABLE_ORDER = [
  'raw_inputs', 'articles', 'input_messages', 'analyses', 'stories', 'story_articles', 'story_redirects', 'links', 'clusterer_state',
  'briefings', 'fetch_state', 'feed_items', 'checkpoints',
];
/** SQLite-only tables: migrations bookkeeping and the FTS5 index (PostgreSQL builds its own). */
const SKIPPED = /^(schema_migrations|articles_fts.*|sqlite_.*)$/;
/** Columns named differently in PostgreSQL (`offset` is a reserved word there). */
const RENAMED: Record<string, Record<string, string>> = { input_messages: { offset: 'char_offset' } };
/** Bind parameters per statement stay under PostgreSQL's limit of 65,535. */
const MAX_PARAMETERS = 30_000;
/** Rows read from SQLite at a time: bounds memory when raw inputs are large. */
const MAX_ROWS = 500;

export interface TableCopy {
  table: string;
  /** Rows in the SQLite table. */
  source: number;
  /** Rows inserted now (fewer than `source` when resuming). */
  copied: number;
  /** Rows in the PostgreSQL table afterwards. */
  target: number;
}

export async function copySqliteToPostgres(source: SqliteStore, target: PostgresStore, onTable?: (copy: TableCopy) => void): Promise<TableCopy[]> {
  const sqliteTables = (source.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[]).filter((t) => !SKIPPED.test(t));
  const pgTables = new Set((await target.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`,
  )).rows.map((r) => r.table_name));
  const missing = sqliteTables.filter((t) => !pgTables.has(t));
  if (missing.length > 0) throw new Error(`the PostgreSQL store has no table ${missing.join(', ')}: its migrations are behind the SQLite store's`);
  const rank = (t: string) => (TABLE_ORDER.includes(t) ? TABLE_ORDER.indexOf(t) : TABLE_ORDER.length);
  const tables = sqliteTables.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const out: TableCopy[] = [];
  for (const table of tables) {
    const copy = await copyTable(source, target, table);
    out.push(copy);
    onTable?.(copy);
  }
  return out;
}

async function copyTable(source: SqliteStore, target: PostgresStore, table: string): Promise<TableCopy> {
  const renames = RENAMED[table] ?? {};
  const pgColumns = new Map((await target.pool.query<{ column_name: string; is_generated: string; is_identity: string; identity_generation: string | null }>(
    `SELECT column_name, is_generated, is_identity, identity_generation FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`, [table],
  )).rows.map((r) => [r.column_name, r]));
  const sqliteColumns = (source.db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]);
  // Columns both have, except what PostgreSQL computes itself (tsvector, the seq columns that stand in for rowid).
  const columns = sqliteColumns.filter((c) => {
    const pg = pgColumns.get(renames[c] ?? c);
    return pg !== undefined && pg.is_generated !== 'ALWAYS' && !(pg.is_identity === 'YES' && (renames[c] ?? c) !== 'id');
  });
  const pgNames = columns.map((c) => renames[c] ?? c);
  // Identity ids (messages, briefings) are kept, so later rows continue after them.
  const keepsIdentity = pgNames.some((c) => pgColumns.get(c)?.is_identity === 'YES');
  const sourceCount = source.db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;
  const perStatement = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / Math.max(1, columns.length))));
  // rowid first (to page by it), then the columns copied.
  const select = source.db.prepare(`SELECT rowid, ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}" WHERE rowid > ? ORDER BY rowid LIMIT ?`).raw();
  let copied = 0;
  let after = -Infinity;
  for (;;) {
    const rows = select.all(after, perStatement) as unknown[][];
    if (rows.length === 0) break;
    after = rows.at(-1)![0] as number;
    const params: unknown[] = [];
    const values = rows.map((row) => `(${row.slice(1).map((value) => { params.push(value); return `$${params.length}`; }).join(', ')})`);
    const inserted = await target.pool.query(
      `INSERT INTO ${table} (${pgNames.join(', ')}) ${keepsIdentity ? 'OVERRIDING SYSTEM VALUE ' : ''}VALUES ${values.join(', ')} ON CONFLICT DO NOTHING`, params,
    );
    copied += inserted.rowCount ?? 0;
  }
  if (keepsIdentity) await target.pool.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST((SELECT max(id) FROM ${table}), 1))`);
  const targetCount = Number((await target.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
  return { table, source: sourceCount, copied, target: targetCount };
}

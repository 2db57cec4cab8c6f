/**
 * The PostgreSQL store (`pg`), for many worker processes on many machines
 * around one database. Every write runs in one transaction; writes that two
 * processes may race on (the same bytes ingested twice) use
 * `INSERT … ON CONFLICT` so the loser sees a duplicate instead of an error.
 * The clusterer state is a read-modify-write of one row: callers serialise it
 * with `withClusterLock` (a PostgreSQL advisory lock).
 *
 * A `schema` query parameter on the URL (`postgres://…/db?schema=news`) puts
 * every table in that schema, created when missing: tests use one schema per
 * run, and one database can hold several stores.
 */
import pg from 'pg';
import { articleIdFor } from '../../hash.js';
import type { Analysis } from '../../analyze/types.js';
import type { Article, ExtractedArticle, Message, SourceDocument, SourceFormat } from '../../types.js';
import type {
  ArticleQuery, FeedItem, FetchState, IngestOutcome, NewFeedItem, PageVersion, RawInput, Store, StoredAnalysis, StoredBriefing, StoredLink,
  StoryMember, StoryQuery, StoryRecord, StoryUpdate,
} from '../index.js';
import { StoreUnavailableError } from '../index.js';
import { migrations } from './migrations.js';
import { articleColumns, clustererWrite, NO_STATE_FOR_DELTA, StaleClustererError, rowToArticle, rowToFetchState, rowToStory, type ArticleRow, type FetchStateRow, type StoryRow } from '../rows.js';

type Queryable = pg.Pool | pg.PoolClient;

/**
 * Advisory lock keys. Migrations lock the whole database (schemas are created
 * under it); the cluster lock is per schema (`hashtext(current_schema())` as
 * the second key), so stores in different schemas of one database never wait
 * for each other.
 */
const MIGRATION_LOCK = 7_310_001;
const CLUSTER_LOCK = 7_310_002;

const ARTICLE_COLUMNS = 'id, raw_hash, input, format, title, text, author, published, outlet, url, language, provenance, removed, ingested_at';

export interface PostgresTarget {
  /** Connection string without our own parameters. */
  connectionString: string;
  /** Schema holding the tables, or null for the server's default search path. */
  schema: string | null;
}

/** Splits our `schema` parameter off a PostgreSQL URL. */
export function parseDatabaseUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`not a PostgreSQL URL: "${url}" (expected postgres://user@host:port/database)`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`not a PostgreSQL URL: "${url}" (expected postgres://user@host:port/database)`);
  }
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`schema "${schema}" must be lower-case letters, digits and underscores, starting with a letter`);
  }
  return { connectionString: parsed.toString(), schema };
}

/** The URL with the password hidden, for messages. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** What the linker and a story record need of an article besides its text. */
export type LinkedArticleMeta = Pick<Article, 'id' | 'title' | 'published' | 'outlet' | 'provenance'>;

/** One delta of the clusterer log: its place, the generation it leads to, and the serialized delta. */
export interface ClustererLogEntry {
  seq: number;
  generation: number;
  delta: string;
}

export interface ClustererPosition {
  generation: number;
  lastSeq: number;
  stateBytes: number;
  logBytes: number;
}

export interface PostgresStoreOptions {
  /** Connections kept open (default 4: one process rarely runs more queries at once). */
  poolSize?: number;
}

export class PostgresStore implements Store {
  readonly location: string;
  /** Exposed for the work queue and the migrate command, which keep their own tables here. */
  readonly pool: pg.Pool;
  readonly schema: string | null;

  /** The connection that asks for the cluster lead (`takeClusterLead`) and, once taken, holds it. */
  private lead: { client: pg.Client; held: boolean } | null = null;

  private constructor(location: string, pool: pg.Pool, schema: string | null, private readonly config: pg.PoolConfig) {
    this.location = location;
    this.pool = pool;
    this.schema = schema;
  }

  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    let target: PostgresTarget;
    try {
      target = parseDatabaseUrl(url);
    } catch (error) {
      throw new StoreUnavailableError((error as Error).message);
    }
    const config: pg.PoolConfig = { connectionString: target.connectionString, max: options.poolSize ?? 4 };
    if (target.schema) config.options = `-c search_path=${target.schema}`;
    const pool = new pg.Pool(config);
    // An idle connection that dies (server restart) must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    const store = new PostgresStore(displayUrl(url), pool, target.schema, config);
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      await pool.end();
      throw new StoreUnavailableError(`cannot connect to PostgreSQL at ${store.location}: ${(error as Error).message || (error as { code?: string }).code || 'connection failed'}; check that the server runs and the URL (--database-url or TRIANGULATE_DATABASE_URL)`);
    }
    try {
      await store.migrate();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  /**
   * Applies every migration not yet recorded. Workers starting together would
   * race, so the whole run holds a transaction-level advisory lock.
   */
  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      // Under the lock: CREATE SCHEMA IF NOT EXISTS itself fails when two sessions run it at once.
      if (this.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
      const applied = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
      for (const migration of migrations) {
        if (applied.has(migration.name)) continue;
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)', [migration.name, now()]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** Runs `fn` in one transaction on one connection (`begin` starts it); rolls back on any error. */
  async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => { broken = rollbackError; });
      throw error;
    } finally {
      // A connection that cannot even roll back is discarded rather than reused.
      client.release(broken);
    }
  }

  /**
   * Runs `fn` while this process holds the cluster lock: loading the
   * clusterer state, assigning articles and saving the state is a
   * read-modify-write that must not interleave between processes. A
   * session-level advisory lock on a dedicated connection: if the process
   * dies, the server ends the session and the lock is released.
   */
  async withClusterLock<T>(fn: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let locked = false;
    try {
      await client.query('SELECT pg_advisory_lock($1, hashtext(current_schema()))', [CLUSTER_LOCK]);
      locked = true;
      return await fn();
    } finally {
      if (locked) await client.query('SELECT pg_advisory_unlock($1, hashtext(current_schema()))', [CLUSTER_LOCK]).catch(() => {});
      client.release();
    }
  }

  /** True when some process holds the cluster lock now (a hint: it may be taken or released right after). */
  async clusterLockBusy(): Promise<boolean> {
    // A two-key advisory lock shows in pg_locks as classid = first key, objid = second key, objsubid = 2.
    return (await this.pool.query<{ busy: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND classid = $1::int::oid AND objid = hashtext(current_schema())::oid) AS busy`, [CLUSTER_LOCK],
    )).rows[0]!.busy;
  }

  /**
   * Takes the cluster lock for as long as this process keeps it (the worker
   * that clusters: src/worker/index.ts), when no other process holds it;
   * true when this process holds it now. A session-level advisory lock on a
   * connection of its own, outside the pool (kept open between attempts):
   * when the process dies or the connection breaks, the server ends the
   * session and releases the lock, and another process can take it.
   */
  async takeClusterLead(): Promise<boolean> {
    if (this.lead?.held) return this.holdsClusterLead();
    try {
      if (!this.lead) {
        const client = new pg.Client(this.config);
        // A broken connection has lost the lock with its session: the next look says so.
        client.on('error', () => { if (this.lead?.client === client) this.lead = null; });
        await client.connect();
        this.lead = { client, held: false };
      }
      const { client } = this.lead;
      this.lead.held = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext(current_schema())) AS ok', [CLUSTER_LOCK])).rows[0]!.ok;
      return this.lead.held;
    } catch {
      // Not taken; the caller tries again later, on a new connection.
      await this.releaseClusterLead();
      return false;
    }
  }

  /** True while this process holds the cluster lead, asked of the server on the lead's own connection (false once it broke). */
  async holdsClusterLead(): Promise<boolean> {
    if (!this.lead?.held) return false;
    let held = false;
    try {
      held = (await this.lead.client.query<{ held: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND pid = pg_backend_pid()
           AND classid = $1::int::oid AND objid = hashtext(current_schema())::oid) AS held`, [CLUSTER_LOCK],
      )).rows[0]!.held;
    } catch {
      // The connection broke: the lock went with its session.
    }
    if (!held) await this.releaseClusterLead();
    return held;
  }

  /** Gives the cluster lead up, if held, by ending its connection (which releases the lock), so another process can take it at once. */
  async releaseClusterLead(): Promise<void> {
    const client = this.lead?.client;
    this.lead = null;
    await client?.end().catch(() => {});
  }

  /**
   * Where the saved clusterer stands: its generation (saves whole or as a
   * delta so far, 0: never saved), the last log entry (or the last folded
   * into the whole state), and the sizes of the whole state and of the log
   * after it, in bytes (sizes are read without decompressing the values).
   */
  async clustererPosition(): Promise<ClustererPosition> {
    const row = (await this.pool.query<{ generation: string; last_seq: string; state_bytes: string; log_bytes: string }>(
      `SELECT generation, GREATEST(log_seq, COALESCE((SELECT max(seq) FROM clusterer_log), 0)) AS last_seq, octet_length(state) AS state_bytes,
              COALESCE((SELECT sum(octet_length(delta)) FROM clusterer_log WHERE seq > clusterer_state.log_seq), 0) AS log_bytes
       FROM clusterer_state WHERE id = 1`,
    )).rows[0];
    return row
      ? { generation: Number(row.generation), lastSeq: Number(row.last_seq), stateBytes: Number(row.state_bytes), logBytes: Number(row.log_bytes) }
      : { generation: 0, lastSeq: 0, stateBytes: 0, logBytes: 0 };
  }

  /**
   * The clusterer state as last saved whole, its generation, and the log
   * entries after it, read in one snapshot of the database, so they fit
   * together whatever other workers save meanwhile (null state: never saved).
   */
  async loadClustererSnapshot(): Promise<{ state: string | null; generation: number; logSeq: number; log: ClustererLogEntry[] }> {
    return this.snapshotRead(async (client) => {
      const row = (await client.query<{ state: string; generation: string; log_seq: string }>('SELECT state, generation, log_seq FROM clusterer_state WHERE id = 1')).rows[0];
      const logSeq = Number(row?.log_seq ?? 0);
      return { state: row?.state ?? null, generation: Number(row?.generation ?? 0), logSeq, log: await logAfter(client, logSeq) };
    });
  }

  /** The clusterer log entries after `seq`, and the generation they lead to, read in one snapshot. */
  async clustererLogSince(seq: number): Promise<{ generation: number; log: ClustererLogEntry[] }> {
    return this.snapshotRead(async (client) => {
      const row = (await client.query<{ generation: string }>('SELECT generation FROM clusterer_state WHERE id = 1')).rows[0];
      return { generation: Number(row?.generation ?? 0), log: await logAfter(client, seq) };
    });
  }

  /**
   * Writes the whole clusterer state again as it stands after log entry
   * `seq` (what a worker in step with the log holds), and drops the entries it
   * folds in; the generation stays, nothing changed. The caller holds the
   * cluster lock. False when a newer whole state was saved meanwhile.
   */
  async compactClusterer(state: string, seq: number): Promise<boolean> {
    return this.transaction(async (client) => {
      const updated = await client.query('UPDATE clusterer_state SET state = $1, log_seq = $2, saved_at = $3 WHERE id = 1 AND log_seq < $2', [state, seq, now()]);
      if (updated.rowCount === 0) return false;
      await client.query('DELETE FROM clusterer_log WHERE seq <= $1', [seq]);
      return true;
    });
  }

  /** Runs `fn` in a read-only transaction that sees one snapshot of the database. */
  private async snapshotRead<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.transaction(fn, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  /** Articles assigned to stories after `since` (an `assigned_seq`), in assignment order, with the latest seq. */
  async assignedSince(since: number, limit: number): Promise<{ ids: string[]; last: number }> {
    const rows = (await this.pool.query<{ article_id: string; assigned_seq: string }>(
      'SELECT article_id, assigned_seq FROM story_articles WHERE assigned_seq > $1 ORDER BY assigned_seq LIMIT $2', [since, limit],
    )).rows;
    return { ids: rows.map((r) => r.article_id), last: rows.length > 0 ? Number(rows.at(-1)!.assigned_seq) : since };
  }

  /** The latest `assigned_seq` (0 when no article is in a story). */
  async lastAssignedSeq(): Promise<number> {
    const row = (await this.pool.query<{ last: string | null }>('SELECT max(assigned_seq) AS last FROM story_articles')).rows[0];
    return Number(row?.last ?? 0);
  }

  /** True when the store holds any raw input (it is not empty). */
  async hasAnyRaw(): Promise<boolean> {
    return (await this.pool.query('SELECT 1 FROM raw_inputs LIMIT 1')).rowCount! > 0;
  }

  async hasRaw(hash: string): Promise<boolean> {
    return (await this.pool.query('SELECT 1 FROM raw_inputs WHERE hash = $1', [hash])).rowCount! > 0;
  }

  async ingest(document: SourceDocument, hash: string, article: ExtractedArticle | null, messages: Message[]): Promise<IngestOutcome> {
    return this.transaction(async (client) => {
      const inserted = await client.query(
        `INSERT INTO raw_inputs (hash, input, format, url, charset, size, bytes, first_seen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (hash) DO NOTHING`,
        [hash, document.input, document.format, document.url ?? null, document.charset ?? null, document.bytes.length, Buffer.from(document.bytes), now()],
      );
      if (inserted.rowCount === 0) {
        const existing = (await client.query<{ id: string }>('SELECT id FROM articles WHERE raw_hash = $1', [hash])).rows[0];
        return { status: 'duplicate', articleId: existing?.id ?? null, duplicateOf: 'raw' } satisfies IngestOutcome;
      }
      await recordMessages(client, hash, messages);
      return storeArticle(client, hash, document.format, article);
    });
  }

  async replaceExtraction(rawHash: string, article: ExtractedArticle | null, messages: Message[]): Promise<IngestOutcome> {
    return this.transaction(async (client) => {
      const raw = (await client.query<{ format: SourceFormat }>('SELECT format FROM raw_inputs WHERE hash = $1 FOR UPDATE', [rawHash])).rows[0];
      if (!raw) throw new Error(`no raw input ${rawHash}`);
      const previous = (await client.query<{ id: string }>('SELECT id FROM articles WHERE raw_hash = $1', [rawHash])).rows[0]?.id;
      const nextId = article ? articleIdFor(article.text) : null;
      // Analyses describe the old text; they go with it and are redone by `reanalyze`.
      if (previous && previous !== nextId) await client.query('DELETE FROM articles WHERE id = $1', [previous]);
      await client.query('DELETE FROM input_messages WHERE raw_hash = $1', [rawHash]);
      await recordMessages(client, rawHash, messages);
      if (previous && previous === nextId && article) {
        const c = articleColumns(article);
        await client.query(
          `UPDATE articles SET input = $2, title = $3, text = $4, author = $5, published = $6, outlet = $7, url = $8, language = $9,
           provenance = $10, removed = $11 WHERE id = $1`,
          [previous, c.input, c.title, c.text, c.author, c.published, c.outlet, c.url, c.language, c.provenance, c.removed],
        );
        return { status: 'ingested', articleId: previous } satisfies IngestOutcome;
      }
      return storeArticle(client, rawHash, raw.format, article);
    });
  }

  async getArticles(ids: string[]): Promise<Article[]> {
    if (ids.length === 0) return [];
    const rows = (await this.pool.query<ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id = ANY($1::text[])`, [ids])).rows;
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => (byId.has(id) ? [rowToArticle(byId.get(id)!)] : []));
  }

  async getArticle(id: string): Promise<Article | null> {
    const row = (await this.pool.query<ArticleRow>(`SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id = $1`, [id])).rows[0];
    return row ? rowToArticle(row) : null;
  }

  async listArticles(query: ArticleQuery = {}): Promise<Article[]> {
    const limit = query.limit ?? null;
    const offset = query.offset ?? 0;
    if (query.search !== undefined) {
      const tsquery = searchQuery(query.search);
      if (tsquery === null) return [];
      const rows = (await this.pool.query<ArticleRow>(
        `SELECT ${ARTICLE_COLUMNS} FROM articles, to_tsquery('simple', $1) AS q WHERE search @@ q
         ORDER BY ts_rank(search, q) DESC, seq LIMIT $2 OFFSET $3`, [tsquery, limit, offset],
      )).rows;
      return rows.map(rowToArticle);
    }
    const rows = (await this.pool.query<ArticleRow>(
      `SELECT ${ARTICLE_COLUMNS} FROM articles ORDER BY COALESCE(published, ingested_at), id LIMIT $1 OFFSET $2`, [limit, offset],
    )).rows;
    return rows.map(rowToArticle);
  }

  async countArticles(): Promise<number> {
    return Number((await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM articles')).rows[0]!.n);
  }

  async *rawInputs(): AsyncIterable<RawInput> {
    // Hashes first, then one row at a time: the bytes of a large database never sit in memory together.
    const hashes = (await this.pool.query<{ hash: string }>('SELECT hash FROM raw_inputs ORDER BY first_seen, seq')).rows.map((r) => r.hash);
    for (const hash of hashes) {
      const raw = await this.getRaw(hash);
      if (raw) yield raw;
    }
  }

  async getRaw(hash: string): Promise<RawInput | null> {
    const row = (await this.pool.query<{ hash: string; input: string; format: SourceFormat; url: string | null; charset: string | null; bytes: Buffer; first_seen: string }>(
      'SELECT hash, input, format, url, charset, bytes, first_seen FROM raw_inputs WHERE hash = $1', [hash],
    )).rows[0];
    if (!row) return null;
    return { hash: row.hash, input: row.input, format: row.format, url: row.url, charset: row.charset, bytes: new Uint8Array(row.bytes), firstSeen: row.first_seen };
  }

  async saveAnalysis(stored: StoredAnalysis): Promise<void> {
    await this.saveAnalyses([stored]);
  }

  /**
   * Saves several analyses in one statement (on `db`: a transaction's
   * connection, to commit them with other writes), each value its own parameter
   * (not a text array: the server would parse and unescape the array literal
   * of the JSON, which cost as much as storing it). The server spends most of
   * a single save on its commit: 0.48 ms of its CPU per analysis saved alone,
   * 0.10 ms in groups of 8 (2026-12-01, 3.8 KB analyses of generated
   * articles); as a text array, 0.24 ms in groups of 8, as parameters 0.12.
   */
  async saveAnalyses(stored: StoredAnalysis[], db: Queryable = this.pool): Promise<void> {
    const rows = [...new Map(stored.map((s) => [s.articleId, s])).values()];
    const at = now();
    for (let i = 0; i < rows.length; i += PARAMETER_ROWS) {
      const slice = rows.slice(i, i + PARAMETER_ROWS);
      await db.query(
        `INSERT INTO analyses (article_id, version, data, analyzed_at) VALUES ${valuesList(4, slice.length)}
         ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, data = excluded.data, analyzed_at = excluded.analyzed_at`,
        slice.flatMap((s) => [s.articleId, s.version, JSON.stringify(s.analysis), at]),
      );
    }
  }

  /**
   * Keeps what the linker needs of these articles' texts (`src/worker/features.ts`), replacing what was kept before.
   * The bytes go as binary parameters: in a `bytea[]` they travel and are parsed as hex text, which cost the
   * server 0.28 ms per article against 0.04 (5.7 KB of features, 2026-12-01).
   */
  async saveLinkFeatures(rows: Array<{ articleId: string; data: Uint8Array }>): Promise<void> {
    const distinct = [...new Map(rows.map((r) => [r.articleId, r])).values()];
    for (let i = 0; i < distinct.length; i += PARAMETER_ROWS) {
      const slice = distinct.slice(i, i + PARAMETER_ROWS);
      await this.pool.query(
        `INSERT INTO link_features (article_id, data) VALUES ${valuesList(2, slice.length)} ON CONFLICT (article_id) DO UPDATE SET data = excluded.data`,
        slice.flatMap((r) => [r.articleId, Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength)]),
      );
    }
  }

  /** The kept linker features of those of `articleIds` that have them, with the articles' metadata (no text). */
  async linkFeatures(articleIds: string[]): Promise<Array<{ article: LinkedArticleMeta; data: Uint8Array }>> {
    if (articleIds.length === 0) return [];
    const rows = (await this.pool.query<{ id: string; title: string | null; published: string | null; outlet: string | null; provenance: string; data: Buffer }>(
      `SELECT articles.id, articles.title, articles.published, articles.outlet, articles.provenance, link_features.data
       FROM link_features JOIN articles ON articles.id = link_features.article_id WHERE link_features.article_id = ANY($1::text[])`, [articleIds],
    )).rows;
    return rows.map((r) => ({
      article: { id: r.id, title: r.title, published: r.published, outlet: r.outlet, provenance: JSON.parse(r.provenance) as Article['provenance'] },
      data: r.data,
    }));
  }

  /** Versions of the stored analyses of these articles (absent: none): checks currency without reading the analyses. */
  async analysisVersions(articleIds: string[]): Promise<Map<string, string>> {
    const rows = (await this.pool.query<{ article_id: string; version: string }>(
      'SELECT article_id, version FROM analyses WHERE article_id = ANY($1::text[])', [articleIds],
    )).rows;
    return new Map(rows.map((r) => [r.article_id, r.version]));
  }

  /** The stored analyses of those of `articleIds` that have one, in one query (what `getAnalysis` reads one at a time). */
  async getAnalyses(articleIds: string[]): Promise<Map<string, StoredAnalysis>> {
    const out = new Map<string, StoredAnalysis>();
    if (articleIds.length === 0) return out;
    const rows = (await this.pool.query<{ article_id: string; version: string; data: string }>(
      'SELECT article_id, version, data FROM analyses WHERE article_id = ANY($1::text[])', [articleIds],
    )).rows;
    for (const r of rows) out.set(r.article_id, { articleId: r.article_id, version: r.version, analysis: JSON.parse(r.data) as Analysis });
    return out;
  }

  async getAnalysis(articleId: string): Promise<StoredAnalysis | null> {
    const row = (await this.pool.query<{ version: string; data: string }>('SELECT version, data FROM analyses WHERE article_id = $1', [articleId])).rows[0];
    return row ? { articleId, version: row.version, analysis: JSON.parse(row.data) as Analysis } : null;
  }

  async saveStoryUpdate(update: StoryUpdate): Promise<void> {
    const clusterer = clustererWrite(update);
    await this.transaction(async (client) => {
      // One statement per table with arrays (unnest) rather than a round trip per row; the last of repeated keys wins.
      const links = [...new Map(update.links.map((l) => [`${l.from}\n${l.to}`, l])).values()];
      if (links.length > 0) {
        await client.query(
          `INSERT INTO links (from_id, to_id, kind, similarity, aligned_share)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[])
           ON CONFLICT (from_id, to_id) DO UPDATE SET kind = excluded.kind, similarity = excluded.similarity, aligned_share = excluded.aligned_share`,
          [links.map((l) => l.from), links.map((l) => l.to), links.map((l) => l.kind), links.map((l) => l.similarity), links.map((l) => l.alignedShare)],
        );
      }
      for (const r of update.redirects) {
        await client.query('INSERT INTO story_redirects (from_id, to_id) VALUES ($1, $2) ON CONFLICT (from_id) DO UPDATE SET to_id = excluded.to_id', [r.from, r.to]);
        // Earlier redirects to the absorbed story now point at the survivor, so lookups take one step.
        await client.query('UPDATE story_redirects SET to_id = $1 WHERE to_id = $2', [r.to, r.from]);
        await client.query('UPDATE story_articles SET story_id = $1 WHERE story_id = $2', [r.to, r.from]);
      }
      const stories = [...new Map(update.stories.map((s) => [s.id, s])).values()];
      if (stories.length > 0) {
        await client.query(
          `INSERT INTO stories (id, headline, first_published, last_published, article_count, family_count, updated_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::text[])
           ON CONFLICT (id) DO UPDATE SET headline = excluded.headline, first_published = excluded.first_published,
             last_published = excluded.last_published, article_count = excluded.article_count,
             family_count = excluded.family_count, updated_at = excluded.updated_at`,
          [stories.map((s) => s.id), stories.map((s) => s.headline), stories.map((s) => s.firstPublished), stories.map((s) => s.lastPublished),
            stories.map((s) => s.articleCount), stories.map((s) => s.familyCount), stories.map((s) => s.updatedAt)],
        );
        const members = new Map<string, StoryMember & { storyId: string }>();
        for (const s of stories) for (const m of s.members) members.set(m.articleId, { ...m, storyId: s.id });
        const rows = [...members.values()];
        if (rows.length > 0) {
          await client.query(
            `INSERT INTO story_articles (article_id, story_id, family_id, derived_from)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
             ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, family_id = excluded.family_id, derived_from = excluded.derived_from`,
            [rows.map((m) => m.articleId), rows.map((m) => m.storyId), rows.map((m) => m.familyId), rows.map((m) => m.derivedFrom)],
          );
        }
      }
      if (update.redirects.length > 0) await client.query('DELETE FROM stories WHERE id = ANY($1::text[])', [update.redirects.map((r) => r.from)]);
      if (update.expectGeneration !== undefined) {
        // The fence against a leader that lost its lead (src/worker): the row lock makes a second writer wait and then see the first's generation.
        const stored = Number((await client.query<{ generation: string }>('SELECT generation FROM clusterer_state WHERE id = 1 FOR UPDATE')).rows[0]?.generation ?? 0);
        if (stored !== update.expectGeneration) throw new StaleClustererError(update.expectGeneration, stored);
      }
      if (clusterer.kind === 'delta') {
        const row = (await client.query<{ generation: string }>('UPDATE clusterer_state SET generation = generation + 1 WHERE id = 1 RETURNING generation')).rows[0];
        if (!row) throw new Error(NO_STATE_FOR_DELTA);
        await client.query('INSERT INTO clusterer_log (generation, delta, saved_at) VALUES ($1, $2, $3)', [row.generation, clusterer.value, now()]);
      } else {
        // The whole state includes everything logged before it.
        await client.query(
          `INSERT INTO clusterer_state (id, state, saved_at, generation, log_seq) VALUES (1, $1, $2, 1, COALESCE((SELECT max(seq) FROM clusterer_log), 0))
           ON CONFLICT (id) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at, generation = clusterer_state.generation + 1,
             log_seq = GREATEST(clusterer_state.log_seq, excluded.log_seq)`,
          [clusterer.value, now()],
        );
        await client.query('DELETE FROM clusterer_log');
      }
    });
  }

  async loadClustererState(): Promise<string | null> {
    return (await this.pool.query<{ state: string }>('SELECT state FROM clusterer_state WHERE id = 1')).rows[0]?.state ?? null;
  }

  async clustererLog(): Promise<string[]> {
    return (await logAfter(this.pool, Number((await this.pool.query<{ log_seq: string }>('SELECT log_seq FROM clusterer_state WHERE id = 1')).rows[0]?.log_seq ?? 0)))
      .map((entry) => entry.delta);
  }

  async getStory(id: string): Promise<StoryRecord | null> {
    const row = (await this.pool.query<StoryRow>(
      `SELECT * FROM stories WHERE id = COALESCE((SELECT to_id FROM story_redirects WHERE from_id = $1), $1)`, [id],
    )).rows[0];
    return row ? rowToStory(row) : null;
  }

  async listStories(query: StoryQuery = {}): Promise<StoryRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.since) { params.push(query.since); where.push(`COALESCE(last_published, updated_at) >= $${params.length}`); }
    // A plain date means the whole day: compare the date part of full timestamps.
    if (query.until) {
      params.push(query.until);
      where.push(/^\d{4}-\d{2}-\d{2}$/.test(query.until) ? `substr(first_published, 1, 10) <= $${params.length}` : `first_published <= $${params.length}`);
    }
    if (query.outlet) {
      params.push(query.outlet.toLowerCase());
      const n = params.length;
      where.push(`id IN (SELECT story_articles.story_id FROM articles JOIN story_articles ON story_articles.article_id = articles.id
                         WHERE lower(articles.outlet) = $${n} OR strpos(lower(articles.url), '//' || $${n} || '/') > 0
                            OR strpos(lower(articles.url), '//www.' || $${n} || '/') > 0)`);
    }
    if (query.search !== undefined) {
      const tsquery = searchQuery(query.search);
      if (tsquery === null) return [];
      params.push(tsquery);
      where.push(`id IN (SELECT story_articles.story_id FROM articles JOIN story_articles ON story_articles.article_id = articles.id
                         WHERE articles.search @@ to_tsquery('simple', $${params.length}))`);
    }
    params.push(query.limit ?? null, query.offset ?? 0);
    const rows = (await this.pool.query<StoryRow>(
      `SELECT * FROM stories ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY COALESCE(last_published, updated_at) DESC, article_count DESC, id LIMIT $${params.length - 1} OFFSET $${params.length}`, params,
    )).rows;
    return rows.map(rowToStory);
  }

  async storyMembers(storyId: string): Promise<StoryMember[]> {
    const rows = (await this.pool.query<{ article_id: string; family_id: string; derived_from: string | null }>(
      `SELECT story_articles.article_id, family_id, derived_from FROM story_articles JOIN articles ON articles.id = story_articles.article_id
       WHERE story_id = $1 ORDER BY COALESCE(articles.published, articles.ingested_at), articles.id`, [storyId],
    )).rows;
    return rows.map((r) => ({ articleId: r.article_id, familyId: r.family_id, derivedFrom: r.derived_from }));
  }

  async storiesOf(articleIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (articleIds.length === 0) return out;
    const rows = (await this.pool.query<{ article_id: string; story_id: string }>(
      'SELECT article_id, story_id FROM story_articles WHERE article_id = ANY($1::text[])', [articleIds],
    )).rows;
    const found = new Map(rows.map((r) => [r.article_id, r.story_id]));
    // In the order asked, as the SQLite store returns them.
    for (const id of articleIds) if (found.has(id)) out.set(id, found.get(id)!);
    return out;
  }

  async linksAmong(articleIds: string[]): Promise<StoredLink[]> {
    if (articleIds.length === 0) return [];
    const rows = (await this.pool.query<{ from_id: string; to_id: string; kind: StoredLink['kind']; similarity: number; aligned_share: number }>(
      `SELECT from_id, to_id, kind, similarity, aligned_share FROM links
       WHERE from_id = ANY($1::text[]) AND to_id = ANY($1::text[]) ORDER BY from_id, to_id`, [articleIds],
    )).rows;
    return rows.map((r) => ({ from: r.from_id, to: r.to_id, kind: r.kind, similarity: r.similarity, alignedShare: r.aligned_share }));
  }

  async articlesNeedingAnalysis(version: string): Promise<string[]> {
    const rows = (await this.pool.query<{ id: string }>(
      `SELECT articles.id FROM articles LEFT JOIN analyses ON analyses.article_id = articles.id
       WHERE analyses.version IS NULL OR analyses.version <> $1 ORDER BY articles.seq`, [version],
    )).rows;
    return rows.map((r) => r.id);
  }

  async articlesWithoutStory(): Promise<string[]> {
    const rows = (await this.pool.query<{ id: string }>(
      `SELECT articles.id FROM articles JOIN analyses ON analyses.article_id = articles.id
       LEFT JOIN story_articles ON story_articles.article_id = articles.id
       WHERE story_articles.story_id IS NULL ORDER BY COALESCE(articles.published, articles.ingested_at), articles.seq`,
    )).rows;
    return rows.map((r) => r.id);
  }

  async saveBriefing(briefing: StoredBriefing): Promise<void> {
    await this.pool.query('INSERT INTO briefings (story_id, built_at, article_count, data) VALUES ($1, $2, $3, $4)',
      [briefing.storyId, briefing.builtAt, briefing.articleCount, briefing.data]);
  }

  async getBriefing(storyId: string, at?: string): Promise<StoredBriefing | null> {
    const row = (at
      ? await this.pool.query('SELECT * FROM briefings WHERE story_id = $1 AND built_at <= $2 ORDER BY id DESC LIMIT 1', [storyId, at])
      : await this.pool.query('SELECT * FROM briefings WHERE story_id = $1 ORDER BY id DESC LIMIT 1', [storyId])).rows[0] as
      { story_id: string; built_at: string; article_count: number; data: string } | undefined;
    return row ? { storyId: row.story_id, builtAt: row.built_at, articleCount: row.article_count, data: row.data } : null;
  }

  async pageVersions(url: string): Promise<PageVersion[]> {
    const rows = (await this.pool.query<{ hash: string; article_id: string | null; first_seen: string }>(
      `SELECT raw_inputs.hash, articles.id AS article_id, raw_inputs.first_seen FROM raw_inputs
       LEFT JOIN articles ON articles.raw_hash = raw_inputs.hash
       WHERE raw_inputs.url = $1 ORDER BY raw_inputs.first_seen, raw_inputs.seq`, [url],
    )).rows;
    return rows.map((r) => ({ rawHash: r.hash, articleId: r.article_id, firstSeen: r.first_seen }));
  }

  async supersededArticles(articleIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (articleIds.length === 0) return out;
    const rows = (await this.pool.query<{ old_id: string; new_id: string | null }>(
      `SELECT articles.id AS old_id,
         (SELECT newer.id FROM raw_inputs AS r2 JOIN articles AS newer ON newer.raw_hash = r2.hash
          WHERE r2.url = raw_inputs.url ORDER BY r2.first_seen DESC, r2.seq DESC LIMIT 1) AS new_id
       FROM articles JOIN raw_inputs ON raw_inputs.hash = articles.raw_hash
       WHERE articles.id = ANY($1::text[]) AND raw_inputs.url IS NOT NULL`, [articleIds],
    )).rows;
    for (const r of rows) if (r.new_id && r.new_id !== r.old_id) out.set(r.old_id, r.new_id);
    return out;
  }

  async getFetchState(url: string): Promise<FetchState | null> {
    const row = (await this.pool.query<FetchStateRow>('SELECT * FROM fetch_state WHERE url = $1', [url])).rows[0];
    return row ? rowToFetchState(row) : null;
  }

  async listFetchStates(kind: FetchState['kind']): Promise<FetchState[]> {
    return (await this.pool.query<FetchStateRow>(`SELECT * FROM fetch_state WHERE kind = $1 ORDER BY COALESCE(next_at, ''), url`, [kind])).rows.map(rowToFetchState);
  }

  async saveFetchState(state: FetchState, items: NewFeedItem[] = []): Promise<number> {
    return this.transaction(async (client) => {
      await client.query(
        `INSERT INTO fetch_state (url, kind, etag, last_modified, fetched_at, changed_at, next_at, interval_seconds, failures, last_error, title)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (url) DO UPDATE SET kind = excluded.kind, etag = excluded.etag, last_modified = excluded.last_modified,
           fetched_at = excluded.fetched_at, changed_at = excluded.changed_at, next_at = excluded.next_at,
           interval_seconds = excluded.interval_seconds, failures = excluded.failures, last_error = excluded.last_error, title = excluded.title`,
        [state.url, state.kind, state.etag, state.lastModified, state.fetchedAt, state.changedAt, state.nextAt, state.intervalSeconds, state.failures, state.lastError, state.title],
      );
      let added = 0;
      const at = now();
      // One row at a time, in order, so queue order follows the feed's order (seq) as in SQLite.
      for (const item of items) {
        const inserted = await client.query(
          `INSERT INTO feed_items (feed_url, key, url, title, published, queued_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (feed_url, key) DO NOTHING`,
          [item.feedUrl, item.key, item.url, item.title, item.published, at],
        );
        added += inserted.rowCount ?? 0;
      }
      return added;
    });
  }

  async pendingFeedItems(limit?: number): Promise<FeedItem[]> {
    const rows = (await this.pool.query<{
      feed_url: string; key: string; url: string | null; title: string | null; published: string | null; status: FeedItem['status'];
      attempts: number; article_id: string | null; error: string | null; queued_at: string;
    }>(`SELECT * FROM feed_items WHERE status = 'pending' ORDER BY queued_at, seq LIMIT $1`, [limit === undefined || limit < 0 ? null : limit])).rows;
    return rows.map((r) => ({
      feedUrl: r.feed_url, key: r.key, url: r.url, title: r.title, published: r.published, status: r.status,
      attempts: r.attempts, articleId: r.article_id, error: r.error, queuedAt: r.queued_at,
    }));
  }

  async finishFeedItem(feedUrl: string, key: string, status: FeedItem['status'], articleId: string | null, error: string | null): Promise<void> {
    await this.pool.query(
      'UPDATE feed_items SET status = $1, attempts = attempts + 1, article_id = $2, error = $3, finished_at = $4 WHERE feed_url = $5 AND key = $6',
      [status, articleId, error, status === 'pending' ? null : now(), feedUrl, key],
    );
  }

  async getCheckpoint(key: string): Promise<string | null> {
    return (await this.pool.query<{ value: string }>('SELECT value FROM checkpoints WHERE key = $1', [key])).rows[0]?.value ?? null;
  }

  async saveCheckpoint(key: string, value: string | null): Promise<void> {
    if (value === null) await this.pool.query('DELETE FROM checkpoints WHERE key = $1', [key]);
    else {
      await this.pool.query(
        'INSERT INTO checkpoints (key, value, saved_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, saved_at = excluded.saved_at',
        [key, value, now()],
      );
    }
  }

  async listMessages(limit = 100): Promise<Array<Message & { at: string }>> {
    const rows = (await this.pool.query<{ input: string; code: string; severity: Message['severity']; reason: string; char_offset: number | null; at: string }>(
      'SELECT input, code, severity, reason, char_offset, at FROM input_messages ORDER BY id DESC LIMIT $1', [limit],
    )).rows;
    return rows.map((r) => ({ input: r.input, code: r.code, severity: r.severity, reason: r.reason, at: r.at, ...(r.char_offset === null ? {} : { offset: r.char_offset }) }));
  }

  private closed = false;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.releaseClusterLead();
    await this.pool.end();
  }
}

/** Rows per multi-row `VALUES` statement: far below PostgreSQL's 65,535 parameters for any of our tables. */
const PARAMETER_ROWS = 1_000;

/** `($1, $2), ($3, $4)…`: `rows` rows of `columns` parameters each, for `INSERT … VALUES`. */
function valuesList(columns: number, rows: number): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const row: string[] = [];
    for (let c = 1; c <= columns; c++) row.push(`$${r * columns + c}`);
    out.push(`(${row.join(', ')})`);
  }
  return out.join(', ');
}

async function logAfter(client: Queryable, seq: number): Promise<ClustererLogEntry[]> {
  const rows = (await client.query<{ seq: string; generation: string; delta: string }>('SELECT seq, generation, delta FROM clusterer_log WHERE seq > $1 ORDER BY seq', [seq])).rows;
  return rows.map((r) => ({ seq: Number(r.seq), generation: Number(r.generation), delta: r.delta }));
}

async function storeArticle(client: Queryable, rawHash: string, format: SourceFormat, article: ExtractedArticle | null): Promise<IngestOutcome> {
  if (!article) return { status: 'failed', articleId: null };
  const id = articleIdFor(article.text);
  const c = articleColumns(article);
  const inserted = await client.query(
    `INSERT INTO articles (id, raw_hash, input, format, title, text, author, published, outlet, url, language, provenance, removed, ingested_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (id) DO NOTHING`,
    [id, rawHash, c.input, format, c.title, c.text, c.author, c.published, c.outlet, c.url, c.language, c.provenance, c.removed, now()],
  );
  return inserted.rowCount === 0 ? { status: 'duplicate', articleId: id, duplicateOf: 'text' } : { status: 'ingested', articleId: id };
}

async function recordMessages(client: Queryable, rawHash: string, messages: Message[]): Promise<void> {
  if (messages.length === 0) return;
  const at = now();
  await client.query(
    `INSERT INTO input_messages (raw_hash, input, code, severity, reason, char_offset, at)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[])`,
    [rawHash, messages.map((m) => m.input), messages.map((m) => m.code), messages.map((m) => m.severity), messages.map((m) => m.reason),
      messages.map((m) => m.offset ?? null), messages.map(() => at)],
  );
}

/**
 * Free text as a tsquery of its words joined by AND (what the SQLite store's
 * FTS5 query of quoted terms means), or null when it has no word. Only letters
 * and digits pass, so user input can never be tsquery syntax.
 */
function searchQuery(search: string): string | null {
  const terms = search.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return terms.length === 0 ? null : terms.join(' & ');
}

function now(): string {
  return new Date().toISOString();
}

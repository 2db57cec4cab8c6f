/**
 * The embedded SQLite store (better-sqlite3). WAL journal, foreign keys on,
 * every write inside `BEGIN IMMEDIATE … COMMIT` so a crash or an error leaves
 * nothing half-written.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { articleIdFor } from '../../hash.js';
import type { Analysis } from '../../analyze/types.js';
import type { Article, ExtractedArticle, Message, SourceDocument, SourceFormat } from '../../types.js';
import type {
  ArticleQuery, IngestOutcome, RawInput, Store, StoredAnalysis, StoredBriefing, StoredLink, StoryMember, StoryQuery, StoryRecord, StoryUpdate,
} from '../index.js';
import type { FeedItem, FetchState, NewFeedItem, PageVersion } from '../index.js';
import { migrations } from './migrations.js';
import { articleColumns, clustererWrite, NO_STATE_FOR_DELTA, rowToArticle, rowToFetchState, rowToStory, type ArticleRow, type FetchStateRow, type StoryRow } from '../rows.js';

interface RawRow {
  hash: string;
  input: string;
  format: SourceFormat;
  url: string | null;
  charset: string | null;
  bytes: Buffer;
  first_seen: string;
}

export class SqliteStore implements Store {
  readonly location: string;
  /** Exposed for stages that keep their own tables (clusterer state); use `transaction` to write. */
  readonly db: Database.Database;

  /** Prepared statements by SQL text: preparing costs more than running most of these queries. */
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(location: string, db: Database.Database) {
    this.location = location;
    this.db = db;
  }

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  static open(file: string): SqliteStore {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    const store = new SqliteStore(file, db);
    store.migrate();
    return store;
  }

  /** Applies every migration not yet recorded, each in its own transaction. */
  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const applied = new Set(this.db.prepare('SELECT name FROM schema_migrations').pluck().all() as string[]);
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      this.transaction(() => {
        this.db.exec(migration.sql);
        this.db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(migration.name, now());
      });
    }
  }

  /** Runs `fn` in `BEGIN IMMEDIATE` so concurrent writers queue instead of failing mid-way. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  async hasRaw(hash: string): Promise<boolean> {
    return this.sql('SELECT 1 FROM raw_inputs WHERE hash = ?').get(hash) !== undefined;
  }

  async ingest(document: SourceDocument, hash: string, article: ExtractedArticle | null, messages: Message[]): Promise<IngestOutcome> {
    return this.transaction(() => {
      const seen = this.sql('SELECT 1 FROM raw_inputs WHERE hash = ?').get(hash);
      if (seen) {
        const existing = this.sql('SELECT id FROM articles WHERE raw_hash = ?').pluck().get(hash) as string | undefined;
        return { status: 'duplicate', articleId: existing ?? null, duplicateOf: 'raw' } satisfies IngestOutcome;
      }
      this.db
        .prepare('INSERT INTO raw_inputs (hash, input, format, url, charset, size, bytes, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(hash, document.input, document.format, document.url ?? null, document.charset ?? null, document.bytes.length, Buffer.from(document.bytes), now());
      this.recordMessages(hash, messages);
      return this.storeArticle(hash, document.format, article);
    });
  }

  async replaceExtraction(rawHash: string, article: ExtractedArticle | null, messages: Message[]): Promise<IngestOutcome> {
    return this.transaction(() => {
      const raw = this.sql('SELECT format FROM raw_inputs WHERE hash = ?').get(rawHash) as { format: SourceFormat } | undefined;
      if (!raw) throw new Error(`no raw input ${rawHash}`);
      const previous = this.sql('SELECT id FROM articles WHERE raw_hash = ?').pluck().get(rawHash) as string | undefined;
      const nextId = article ? articleIdFor(article.text) : null;
      // Analyses describe the old text; they go with it and are redone by `reanalyze`.
      if (previous && previous !== nextId) this.sql('DELETE FROM articles WHERE id = ?').run(previous);
      this.sql('DELETE FROM input_messages WHERE raw_hash = ?').run(rawHash);
      this.recordMessages(rawHash, messages);
      if (previous && previous === nextId && article) {
        this.updateArticle(previous, article);
        return { status: 'ingested', articleId: previous } satisfies IngestOutcome;
      }
      return this.storeArticle(rawHash, raw.format, article);
    });
  }

  private storeArticle(rawHash: string, format: SourceFormat, article: ExtractedArticle | null): IngestOutcome {
    if (!article) return { status: 'failed', articleId: null };
    const id = articleIdFor(article.text);
    if (this.sql('SELECT 1 FROM articles WHERE id = ?').get(id)) {
      return { status: 'duplicate', articleId: id, duplicateOf: 'text' };
    }
    this.db
      .prepare(`INSERT INTO articles (id, raw_hash, input, format, title, text, author, published, outlet, url, language, provenance, removed, ingested_at)
                VALUES (@id, @raw_hash, @input, @format, @title, @text, @author, @published, @outlet, @url, @language, @provenance, @removed, @ingested_at)`)
      .run({ id, raw_hash: rawHash, format, ingested_at: now(), ...articleColumns(article) });
    return { status: 'ingested', articleId: id };
  }

  private updateArticle(id: string, article: ExtractedArticle): void {
    this.db
      .prepare(`UPDATE articles SET input = @input, title = @title, text = @text, author = @author, published = @published, outlet = @outlet,
                url = @url, language = @language, provenance = @provenance, removed = @removed WHERE id = @id`)
      .run({ id, ...articleColumns(article) });
  }

  private recordMessages(rawHash: string, messages: Message[]): void {
    const insert = this.sql('INSERT INTO input_messages (raw_hash, input, code, severity, reason, offset, at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const m of messages) insert.run(rawHash, m.input, m.code, m.severity, m.reason, m.offset ?? null, now());
  }

  async getArticles(ids: string[]): Promise<Article[]> {
    const out: Article[] = [];
    for (const id of ids) {
      const row = this.sql('SELECT * FROM articles WHERE id = ?').get(id) as ArticleRow | undefined;
      if (row) out.push(rowToArticle(row));
    }
    return out;
  }

  async getArticle(id: string): Promise<Article | null> {
    const row = this.sql('SELECT * FROM articles WHERE id = ?').get(id) as ArticleRow | undefined;
    return row ? rowToArticle(row) : null;
  }

  async listArticles(query: ArticleQuery = {}): Promise<Article[]> {
    const limit = query.limit ?? -1;
    const offset = query.offset ?? 0;
    if (query.search) {
      const rows = this.db
        .prepare(`SELECT articles.* FROM articles_fts JOIN articles ON articles.rowid = articles_fts.rowid
                  WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?`)
        .all(ftsQuery(query.search), limit, offset) as ArticleRow[];
      return rows.map(rowToArticle);
    }
    const rows = this.db
      .prepare('SELECT * FROM articles ORDER BY COALESCE(published, ingested_at), id LIMIT ? OFFSET ?')
      .all(limit, offset) as ArticleRow[];
    return rows.map(rowToArticle);
  }

  async countArticles(): Promise<number> {
    return this.sql('SELECT COUNT(*) FROM articles').pluck().get() as number;
  }

  async *rawInputs(): AsyncIterable<RawInput> {
    // Hashes first, then one row at a time: the bytes of a large database never sit in memory together.
    const hashes = this.sql('SELECT hash FROM raw_inputs ORDER BY first_seen, rowid').pluck().all() as string[];
    for (const hash of hashes) {
      const raw = await this.getRaw(hash);
      if (raw) yield raw;
    }
  }

  async getRaw(hash: string): Promise<RawInput | null> {
    const row = this.sql('SELECT * FROM raw_inputs WHERE hash = ?').get(hash) as RawRow | undefined;
    if (!row) return null;
    return { hash: row.hash, input: row.input, format: row.format, url: row.url, charset: row.charset, bytes: new Uint8Array(row.bytes), firstSeen: row.first_seen };
  }

  async saveAnalysis(stored: StoredAnalysis): Promise<void> {
    this.transaction(() => {
      this.db
        .prepare(`INSERT INTO analyses (article_id, version, data, analyzed_at) VALUES (?, ?, ?, ?)
                  ON CONFLICT(article_id) DO UPDATE SET version = excluded.version, data = excluded.data, analyzed_at = excluded.analyzed_at`)
        .run(stored.articleId, stored.version, JSON.stringify(stored.analysis), now());
    });
  }

  async getAnalysis(articleId: string): Promise<StoredAnalysis | null> {
    const row = this.sql('SELECT version, data FROM analyses WHERE article_id = ?').get(articleId) as { version: string; data: string } | undefined;
    return row ? { articleId, version: row.version, analysis: JSON.parse(row.data) as Analysis } : null;
  }

  async saveStoryUpdate(update: StoryUpdate): Promise<void> {
    const clusterer = clustererWrite(update);
    this.transaction(() => {
      const link = this.sql(`INSERT INTO links (from_id, to_id, kind, similarity, aligned_share) VALUES (@from, @to, @kind, @similarity, @alignedShare)
                                    ON CONFLICT(from_id, to_id) DO UPDATE SET kind = excluded.kind, similarity = excluded.similarity, aligned_share = excluded.aligned_share`);
      for (const l of update.links) link.run(l);
      const redirect = this.sql('INSERT INTO story_redirects (from_id, to_id) VALUES (?, ?) ON CONFLICT(from_id) DO UPDATE SET to_id = excluded.to_id');
      const dropStory = this.sql('DELETE FROM stories WHERE id = ?');
      const moveMembers = this.sql('UPDATE story_articles SET story_id = ? WHERE story_id = ?');
      for (const r of update.redirects) {
        redirect.run(r.from, r.to);
        // Earlier redirects to the absorbed story now point at the survivor, so lookups take one step.
        this.sql('UPDATE story_redirects SET to_id = ? WHERE to_id = ?').run(r.to, r.from);
        moveMembers.run(r.to, r.from);
      }
      const story = this.sql(`INSERT INTO stories (id, headline, first_published, last_published, article_count, family_count, updated_at)
                                     VALUES (@id, @headline, @firstPublished, @lastPublished, @articleCount, @familyCount, @updatedAt)
                                     ON CONFLICT(id) DO UPDATE SET headline = excluded.headline, first_published = excluded.first_published,
                                       last_published = excluded.last_published, article_count = excluded.article_count,
                                       family_count = excluded.family_count, updated_at = excluded.updated_at`);
      const member = this.sql(`INSERT INTO story_articles (article_id, story_id, family_id, derived_from) VALUES (?, ?, ?, ?)
                                      ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id, family_id = excluded.family_id, derived_from = excluded.derived_from`);
      for (const { members, ...record } of update.stories) {
        story.run(record);
        for (const m of members) member.run(m.articleId, record.id, m.familyId, m.derivedFrom);
      }
      for (const r of update.redirects) dropStory.run(r.from);
      if (clusterer.kind === 'delta') {
        if (this.sql('SELECT 1 FROM clusterer_state WHERE id = 1').get() === undefined) throw new Error(NO_STATE_FOR_DELTA);
        this.sql('INSERT INTO clusterer_log (delta, saved_at) VALUES (?, ?)').run(clusterer.value, now());
      } else {
        this.sql(`INSERT INTO clusterer_state (id, state, saved_at) VALUES (1, ?, ?)
                         ON CONFLICT(id) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at`).run(clusterer.value, now());
        // The whole state includes everything logged before it.
        this.sql('DELETE FROM clusterer_log').run();
      }
    });
  }

  async withClusterLock<T>(fn: () => Promise<T>): Promise<T> {
    // One process writes a SQLite file's stories at a time; many processes share a PostgreSQL store instead.
    return fn();
  }

  async loadClustererState(): Promise<string | null> {
    return (this.sql('SELECT state FROM clusterer_state WHERE id = 1').pluck().get() as string | undefined) ?? null;
  }

  async clustererLog(): Promise<string[]> {
    return this.sql('SELECT delta FROM clusterer_log ORDER BY seq').pluck().all() as string[];
  }

  async getStory(id: string): Promise<StoryRecord | null> {
    const target = (this.sql('SELECT to_id FROM story_redirects WHERE from_id = ?').pluck().get(id) as string | undefined) ?? id;
    const row = this.sql('SELECT * FROM stories WHERE id = ?').get(target) as StoryRow | undefined;
    return row ? rowToStory(row) : null;
  }

  async listStories(query: StoryQuery = {}): Promise<StoryRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.since) { where.push('COALESCE(last_published, updated_at) >= ?'); params.push(query.since); }
    // A plain date means the whole day: compare the date part of full timestamps.
    if (query.until) { where.push(/^\d{4}-\d{2}-\d{2}$/.test(query.until) ? 'substr(first_published, 1, 10) <= ?' : 'first_published <= ?'); params.push(query.until); }
    if (query.outlet) {
      where.push(`id IN (SELECT story_articles.story_id FROM articles JOIN story_articles ON story_articles.article_id = articles.id
                         WHERE lower(articles.outlet) = lower(?) OR instr(lower(articles.url), '//' || lower(?) || '/') > 0
                            OR instr(lower(articles.url), '//www.' || lower(?) || '/') > 0)`);
      params.push(query.outlet, query.outlet, query.outlet);
    }
    if (query.search) {
      where.push(`id IN (SELECT story_articles.story_id FROM articles_fts JOIN articles ON articles.rowid = articles_fts.rowid
                         JOIN story_articles ON story_articles.article_id = articles.id WHERE articles_fts MATCH ?)`);
      params.push(ftsQuery(query.search));
    }
    const sql = `SELECT * FROM stories ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY COALESCE(last_published, updated_at) DESC, article_count DESC, id LIMIT ? OFFSET ?`;
    return (this.sql(sql).all(...params, query.limit ?? -1, query.offset ?? 0) as StoryRow[]).map(rowToStory);
  }

  async storyMembers(storyId: string): Promise<StoryMember[]> {
    const rows = this.sql(`SELECT story_articles.article_id, family_id, derived_from FROM story_articles JOIN articles ON articles.id = story_articles.article_id
                                  WHERE story_id = ? ORDER BY COALESCE(articles.published, articles.ingested_at), articles.id`).all(storyId) as Array<{ article_id: string; family_id: string; derived_from: string | null }>;
    return rows.map((r) => ({ articleId: r.article_id, familyId: r.family_id, derivedFrom: r.derived_from }));
  }

  async storiesOf(articleIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const get = this.sql('SELECT story_id FROM story_articles WHERE article_id = ?').pluck();
    for (const id of articleIds) {
      const story = get.get(id) as string | undefined;
      if (story) out.set(id, story);
    }
    return out;
  }

  async linksAmong(articleIds: string[]): Promise<StoredLink[]> {
    if (articleIds.length === 0) return [];
    const ids = JSON.stringify(articleIds);
    // `+to_id` keeps SQLite on the primary key for from_id: planned on both indexes it probed every pair (3 s for 5,000 ids).
    const rows = this.sql(`SELECT from_id, to_id, kind, similarity, aligned_share FROM links
                                  WHERE from_id IN (SELECT value FROM json_each(?)) AND +to_id IN (SELECT value FROM json_each(?))
                                  ORDER BY from_id, to_id`).all(ids, ids) as Array<{ from_id: string; to_id: string; kind: StoredLink['kind']; similarity: number; aligned_share: number }>;
    return rows.map((r) => ({ from: r.from_id, to: r.to_id, kind: r.kind, similarity: r.similarity, alignedShare: r.aligned_share }));
  }

  async articlesNeedingAnalysis(version: string): Promise<string[]> {
    return this.sql(`SELECT articles.id FROM articles LEFT JOIN analyses ON analyses.article_id = articles.id
                            WHERE analyses.version IS NULL OR analyses.version <> ? ORDER BY articles.rowid`).pluck().all(version) as string[];
  }

  async articlesWithoutStory(): Promise<string[]> {
    return this.sql(`SELECT articles.id FROM articles JOIN analyses ON analyses.article_id = articles.id
                            LEFT JOIN story_articles ON story_articles.article_id = articles.id
                            WHERE story_articles.story_id IS NULL ORDER BY COALESCE(articles.published, articles.ingested_at), articles.rowid`).pluck().all() as string[];
  }

  async saveBriefing(briefing: StoredBriefing): Promise<void> {
    this.transaction(() => {
      this.sql('INSERT INTO briefings (story_id, built_at, article_count, data) VALUES (?, ?, ?, ?)')
        .run(briefing.storyId, briefing.builtAt, briefing.articleCount, briefing.data);
    });
  }

  async getBriefing(storyId: string, at?: string): Promise<StoredBriefing | null> {
    const row = (at
      ? this.sql('SELECT * FROM briefings WHERE story_id = ? AND built_at <= ? ORDER BY id DESC LIMIT 1').get(storyId, at)
      : this.sql('SELECT * FROM briefings WHERE story_id = ? ORDER BY id DESC LIMIT 1').get(storyId)) as
      { story_id: string; built_at: string; article_count: number; data: string } | undefined;
    return row ? { storyId: row.story_id, builtAt: row.built_at, articleCount: row.article_count, data: row.data } : null;
  }

  async pageVersions(url: string): Promise<PageVersion[]> {
    const rows = this.sql(`SELECT raw_inputs.hash, articles.id AS article_id, raw_inputs.first_seen FROM raw_inputs
                           LEFT JOIN articles ON articles.raw_hash = raw_inputs.hash
                           WHERE raw_inputs.url = ? ORDER BY raw_inputs.first_seen, raw_inputs.rowid`).all(url) as Array<{ hash: string; article_id: string | null; first_seen: string }>;
    return rows.map((r) => ({ rawHash: r.hash, articleId: r.article_id, firstSeen: r.first_seen }));
  }

  async supersededArticles(articleIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (articleIds.length === 0) return out;
    const rows = this.sql(`SELECT articles.id AS old_id,
                             (SELECT newer.id FROM raw_inputs AS r2 JOIN articles AS newer ON newer.raw_hash = r2.hash
                              WHERE r2.url = raw_inputs.url ORDER BY r2.first_seen DESC, r2.rowid DESC LIMIT 1) AS new_id
                           FROM articles JOIN raw_inputs ON raw_inputs.hash = articles.raw_hash
                           WHERE articles.id IN (SELECT value FROM json_each(?)) AND raw_inputs.url IS NOT NULL`).all(JSON.stringify(articleIds)) as Array<{ old_id: string; new_id: string | null }>;
    for (const r of rows) if (r.new_id && r.new_id !== r.old_id) out.set(r.old_id, r.new_id);
    return out;
  }

  async getFetchState(url: string): Promise<FetchState | null> {
    const row = this.sql('SELECT * FROM fetch_state WHERE url = ?').get(url) as FetchStateRow | undefined;
    return row ? rowToFetchState(row) : null;
  }

  async listFetchStates(kind: FetchState['kind']): Promise<FetchState[]> {
    return (this.sql('SELECT * FROM fetch_state WHERE kind = ? ORDER BY COALESCE(next_at, \'\'), url').all(kind) as FetchStateRow[]).map(rowToFetchState);
  }

  async saveFetchState(state: FetchState, items: NewFeedItem[] = []): Promise<number> {
    return this.transaction(() => {
      this.sql(`INSERT INTO fetch_state (url, kind, etag, last_modified, fetched_at, changed_at, next_at, interval_seconds, failures, last_error, title)
                VALUES (@url, @kind, @etag, @lastModified, @fetchedAt, @changedAt, @nextAt, @intervalSeconds, @failures, @lastError, @title)
                ON CONFLICT(url) DO UPDATE SET kind = excluded.kind, etag = excluded.etag, last_modified = excluded.last_modified,
                  fetched_at = excluded.fetched_at, changed_at = excluded.changed_at, next_at = excluded.next_at,
                  interval_seconds = excluded.interval_seconds, failures = excluded.failures, last_error = excluded.last_error, title = excluded.title`).run(state);
      const insert = this.sql(`INSERT INTO feed_items (feed_url, key, url, title, published, queued_at) VALUES (?, ?, ?, ?, ?, ?)
                               ON CONFLICT(feed_url, key) DO NOTHING`);
      let added = 0;
      for (const item of items) added += insert.run(item.feedUrl, item.key, item.url, item.title, item.published, now()).changes;
      return added;
    });
  }

  async pendingFeedItems(limit = -1): Promise<FeedItem[]> {
    const rows = this.sql(`SELECT * FROM feed_items WHERE status = 'pending' ORDER BY queued_at, rowid LIMIT ?`).all(limit) as Array<{
      feed_url: string; key: string; url: string | null; title: string | null; published: string | null; status: FeedItem['status'];
      attempts: number; article_id: string | null; error: string | null; queued_at: string;
    }>;
    return rows.map((r) => ({
      feedUrl: r.feed_url, key: r.key, url: r.url, title: r.title, published: r.published, status: r.status,
      attempts: r.attempts, articleId: r.article_id, error: r.error, queuedAt: r.queued_at,
    }));
  }

  async finishFeedItem(feedUrl: string, key: string, status: FeedItem['status'], articleId: string | null, error: string | null): Promise<void> {
    this.transaction(() => {
      this.sql(`UPDATE feed_items SET status = ?, attempts = attempts + 1, article_id = ?, error = ?, finished_at = ? WHERE feed_url = ? AND key = ?`)
        .run(status, articleId, error, status === 'pending' ? null : now(), feedUrl, key);
    });
  }

  async getCheckpoint(key: string): Promise<string | null> {
    return (this.sql('SELECT value FROM checkpoints WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
  }

  async saveCheckpoint(key: string, value: string | null): Promise<void> {
    this.transaction(() => {
      if (value === null) this.sql('DELETE FROM checkpoints WHERE key = ?').run(key);
      else this.sql('INSERT INTO checkpoints (key, value, saved_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, saved_at = excluded.saved_at').run(key, value, now());
    });
  }

  async listMessages(limit = 100): Promise<Array<Message & { at: string }>> {
    const rows = this.sql('SELECT input, code, severity, reason, offset, at FROM input_messages ORDER BY id DESC LIMIT ?').all(limit) as Array<{
      input: string; code: string; severity: Message['severity']; reason: string; offset: number | null; at: string;
    }>;
    return rows.map((r) => ({ input: r.input, code: r.code, severity: r.severity, reason: r.reason, at: r.at, ...(r.offset === null ? {} : { offset: r.offset }) }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Turns free text into an FTS5 query of quoted terms, so user input can never be FTS syntax. */
function ftsQuery(search: string): string {
  const terms = search.match(/[\p{L}\p{N}]+/gu) ?? [];
  return terms.length === 0 ? '""' : terms.map((t) => `"${t}"`).join(' ');
}

function now(): string {
  return new Date().toISOString();
}

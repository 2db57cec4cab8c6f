/**
 * Named, ordered migrations of the PostgreSQL store, the same story as
 * src/store/sqlite/migrations.ts: each runs once, in a transaction, and is
 * recorded in `schema_migrations`; never edit one that has shipped, add one.
 * Names match the SQLite migration that holds the same tables, so both
 * databases can be compared by name.
 *
 * Differences from SQLite, and why:
 * - ids, dates and other ordered text use `COLLATE "C"` so ORDER BY and `>=`
 *   compare bytes, as SQLite does (the database's default collation may
 *   ignore punctuation, which would reorder ISO dates);
 * - `seq` columns (identity) stand in for SQLite's rowid where insertion
 *   order matters;
 * - full-text search is a generated `tsvector` with a GIN index instead of FTS5;
 * - `story_articles.assigned_seq` numbers assignments in commit order (the
 *   cluster step is serialised by an advisory lock), so a worker can catch up
 *   with the articles other workers clustered since it last looked;
 * - `clusterer_state.generation` counts saves, so a worker knows whether the
 *   clusterer it holds in memory is still the latest one.
 */
export interface Migration {
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    name: '001_raw_inputs_and_articles',
    sql: `
      CREATE TABLE raw_inputs (
        seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
        hash TEXT COLLATE "C" PRIMARY KEY,
        input TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('html', 'text', 'json')),
        url TEXT,
        charset TEXT,
        size INTEGER NOT NULL,
        bytes BYTEA NOT NULL,
        first_seen TEXT COLLATE "C" NOT NULL
      );
      CREATE TABLE articles (
        seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
        id TEXT COLLATE "C" PRIMARY KEY,
        raw_hash TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES raw_inputs(hash),
        input TEXT NOT NULL,
        format TEXT NOT NULL,
        title TEXT,
        text TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '[]',
        published TEXT COLLATE "C",
        outlet TEXT,
        url TEXT,
        language TEXT,
        provenance TEXT NOT NULL DEFAULT '[]',
        removed TEXT NOT NULL DEFAULT '[]',
        ingested_at TEXT COLLATE "C" NOT NULL,
        -- 'simple': lower-cased words, no stemming, as SQLite's FTS5 default tokenizer.
        -- Only the first 200,000 characters are indexed: a tsvector is limited to 1 MB.
        search TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', coalesce(title, '') || ' ' || left(text, 200000))) STORED
      );
      CREATE INDEX articles_published ON articles ((COALESCE(published, ingested_at)), id);
      CREATE INDEX articles_search ON articles USING GIN (search);
      CREATE TABLE input_messages (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        raw_hash TEXT COLLATE "C" REFERENCES raw_inputs(hash),
        input TEXT NOT NULL,
        code TEXT NOT NULL,
        severity TEXT NOT NULL,
        reason TEXT NOT NULL,
        char_offset INTEGER,
        at TEXT NOT NULL
      );
      CREATE INDEX input_messages_raw ON input_messages(raw_hash);
    `,
  },
  {
    name: '002_analyses',
    sql: `
      CREATE TABLE analyses (
        article_id TEXT COLLATE "C" PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        version TEXT NOT NULL,
        data TEXT NOT NULL,
        analyzed_at TEXT NOT NULL
      );
    `,
  },
  {
    name: '003_stories_links_briefings',
    sql: `
      CREATE TABLE stories (
        id TEXT COLLATE "C" PRIMARY KEY,
        headline TEXT NOT NULL,
        first_published TEXT COLLATE "C",
        last_published TEXT COLLATE "C",
        article_count INTEGER NOT NULL,
        family_count INTEGER NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX stories_last ON stories(last_published);
      CREATE TABLE story_articles (
        article_id TEXT COLLATE "C" PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        story_id TEXT COLLATE "C" NOT NULL REFERENCES stories(id) DEFERRABLE INITIALLY DEFERRED,
        family_id TEXT NOT NULL,
        derived_from TEXT,
        assigned_seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE
      );
      CREATE INDEX story_articles_story ON story_articles(story_id);
      CREATE TABLE story_redirects (
        from_id TEXT COLLATE "C" PRIMARY KEY,
        to_id TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX story_redirects_to ON story_redirects(to_id);
      CREATE TABLE links (
        from_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        to_id TEXT COLLATE "C" NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('duplicate', 'rewrite')),
        similarity DOUBLE PRECISION NOT NULL,
        aligned_share DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (from_id, to_id)
      );
      CREATE INDEX links_to ON links(to_id);
      CREATE TABLE clusterer_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        state TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        generation BIGINT NOT NULL DEFAULT 1
      );
      CREATE TABLE briefings (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        story_id TEXT COLLATE "C" NOT NULL,
        built_at TEXT COLLATE "C" NOT NULL,
        article_count INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX briefings_story ON briefings(story_id, id);
    `,
  },
  {
    name: '004_live_ingestion',
    sql: `
      -- Validators and schedule per fetched URL (feeds and pages).
      CREATE TABLE fetch_state (
        url TEXT COLLATE "C" PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('feed', 'page')),
        etag TEXT,
        last_modified TEXT,
        fetched_at TEXT,
        changed_at TEXT,
        next_at TEXT COLLATE "C",
        interval_seconds INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        title TEXT
      );
      -- Feed items queued until their page is stored: a stop or crash loses none.
      CREATE TABLE feed_items (
        seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
        feed_url TEXT NOT NULL,
        key TEXT NOT NULL,
        url TEXT,
        title TEXT,
        published TEXT,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        article_id TEXT,
        error TEXT,
        queued_at TEXT COLLATE "C" NOT NULL,
        finished_at TEXT,
        PRIMARY KEY (feed_url, key)
      );
      CREATE INDEX feed_items_pending ON feed_items(status, queued_at);
      -- Resume points of long inputs (WARC files).
      CREATE TABLE checkpoints (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        saved_at TEXT NOT NULL
      );
      -- Revisions: every raw input fetched from one URL.
      CREATE INDEX raw_inputs_url ON raw_inputs(url);
    `,
  },
  {
    // The story list's order (listStories), so a page reads a few rows instead of sorting every story.
    name: '005_server_story_order',
    sql: `
      CREATE INDEX stories_list_order ON stories ((COALESCE(last_published, updated_at)) DESC, article_count DESC, id);
    `,
  },
  {
    // The clusterer log (as in SQLite). Workers append a delta per cluster turn instead of saving the whole
    // state, and catch up by applying the entries after the last one they saw; `generation` is the state's
    // generation after the entry, so a worker sees when something else changed the state in between.
    // `clusterer_state.log_seq` is the last entry folded into the saved state: a compaction (the whole state
    // written again, outside the cluster lock) leaves the entries after it in place.
    name: '006_clusterer_log',
    sql: `
      CREATE TABLE clusterer_log (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        generation BIGINT NOT NULL DEFAULT 0,
        delta TEXT NOT NULL,
        saved_at TEXT NOT NULL
      );
      ALTER TABLE clusterer_log ALTER COLUMN delta SET COMPRESSION lz4;
      ALTER TABLE clusterer_state ADD COLUMN log_seq BIGINT NOT NULL DEFAULT 0;
    `,
  },
  {
    // PostgreSQL only (numbered apart from the shared migrations): the work queue of `triangulate worker` (src/worker/).
    name: '100_work_queue',
    sql: `
      CREATE TABLE jobs (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        stage TEXT NOT NULL CHECK (stage IN ('fetch', 'extract', 'analyze', 'cluster', 'brief')),
        -- fetch: a URL; extract: a raw input hash; analyze, cluster: an article id; brief: a story id.
        key TEXT COLLATE "C" NOT NULL,
        state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL DEFAULT 5,
        run_after TIMESTAMPTZ NOT NULL DEFAULT now(),
        leased_by TEXT,
        lease_until TIMESTAMPTZ,
        last_error TEXT,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      -- One queued job per stage and key: enqueueing twice is a no-op, and a story changed by many batches is briefed once.
      CREATE UNIQUE INDEX jobs_queued_key ON jobs (stage, key) WHERE state = 'queued';
      CREATE INDEX jobs_ready ON jobs (run_after, id) WHERE state = 'queued';
      CREATE INDEX jobs_open_key ON jobs (key) WHERE state IN ('queued', 'running');
      CREATE INDEX jobs_leases ON jobs (lease_until) WHERE state = 'running';
    `,
  },
  {
    // PostgreSQL only. Large values (analysis JSON, texts, raw bytes, briefings) are compressed with
    // lz4 instead of the default pglz: every worker writes an analysis per article, and pglz spends
    // several times lz4's CPU on the server for a similar ratio on text. Applies to values written after it.
    name: '101_lz4_compression',
    sql: `
      ALTER TABLE analyses ALTER COLUMN data SET COMPRESSION lz4;
      ALTER TABLE articles ALTER COLUMN text SET COMPRESSION lz4;
      ALTER TABLE raw_inputs ALTER COLUMN bytes SET COMPRESSION lz4;
      ALTER TABLE briefings ALTER COLUMN data SET COMPRESSION lz4;
      ALTER TABLE clusterer_state ALTER COLUMN state SET COMPRESSION lz4;
    `,
  },
  {
    // PostgreSQL only. What the linker keeps of a clustered article's text (shingle signature, sentence
    // features, vocabulary: src/worker/features.ts), written by the worker that clustered it, so the other workers
    // add it to their linkers without reading and tokenising the text again. Hashes do not compress:
    // stored out of line without trying.
    name: '102_link_features',
    sql: `
      CREATE TABLE link_features (
        article_id TEXT COLLATE "C" PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        data BYTEA NOT NULL
      );
      ALTER TABLE link_features ALTER COLUMN data SET STORAGE EXTERNAL;
    `,
  },
  {
    // PostgreSQL only. Claiming the oldest ready jobs (src/worker/queue.ts `claim`) walked the primary key
    // past every finished job, a cost per claim that grew with the table (10 ms at 25,000 finished jobs).
    // These hold only queued jobs, in id order: per stage, and without cluster jobs (which wait for a
    // worker's turn while the other stages are claimed around them).
    name: '103_job_claim_order',
    sql: `
      CREATE INDEX jobs_queued_stage ON jobs (stage, id) WHERE state = 'queued';
      CREATE INDEX jobs_queued_work ON jobs (id) WHERE state = 'queued' AND stage <> 'cluster';
    `,
  },
];

/**
 * Named, ordered migrations. Each runs once, in a transaction, and is recorded
 * in `schema_migrations`. Never edit a migration that has shipped: add one.
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
        hash TEXT PRIMARY KEY,
        input TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('html', 'text', 'json')),
        url TEXT,
        charset TEXT,
        size INTEGER NOT NULL,
        bytes BLOB NOT NULL,
        first_seen TEXT NOT NULL
      );
      CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        raw_hash TEXT NOT NULL UNIQUE REFERENCES raw_inputs(hash),
        input TEXT NOT NULL,
        format TEXT NOT NULL,
        title TEXT,
        text TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '[]',
        published TEXT,
        outlet TEXT,
        url TEXT,
        language TEXT,
        provenance TEXT NOT NULL DEFAULT '[]',
        removed TEXT NOT NULL DEFAULT '[]',
        ingested_at TEXT NOT NULL
      );
      CREATE INDEX articles_published ON articles(published);
      CREATE TABLE input_messages (
        id INTEGER PRIMARY KEY,
        raw_hash TEXT REFERENCES raw_inputs(hash),
        input TEXT NOT NULL,
        code TEXT NOT NULL,
        severity TEXT NOT NULL,
        reason TEXT NOT NULL,
        offset INTEGER,
        at TEXT NOT NULL
      );
      CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='rowid');
      CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
      END;
      CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
      END;
      CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
      END;
    `,
  },
  {
    name: '002_analyses',
    sql: `
      CREATE TABLE analyses (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
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
        id TEXT PRIMARY KEY,
        headline TEXT NOT NULL,
        first_published TEXT,
        last_published TEXT,
        article_count INTEGER NOT NULL,
        family_count INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX stories_last ON stories(last_published);
      CREATE TABLE story_articles (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        story_id TEXT NOT NULL REFERENCES stories(id),
        family_id TEXT NOT NULL,
        derived_from TEXT
      );
      CREATE INDEX story_articles_story ON story_articles(story_id);
      CREATE TABLE story_redirects (
        from_id TEXT PRIMARY KEY,
        to_id TEXT NOT NULL
      );
      CREATE TABLE links (
        from_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        to_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('duplicate', 'rewrite')),
        similarity REAL NOT NULL,
        aligned_share REAL NOT NULL,
        PRIMARY KEY (from_id, to_id)
      );
      CREATE INDEX links_to ON links(to_id);
      CREATE TABLE clusterer_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        state TEXT NOT NULL,
        saved_at TEXT NOT NULL
      );
      CREATE TABLE briefings (
        id INTEGER PRIMARY KEY,
        story_id TEXT NOT NULL,
        built_at TEXT NOT NULL,
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
        url TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('feed', 'page')),
        etag TEXT,
        last_modified TEXT,
        fetched_at TEXT,
        changed_at TEXT,
        next_at TEXT,
        interval_seconds INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        title TEXT
      );
      -- Feed items queued until their page is stored: a stop or crash loses none.
      CREATE TABLE feed_items (
        feed_url TEXT NOT NULL,
        key TEXT NOT NULL,
        url TEXT,
        title TEXT,
        published TEXT,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        article_id TEXT,
        error TEXT,
        queued_at TEXT NOT NULL,
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
    // The story list's order (listStories), so a page of a large database reads 20 rows instead of
    // sorting every story: 19 ms -> well under 1 ms per page with 10,000 stories (bench/serve.ts).
    name: '005_server_story_order',
    sql: `
      CREATE INDEX stories_list_order ON stories(COALESCE(last_published, updated_at) DESC, article_count DESC, id);
    `,
  },
  {
    // What the clusterer changed since its state was last saved whole (StoryUpdate.clustererDelta): a caller
    // that clusters often saves its changes instead of the whole state. A whole save folds the log away.
    name: '006_clusterer_log',
    sql: `
      CREATE TABLE clusterer_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        delta TEXT NOT NULL,
        saved_at TEXT NOT NULL
      );
    `,
  },
];

/**
 * `triangulate migrate` copies a SQLite database into PostgreSQL with nothing
 * lost or changed, refuses a non-empty target, resumes, and the copy carries
 * on (stable story ids). Also the CLI's PostgreSQL options. The PostgreSQL
 * parts run when TRIANGULATE_TEST_DATABASE_URL is set (test/store/backends.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';
import { sha256 } from '../../src/hash.js';
import { processPending } from '../../src/pipeline/process.js';
import { openStore, type Store } from '../../src/store/index.js';
import type { ExtractedArticle } from '../../src/types.js';
import { dropSchema, POSTGRES_SKIP, schemaUrl, uniqueSchema } from '../store/backends.js';

const EXAMPLES = path.resolve('examples/riyadh-talks');

async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (write: (s: string) => void) => new Writable({ write(chunk, _enc, done) { write(String(chunk)); done(); } });
  const io: Io = { stdout: sink((s) => { stdout += s; }), stderr: sink((s) => { stderr += s; }), env, cwd: process.cwd() };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

/** Everything a store answers about its contents, to compare two stores. */
async function contents(store: Store): Promise<unknown> {
  const articles = await store.listArticles();
  const ids = articles.map((a) => a.id);
  const raws = [];
  for await (const raw of store.rawInputs()) raws.push({ ...raw, bytes: sha256(raw.bytes) });
  const stories = await store.listStories();
  return {
    articles,
    raws,
    analyses: await Promise.all(ids.map((id) => store.getAnalysis(id))),
    stories,
    members: await Promise.all(stories.map((s) => store.storyMembers(s.id))),
    links: await store.linksAmong(ids),
    briefings: await Promise.all(stories.map((s) => store.getBriefing(s.id))),
    messages: await store.listMessages(),
    clusterer: await store.loadClustererState(),
    feeds: await store.listFetchStates('feed'),
    feedItems: await store.pendingFeedItems(),
    checkpoint: await store.getCheckpoint('warc:x'),
  };
}

test('the PostgreSQL-only commands say what they need when no PostgreSQL database is named', async () => {
  for (const command of ['worker', 'queue', 'migrate']) {
    const { code, stderr } = await cli([command, ...(command === 'migrate' ? ['--db', path.join(EXAMPLES, 'README.md')] : [])]);
    assert.equal(code, 2);
    assert.match(stderr, /needs PostgreSQL: give --database-url/);
  }
  const both = await cli(['stories', '--db', 'x.db', '--database-url', 'postgres://u@h/db']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--db or --database-url, not both/);
  const down = await cli(['stories', '--database-url', 'postgres://postgres@127.0.0.1:1/test']);
  assert.equal(down.code, 1);
  assert.match(down.stderr, /cannot connect to PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/test/);
});

describe('migrate', { skip: POSTGRES_SKIP }, () => {
  test('copies everything, refuses a non-empty target, resumes, and the copy carries on with the same story ids', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tri-migrate-'));
    const db = path.join(dir, 'news.db');
    const schema = uniqueSchema('tri_migrate');
    const url = schemaUrl(schema);
    try {
      assert.equal((await cli(['ingest', EXAMPLES, path.join(EXAMPLES, 'README.md'), '--db', db])).code, 0);
      const sqlite = await openStore({ path: db });
      const bad = new TextEncoder().encode('<html></html>');
      await sqlite.ingest({ input: 'empty.html', bytes: bad, format: 'html' }, sha256(bad), null, [{ input: 'empty.html', code: 'TRI_E008', reason: 'no text', severity: 'error', offset: 3 }]);
      await sqlite.saveFetchState({ url: 'http://f/rss', kind: 'feed', etag: '"e"', lastModified: null, fetchedAt: null, changedAt: null, nextAt: null, intervalSeconds: 900, failures: 0, lastError: null, title: 'F' },
        [{ feedUrl: 'http://f/rss', key: 'g1', url: 'http://f/1', title: 'One', published: null }]);
      await sqlite.saveCheckpoint('warc:x', '{"offset":10}');
      const before = await contents(sqlite);
      const found = (await sqlite.listArticles({ search: 'Riyadh talks' })).map((a) => a.id).sort();
      await sqlite.close();

      const migrated = await cli(['migrate', '--db', db, '--database-url', url]);
      assert.equal(migrated.code, 0, migrated.stderr);
      assert.match(migrated.stdout, /^copied .* rows in \d+ tables$/m);
      const postgres = await openStore({ databaseUrl: url });
      try {
        assert.deepEqual(await contents(postgres), before);
        assert.deepEqual((await postgres.listArticles({ search: 'Riyadh talks' })).map((a) => a.id).sort(), found, 'full-text search finds the same articles');

        const again = await cli(['migrate', '--db', db, '--database-url', url]);
        assert.equal(again.code, 1);
        assert.match(again.stderr, /already holds data; .* --resume/);
        const resumed = await cli(['migrate', '--db', db, '--database-url', url, '--resume', '--json']);
        assert.equal(resumed.code, 0, resumed.stderr);
        const tables = (JSON.parse(resumed.stdout) as { tables: Array<{ table: string; copied: number; target: number; source: number }> }).tables;
        assert.ok(tables.every((t) => t.copied === 0 && t.target === t.source), 'a resumed complete copy adds nothing');

        // A copy of an article of a migrated story joins that story: the clusterer state came across.
        const [story] = await postgres.listStories();
        const first = (await postgres.storyMembers(story!.id)).at(0)!;
        const original = (await postgres.getArticle(first.articleId))!;
        const copy: ExtractedArticle = { ...original, input: 'copy.txt', text: `${original.text}\n\nRead more on our website.` };
        const bytes = new TextEncoder().encode(copy.text);
        await postgres.ingest({ input: 'copy.txt', bytes, format: 'text' }, sha256(bytes), copy, []);
        const summary = await processPending(postgres, { workers: 0, briefings: false });
        assert.deepEqual(summary.stories, [story!.id]);
      } finally {
        await postgres.close();
      }
    } finally {
      await dropSchema(schema);
    }
  });
});

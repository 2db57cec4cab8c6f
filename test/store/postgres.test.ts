/**
 * What only the PostgreSQL store does: migrations that match SQLite's,
 * concurrent start-up, the cluster lock and its bookkeeping, URL handling.
 * Runs when TRIANGULATE_TEST_DATABASE_URL is set (see backends.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { migrations as sqliteMigrations } from '../../src/store/sqlite/migrations.js';
import { migrations as postgresMigrations } from '../../src/store/postgres/migrations.js';
import { displayUrl, parseDatabaseUrl, PostgresStore } from '../../src/store/postgres/index.js';
import { openStore, StaleClustererError } from '../../src/store/index.js';
import { dropSchema, POSTGRES_SKIP, schemaUrl, uniqueSchema } from './backends.js';
import { storeGenerated } from '../../bench/generate.js';
import type { Analysis } from '../../src/analyze/types.js';

test('every SQLite migration has a PostgreSQL migration of the same name', () => {
  const names = new Set(postgresMigrations.map((m) => m.name));
  assert.deepEqual(sqliteMigrations.map((m) => m.name).filter((name) => !names.has(name)), []);
});

test('the schema parameter is split off the URL and checked; passwords are hidden in messages', () => {
  assert.deepEqual(parseDatabaseUrl('postgres://u@h:5432/db?schema=news_1'), { connectionString: 'postgres://u@h:5432/db', schema: 'news_1' });
  assert.deepEqual(parseDatabaseUrl('postgresql://u@h/db?sslmode=disable'), { connectionString: 'postgresql://u@h/db?sslmode=disable', schema: null });
  assert.throws(() => parseDatabaseUrl('postgres://u@h/db?schema=x;drop'), /schema/);
  assert.throws(() => parseDatabaseUrl('mysql://u@h/db'), /not a PostgreSQL URL/);
  assert.throws(() => parseDatabaseUrl('not a url'), /not a PostgreSQL URL/);
  assert.equal(displayUrl('postgres://u:secret@h/db'), 'postgres://u:***@h/db');
});

test('an unreachable server is a clear error naming the database, without its password', async () => {
  await assert.rejects(openStore({ databaseUrl: 'postgres://postgres:pw@127.0.0.1:1/test' }), (error: Error) => {
    assert.match(error.message, /cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test/);
    return true;
  });
});

/** Runs `fn` with `count` stores opened at once on a fresh schema, then closes them and drops the schema. */
async function withStores(count: number, fn: (stores: PostgresStore[]) => Promise<void>): Promise<void> {
  const schema = uniqueSchema();
  const stores = await Promise.all(Array.from({ length: count }, () => PostgresStore.open(schemaUrl(schema))));
  try {
    await fn(stores);
  } finally {
    for (const store of stores) await store.close();
    await dropSchema(schema);
  }
}

const withStore = (fn: (store: PostgresStore) => Promise<void>) => withStores(1, (stores) => fn(stores[0]!));

describe('PostgreSQL store', { skip: POSTGRES_SKIP }, () => {
  test('processes starting together apply each migration once', async () => {
    const schema = uniqueSchema();
    const stores = await Promise.all([1, 2, 3].map(() => openStore({ databaseUrl: schemaUrl(schema) })));
    try {
      const pool = (stores[0] as PostgresStore).pool;
      const names = (await pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((r) => r.name);
      assert.deepEqual(names, postgresMigrations.map((m) => m.name).sort());
    } finally {
      for (const store of stores) await store.close();
      await dropSchema(schema);
    }
  });

  test('the cluster lock lets one holder in at a time across connections', async () => {
    await withStores(2, async ([a, b]) => {
      const events: string[] = [];
      const hold = (name: string) => async () => {
        events.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        events.push(`${name} out`);
      };
      assert.equal(await b!.clusterLockBusy(), false);
      await a!.withClusterLock(async () => assert.equal(await b!.clusterLockBusy(), true));
      await Promise.all([a!.withClusterLock(hold('a')), b!.withClusterLock(hold('b'))]);
      assert.ok(events.join() === 'a in,a out,b in,b out' || events.join() === 'b in,b out,a in,a out', events.join());
      // A failing holder releases the lock too.
      await assert.rejects(a!.withClusterLock(async () => { throw new Error('boom'); }), /boom/);
      await b!.withClusterLock(hold('b'));
    });
  });

  test('the cluster lead is one process\'s until it gives it up or its connection ends', async () => {
    await withStores(2, async ([a, b]) => {
      assert.equal(await a!.holdsClusterLead(), false);
      assert.equal(await a!.takeClusterLead(), true);
      assert.equal(await b!.takeClusterLead(), false, 'held by the other');
      assert.equal(await a!.takeClusterLead(), true, 'taking it again keeps it');
      assert.equal(await b!.clusterLockBusy(), true, 'it is the cluster lock');
      await a!.releaseClusterLead();
      assert.equal(await a!.holdsClusterLead(), false);
      assert.equal(await b!.takeClusterLead(), true, 'free once given up');
      // The server ending the lead's session (a process that died, a broken connection) frees it too.
      await a!.pool.query(`SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND objid = hashtext(current_schema())::oid`);
      assert.equal(await b!.holdsClusterLead(), false, 'the holder sees it lost the lead');
      assert.equal(await a!.takeClusterLead(), true);
    });
  });

  test('each clusterer save, whole or as a delta, advances the generation; a compaction folds the log up to a point and changes nothing', async () => {
    await withStore(async (store) => {
      const save = (clusterer: { clustererState: string } | { clustererDelta: string }) => store.saveStoryUpdate({ links: [], stories: [], redirects: [], ...clusterer });
      assert.deepEqual(await store.clustererPosition(), { generation: 0, lastSeq: 0, stateBytes: 0, logBytes: 0 });
      await save({ clustererState: '{}' });
      await save({ clustererState: '{"a":1}' });
      assert.deepEqual(await store.clustererPosition(), { generation: 2, lastSeq: 0, stateBytes: 7, logBytes: 0 });
      await save({ clustererDelta: 'd1' });
      await save({ clustererDelta: 'd2' });
      await save({ clustererDelta: 'd3' });
      const position = await store.clustererPosition();
      assert.deepEqual([position.generation, position.logBytes], [5, 6]);
      const snapshot = await store.loadClustererSnapshot();
      assert.deepEqual([snapshot.state, snapshot.generation, snapshot.logSeq], ['{"a":1}', 5, 0]);
      assert.deepEqual(snapshot.log.map((e) => [e.delta, e.generation]), [['d1', 3], ['d2', 4], ['d3', 5]]);
      assert.equal(snapshot.log.at(-1)!.seq, position.lastSeq);
      const [first, second] = snapshot.log;
      assert.deepEqual((await store.clustererLogSince(first!.seq)).log.map((e) => e.delta), ['d2', 'd3']);

      // Folding d1 and d2 into the whole state: the generation stays, d3 remains, an older fold is refused.
      assert.equal(await store.compactClusterer('{"a":2}', second!.seq), true);
      assert.equal(await store.compactClusterer('{"a":3}', first!.seq), false);
      assert.equal(await store.loadClustererState(), '{"a":2}');
      assert.deepEqual(await store.clustererLog(), ['d3']);
      assert.deepEqual(await store.clustererPosition(), { generation: 5, lastSeq: position.lastSeq, stateBytes: 7, logBytes: 2 });
      const since = await store.clustererLogSince(first!.seq);
      assert.deepEqual([since.generation, since.log.map((e) => e.generation)], [5, [5]], 'a worker that had seen only d1 finds d2 gone and reloads');

      // A whole save folds the whole log; later entries continue the sequence.
      await save({ clustererState: '{"b":1}' });
      assert.deepEqual(await store.clustererLog(), []);
      assert.deepEqual(await store.clustererPosition(), { generation: 6, lastSeq: position.lastSeq, stateBytes: 7, logBytes: 0 });
      await save({ clustererDelta: 'd4' });
      assert.ok((await store.clustererPosition()).lastSeq > position.lastSeq);
      assert.equal(await store.lastAssignedSeq(), 0);
    });
  });

  test('a story update built on a clusterer generation the store has moved past saves nothing', async () => {
    const story = { id: 'story-1', headline: 'H', firstPublished: null, lastPublished: null, articleCount: 0, familyCount: 0, updatedAt: '2026-01-01T00:00:00Z', members: [] };
    await withStore(async (store) => {
      await store.saveStoryUpdate({ links: [], stories: [], redirects: [], clustererState: '{}', expectGeneration: 0 });
      await store.saveStoryUpdate({ links: [], stories: [], redirects: [], clustererDelta: 'ours', expectGeneration: 1 });
      // A leader that lost its lead still thinks the store is at generation 1.
      await assert.rejects(
        store.saveStoryUpdate({ links: [], stories: [story], redirects: [], clustererDelta: 'stale', expectGeneration: 1 }),
        (error: Error) => error instanceof StaleClustererError && /generation 2, not 1/.test(error.message),
      );
      assert.deepEqual(await store.clustererLog(), ['ours']);
      assert.equal((await store.clustererPosition()).generation, 2);
      assert.equal(await store.getStory('story-1'), null);
    });
  });

  test('analyses and link features saved many per statement come back exactly, the last of repeated ids winning', async () => {
    await withStore(async (store) => {
      // More than one statement's worth of rows; texts with quotes, backslashes and braces (array-literal syntax).
      // The generator may write a text twice (one article): distinct ids only.
      const ids = [...new Set((await storeGenerated(store, { articles: 1_100, seed: 4 })).map((a) => a.id))].slice(0, 1_050);
      assert.equal(ids.length, 1_050);
      const analysis = (i: number) => ({ note: `"quoted" \\ {braces}, ${i}` }) as unknown as Analysis;
      await store.saveAnalyses([...ids.map((id, i) => ({ articleId: id, version: 'v1', analysis: analysis(i) })), { articleId: ids[0]!, version: 'v2', analysis: analysis(-1) }]);
      const read = await store.getAnalyses([ids[0]!, ids[1_049]!, 'missing']);
      assert.deepEqual([...read.keys()].sort(), [ids[0]!, ids[1_049]!].sort());
      assert.deepEqual(read.get(ids[0]!), { articleId: ids[0], version: 'v2', analysis: analysis(-1) });
      assert.deepEqual(read.get(ids[1_049]!)?.analysis, analysis(1_049));

      const bytes = (i: number) => new Uint8Array(Array.from({ length: 64 + i }, (_, k) => (k * 37 + i) % 256));
      // A view into a larger buffer at an offset, as encodeLinkFeatures' results may be.
      const view = new Uint8Array(new Uint8Array([9, 9, 9, ...bytes(5)]).buffer, 3);
      await store.saveLinkFeatures([...ids.map((id, i) => ({ articleId: id, data: bytes(i % 50) })), { articleId: ids[1]!, data: view }]);
      const features = new Map((await store.linkFeatures(ids)).map((f) => [f.article.id, f.data]));
      assert.equal(features.size, ids.length);
      assert.deepEqual(new Uint8Array(features.get(ids[0]!)!), bytes(0));
      assert.deepEqual(new Uint8Array(features.get(ids[1]!)!), bytes(5));
      assert.deepEqual(new Uint8Array(features.get(ids[1_049]!)!), bytes(1_049 % 50));
    });
  });

});

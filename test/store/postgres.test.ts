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
import { openStore } from '../../src/store/index.js';
import { dropSchema, POSTGRES_SKIP, schemaUrl, uniqueSchema } from './backends.js';

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
    const schema = uniqueSchema();
    const [a, b] = await Promise.all([1, 2].map(() => PostgresStore.open(schemaUrl(schema))));
    try {
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
    } finally {
      await a!.close();
      await b!.close();
      await dropSchema(schema);
    }
  });

  test('each clusterer save, whole or as a delta, advances the generation; a compaction folds the log up to a point and changes nothing', async () => {
    const schema = uniqueSchema();
    const store = await PostgresStore.open(schemaUrl(schema));
    const save = (clusterer: { clustererState: string } | { clustererDelta: string }) => store.saveStoryUpdate({ links: [], stories: [], redirects: [], ...clusterer });
    try {
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
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });

});

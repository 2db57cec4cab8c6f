/**
 * The work queue's claims and its transactions, against PostgreSQL (runs when
 * TRIANGULATE_TEST_DATABASE_URL is set); each test uses its own schema.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { storeGenerated } from '../../bench/generate.js';
import { ANALYZER_VERSION } from '../../src/analyze/index.js';
import type { Analysis } from '../../src/analyze/types.js';
import { PostgresStore } from '../../src/store/postgres/index.js';
import { WorkQueue } from '../../src/worker/index.js';
import { dropSchema, POSTGRES_SKIP, schemaUrl, uniqueSchema } from '../store/backends.js';

async function withStore(fn: (store: PostgresStore) => Promise<void>): Promise<void> {
  const schema = uniqueSchema('tri_queue');
  const store = await PostgresStore.open(schemaUrl(schema));
  try {
    await fn(store);
  } finally {
    await store.close();
    await dropSchema(schema);
  }
}

describe('work queue', { skip: POSTGRES_SKIP }, () => {
  test('claims take the oldest ready jobs of the stages asked, past any number of finished jobs and of other stages', () => withStore(async (store) => {
    const queue = new WorkQueue(store.pool, 'w');
    // Many finished jobs first (what a long run leaves behind), then a mix of queued stages.
    await store.pool.query(`INSERT INTO jobs (stage, key, state) SELECT 'analyze', 'done' || i, 'done' FROM generate_series(1, 500) AS i`);
    await queue.enqueue([
      { stage: 'cluster', key: 'c1' }, { stage: 'analyze', key: 'a1' }, { stage: 'brief', key: 'b-later', delaySeconds: 60 },
      { stage: 'cluster', key: 'c2' }, { stage: 'fetch', key: 'f1' }, { stage: 'analyze', key: 'a2' }, { stage: 'cluster', key: 'c3' },
    ]);
    const keys = (jobs: Array<{ key: string }>) => jobs.map((j) => j.key);
    assert.deepEqual(keys(await queue.claim(['fetch', 'extract', 'analyze', 'brief'], 2)), ['a1', 'f1'], 'oldest first, cluster jobs and jobs not ready left');
    assert.deepEqual(keys(await queue.claim(['cluster'], 2)), ['c1', 'c2']);
    assert.deepEqual(keys(await queue.claim(['analyze', 'cluster'], 10)), ['a2', 'c3']);
    assert.deepEqual(keys(await queue.claim(['fetch', 'extract', 'analyze', 'brief'], 10)), [], 'the brief is not ready yet');
    assert.equal(await queue.anyOpen(), true);
    assert.equal(await queue.readyCount(['brief']), 0);
  }));

  test('ready jobs are counted up to the bound asked; anyOpen says whether any job is queued or running', () => withStore(async (store) => {
    const queue = new WorkQueue(store.pool, 'w');
    assert.equal(await queue.anyOpen(), false);
    await queue.enqueue(Array.from({ length: 5 }, (_, i) => ({ stage: 'cluster' as const, key: `c${i}` })));
    assert.equal(await queue.readyCount(['cluster']), 5);
    assert.equal(await queue.readyCount(['cluster'], 3), 3);
    const claimed = await queue.claim(['cluster'], 5);
    assert.equal(await queue.anyOpen(), true, 'running jobs are open');
    await queue.finish(claimed);
    assert.equal(await queue.anyOpen(), false);
  }));

  test('a job\'s own writes commit with its completion, or neither happens', () => withStore(async (store) => {
    const [article] = await storeGenerated(store, { articles: 1, seed: 2 });
    const queue = new WorkQueue(store.pool, 'w');
    await queue.enqueue([{ stage: 'analyze', key: article!.id }]);
    const [job] = await queue.claim(['analyze'], 1);
    const stored = { articleId: article!.id, version: ANALYZER_VERSION, analysis: { sentences: [] } as unknown as Analysis };
    await assert.rejects(queue.finish([job!], [{ stage: 'cluster', key: article!.id }], async (client) => {
      await store.saveAnalyses([stored], client);
      throw new Error('lost connection');
    }), /lost connection/);
    assert.equal(await store.getAnalysis(article!.id), null, 'the analysis was rolled back');
    assert.deepEqual((await queue.counts()).map((c) => [c.stage, c.state, c.count]), [['analyze', 'running', 1]], 'the job is still held, nothing queued');

    assert.equal(await queue.finish([job!], [{ stage: 'cluster', key: article!.id }], (client) => store.saveAnalyses([stored], client)), 1);
    assert.equal((await store.getAnalysis(article!.id))?.version, ANALYZER_VERSION);
    assert.deepEqual((await queue.counts()).map((c) => [c.stage, c.state, c.count]), [['analyze', 'done', 1], ['cluster', 'queued', 1]]);
  }));

  test('a next job that continues a finished one takes over its row, unless the same job is queued already', () => withStore(async (store) => {
    const queue = new WorkQueue(store.pool, 'w');
    await queue.enqueue([{ stage: 'analyze', key: 'a1' }, { stage: 'analyze', key: 'a2' }, { stage: 'cluster', key: 'a2' }]);
    const claimed = await queue.claim(['analyze'], 2);
    const rows = async () => (await store.pool.query(`SELECT id, stage, key, state, attempts FROM jobs ORDER BY id`)).rows.map((r) => [Number(r.id), r.stage, r.key, r.state, r.attempts]);
    const [a1, a2] = claimed;
    assert.equal(await queue.finish(claimed, claimed.map((job) => ({ stage: 'cluster', key: job.key, continues: job }))), 2);
    assert.deepEqual(await rows(), [
      [a1!.id, 'cluster', 'a1', 'queued', 0],
      [a2!.id, 'analyze', 'a2', 'done', 1],
      [a2!.id + 1, 'cluster', 'a2', 'queued', 0],
    ]);
  }));
});

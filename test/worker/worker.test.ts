/**
 * `triangulate worker` and its queue, against PostgreSQL (they exist only
 * there): runs when TRIANGULATE_TEST_DATABASE_URL is set, like the PostgreSQL
 * store tests; each test uses its own schema and drops it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { storeGenerated } from '../../bench/generate.js';
import { ANALYZER_VERSION } from '../../src/analyze/index.js';
import { loadClusterer, processPending } from '../../src/pipeline/process.js';
import { openStore } from '../../src/store/index.js';
import { PostgresStore } from '../../src/store/postgres/index.js';
import { runWorker, WorkQueue } from '../../src/worker/index.js';
import { dropSchema, POSTGRES_SKIP, schemaUrl, uniqueSchema } from '../store/backends.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function withSchema(fn: (url: string, store: PostgresStore) => Promise<void>): Promise<void> {
  const schema = uniqueSchema('tri_worker');
  const url = schemaUrl(schema);
  const store = await PostgresStore.open(url);
  try {
    await fn(url, store);
  } finally {
    await store.close();
    await dropSchema(schema);
  }
}

/** Story partition as sets of article ids, comparable across runs whatever the story ids. */
async function partition(store: PostgresStore | Awaited<ReturnType<typeof openStore>>, ids: string[]): Promise<string[]> {
  const byStory = new Map<string, string[]>();
  for (const [article, story] of await store.storiesOf(ids)) (byStory.get(story) ?? byStory.set(story, []).get(story)!).push(article);
  return [...byStory.values()].map((members) => members.sort().join(',')).sort();
}

/**
 * Checks what "processed exactly once in effect" means in the database:
 * every article analysed and in exactly one story; the stories' records, the
 * membership table and the saved clusterer state agree, with no article
 * twice; every job done, none dead.
 */
async function assertExactlyOnce(store: PostgresStore, ids: string[]): Promise<void> {
  const q = async (sql: string) => (await store.pool.query(sql)).rows;
  assert.deepEqual(await store.articlesNeedingAnalysis(ANALYZER_VERSION), [], 'every article analysed');
  const members = await q('SELECT article_id FROM story_articles');
  assert.equal(members.length, ids.length, 'every article in a story');
  assert.deepEqual(new Set(members.map((r) => r.article_id)), new Set(ids));
  const counts = await q(`SELECT stories.id, stories.article_count, count(story_articles.article_id)::int AS n FROM stories
                          LEFT JOIN story_articles ON story_articles.story_id = stories.id GROUP BY stories.id`);
  for (const row of counts) assert.equal(row.article_count, row.n, `story ${row.id} counts its members`);
  // The whole state as last saved, with the deltas the workers logged since.
  const state = (await loadClusterer(store)).export();
  const inState = state.stories.flatMap((s) => s.articles);
  assert.equal(inState.length, new Set(inState).size, 'no article twice in the clusterer state');
  assert.deepEqual(new Set(inState), new Set(ids), 'the clusterer state holds every article');
  const stateStory = new Map(state.stories.flatMap((s) => s.articles.map((a) => [a, s.id] as const)));
  for (const [article, story] of await store.storiesOf(ids)) assert.equal(story, stateStory.get(article), `${article}: the store and the clusterer agree`);
  assert.deepEqual(await q(`SELECT stage, state FROM jobs WHERE state <> 'done'`), [], 'every job done, none dead');
}

describe('worker', { skip: POSTGRES_SKIP }, () => {
  test('two workers at once, small batches: one leads and clusters both\'s analyses; every article in one story, the same stories and links as one process on SQLite', () => withSchema(async (_url, store) => {
    const generated = { articles: 30, seed: 3, storiesPerDay: 3 };
    const ids = (await storeGenerated(store, generated)).map((a) => a.id);
    const second = await PostgresStore.open(_url);
    try {
      // Batches of 2, cluster turns of 2–3 articles taken as soon as 2 wait: articles of the same stories analysed by both workers, clustered in many turns.
      const options = { drain: true, batch: 2, clusterBatch: 3, clusterMin: 2, briefDelaySeconds: 0, pollMs: 50 };
      const [a, b] = await Promise.all([runWorker(store, { ...options, workerId: 'a' }), runWorker(second, { ...options, workerId: 'b' })]);
      assert.equal(a.analyzed + b.analyzed, ids.length);
      assert.ok(a.analyzed > 0 && b.analyzed > 0, `both workers analysed (a ${a.analyzed}, b ${b.analyzed})`);
      // One worker took the lead and kept it to the end (the other may take it as the first stops, with nothing left to cluster).
      assert.deepEqual([a.clustered, b.clustered].sort((x, y) => x - y), [0, ids.length], 'the leader clustered every article');
      // After the first turn saved the whole state, each turn appended its changes to the log; the log was folded back when it outgrew the state.
      const position = await store.clustererPosition();
      assert.ok(position.lastSeq > 0 && position.generation > 2, `turns logged deltas (${JSON.stringify(position)})`);
      // Every clustered article's linker features were kept for the other worker's catching up.
      assert.equal((await store.linkFeatures(ids)).length, ids.length);
      await assertExactlyOnce(store, ids);
      // Every story's latest briefing was built after its last change (stories merged away keep their old briefings as history).
      for (const story of await store.listStories()) assert.equal((await store.getBriefing(story.id))?.articleCount, story.articleCount, `story ${story.id} briefed as it is now`);

      const sqlite = await openStore({ path: ':memory:' });
      try {
        const sqliteIds = (await storeGenerated(sqlite, generated)).map((a) => a.id);
        assert.deepEqual(sqliteIds, ids);
        await processPending(sqlite, { workers: 0, briefings: false });
        assert.deepEqual(await partition(store, ids), await partition(sqlite, ids));
        // Copies and rewrites are found whichever worker clustered each side (linked before the turn, or on catching up).
        const links = async (s: { linksAmong(ids: string[]): Promise<Array<{ from: string; to: string; kind: string }>> }) =>
          (await s.linksAmong(ids)).map((l) => `${l.from} ${l.to} ${l.kind}`).sort();
        assert.ok((await links(sqlite)).length > 0, 'the generated articles include copies');
        assert.deepEqual(await links(store), await links(sqlite));
      } finally {
        await sqlite.close();
      }
    } finally {
      await second.close();
    }
  }));

  test('a failing job is retried up to its limit, then dead; --retry-dead queues it again', () => withSchema(async (_url, store) => {
    const server = createServer((request, response) => {
      if (request.url === '/story.html') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(`<html><head><title>Harbour strike</title></head><body><article><h1>Harbour strike</h1>${'<p>Dock workers in Valmora walked out on Monday over pay, the union said, and the harbour stood still.</p>'.repeat(6)}</article></body></html>`);
      } else {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('not here');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const queue = new WorkQueue(store.pool, 'test');
      await queue.enqueue([{ stage: 'fetch', key: `${base}/story.html` }, { stage: 'fetch', key: `${base}/missing.html`, maxAttempts: 2 }]);
      const fetcher = { allowPrivateUrls: true, robots: false, retries: 0, hostIntervalMs: 0 };
      const summary = await runWorker(store, { drain: true, retrySeconds: 0, pollMs: 20, briefDelaySeconds: 0, fetcher });
      assert.deepEqual([summary.fetched, summary.analyzed, summary.clustered, summary.briefed, summary.failed], [1, 1, 1, 1, 2]);
      assert.equal((await store.listStories()).length, 1);
      const dead = await queue.dead();
      assert.deepEqual(dead.map((d) => [d.stage, d.key, d.attempts]), [['fetch', `${base}/missing.html`, 2]]);
      assert.match(dead[0]!.lastError!, /404/);
      assert.equal(await queue.retryDead(), 1);
      assert.deepEqual((await queue.counts()).filter((c) => c.state === 'queued'), [{ stage: 'fetch', state: 'queued', count: 1 }]);
    } finally {
      server.close();
    }
  }));

  test('a job whose lease expires goes back to the queue, and to dead once it used its attempts', () => withSchema(async (_url, store) => {
    const crashed = new WorkQueue(store.pool, 'crashed', { leaseSeconds: 1 });
    await crashed.enqueue([{ stage: 'analyze', key: 'a000000000001', maxAttempts: 2 }]);
    assert.equal((await crashed.claim(['analyze'], 10)).length, 1);
    assert.equal((await crashed.claim(['analyze'], 10)).length, 0, 'a running job is not claimed twice');
    const other = new WorkQueue(store.pool, 'other', { leaseSeconds: 1 });
    assert.equal(await other.reclaimExpired(), 0, 'not before the lease ends');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    assert.equal(await other.reclaimExpired(), 1);
    const [again] = await other.claim(['analyze'], 10);
    assert.equal(again!.attempts, 2);
    assert.equal(await crashed.finish([again!]), 0, 'the first holder cannot finish a job it lost');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await other.reclaimExpired();
    assert.deepEqual((await other.dead()).map((d) => d.key), ['a000000000001']);
    assert.match((await other.dead())[0]!.lastError!, /lease expired \(worker other/);

    // A brief that was running when its story changed again: the same job is queued once more. Its
    // lease running out must not put a second copy in the queue (nor fail): the queued one does the work.
    await crashed.enqueue([{ stage: 'brief', key: 's0' }]);
    const [brief] = await crashed.claim(['brief'], 1);
    await crashed.enqueue([{ stage: 'brief', key: 's0' }]);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    assert.equal(await other.reclaimExpired(), 1);
    const states = (await store.pool.query(`SELECT id, state FROM jobs WHERE stage = 'brief' ORDER BY id`)).rows.map((r) => r.state);
    assert.deepEqual(states, ['done', 'queued']);
    assert.equal(await crashed.fail(brief!, 'late'), 'running', 'a job it lost is not the first holder\'s to fail');
  }));

  test('the leader killed in the middle of clustering: the other worker takes the lead and clusters the rest, exactly once, the same stories as one process on SQLite', () => withSchema(async (url, store) => {
    const generated = { articles: 40, seed: 5, storiesPerDay: 4 };
    const ids = (await storeGenerated(store, generated)).map((a) => a.id);
    const leader = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'worker', '--database-url', url,
      '--batch', '3', '--cluster-batch', '4', '--lease', '5', '--no-briefings'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => leader.on('exit', (_code, signal) => resolve(signal)));
    const poll = async (what: () => Promise<boolean>) => {
      for (let polls = 0; polls < 1_200 && !await what(); polls++) await new Promise((resolve) => setTimeout(resolve, 25));
    };
    // The first worker holds the lead before the second starts.
    await poll(() => store.clusterLockBusy());
    assert.ok(await store.clusterLockBusy(), 'the first worker took the lead');
    const second = await PostgresStore.open(url);
    try {
      const follower = runWorker(second, { drain: true, batch: 3, briefings: false, pollMs: 50, workerId: 'follower' });
      // Killed once it has clustered something and holds cluster jobs it has not finished.
      await poll(async () => (await store.pool.query(`SELECT count(*) FILTER (WHERE stage = 'cluster' AND state = 'done') > 0
                                                          AND count(*) FILTER (WHERE stage = 'cluster' AND state = 'running') > 0 AS ready FROM jobs`)).rows[0].ready);
      leader.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');
      assert.ok((await store.pool.query('SELECT count(*)::int AS n FROM story_articles')).rows[0].n < ids.length, 'killed before it had clustered everything');
      const summary = await follower;
      assert.equal(summary.leads, 1, 'the follower took the lead once the leader died');
      assert.ok(summary.clustered > 0, 'and clustered the rest');
      await assertExactlyOnce(store, ids);
      const sqlite = await openStore({ path: ':memory:' });
      try {
        await storeGenerated(sqlite, generated);
        await processPending(sqlite, { workers: 0, briefings: false });
        assert.deepEqual(await partition(store, ids), await partition(sqlite, ids));
      } finally {
        await sqlite.close();
      }
    } finally {
      leader.kill('SIGKILL');
      await second.close();
    }
  }));

  test('a leader that stops gives up the lead at once: the other worker takes it and clusters the rest', () => withSchema(async (url, store) => {
    const ids = (await storeGenerated(store, { articles: 30, seed: 3, storiesPerDay: 3 })).map((a) => a.id);
    const second = await PostgresStore.open(url);
    try {
      const stop = new AbortController();
      const options = { batch: 2, clusterBatch: 3, clusterMin: 2, briefings: false, pollMs: 50 };
      // The first clusters a turn, then stops; the second, started after the first took the lead, drains the queue.
      const first = runWorker(store, { ...options, workerId: 'first', signal: stop.signal, onEvent: (event) => { if (event.kind === 'done' && event.stage === 'cluster') stop.abort(); } });
      for (let polls = 0; polls < 400 && !await second.clusterLockBusy(); polls++) await new Promise((resolve) => setTimeout(resolve, 25));
      const rest = runWorker(second, { ...options, drain: true, workerId: 'second' });
      const [a, b] = await Promise.all([first, rest]);
      assert.deepEqual([a.leads, b.leads], [1, 1]);
      assert.ok(a.clustered > 0 && b.clustered > 0 && a.clustered + b.clustered === ids.length, `both clustered in turn (first ${a.clustered}, second ${b.clustered})`);
      await assertExactlyOnce(store, ids);
    } finally {
      await second.close();
    }
  }));

  test('SIGKILL in the middle of a batch: after a restart every article is processed exactly once in effect', () => withSchema(async (url, store) => {
    const ids = (await storeGenerated(store, { articles: 40, seed: 5, storiesPerDay: 4 })).map((a) => a.id);
    const start = (extra: string[]) => spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'worker', '--database-url', url, ...extra], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const first = start(['--batch', '3', '--cluster-batch', '4', '--lease', '5', '--brief-delay', '0']);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => first.on('exit', (_code, signal) => resolve(signal)));
    // Kill it as soon as it has clustered something and holds jobs it has not finished.
    let running = 0;
    for (let polls = 0; polls < 1_200; polls++) {
      const row = (await store.pool.query(`SELECT count(*) FILTER (WHERE stage = 'cluster' AND state = 'done')::int AS clustered,
                                                   count(*) FILTER (WHERE state = 'running')::int AS running FROM jobs`)).rows[0];
      if (row.clustered > 0 && row.running > 0) { running = row.running; break; }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    first.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    assert.ok(running > 0, 'the worker was killed holding unfinished jobs');
    const unfinished = (await store.pool.query(`SELECT count(*)::int AS n FROM story_articles`)).rows[0].n;
    assert.ok(unfinished < ids.length, 'killed before it had clustered everything');

    // The restarted worker waits out the dead worker's leases, then finishes everything.
    const second = start(['--drain', '--batch', '3', '--cluster-batch', '4', '--brief-delay', '0']);
    let stderr = '';
    second.stderr.on('data', (chunk) => { stderr += chunk; });
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
    assert.equal(code, 0, stderr);
    assert.match(stderr, /returned to the queue/);
    await assertExactlyOnce(store, ids);
  }));
});

/**
 * `npm run bench -- workers [--articles 50000] [--workers 1,2] [--briefs] [--database-url URL] [--skip-sqlite]`
 *
 * Stores N generated articles (bench/generate.ts) in a fresh PostgreSQL schema
 * and runs `triangulate worker --drain` with 1, then 2, processes on it
 * (analyze + link/cluster; briefings too with --briefs), then the same
 * pipeline in one process on SQLite (processPending, analysis in that
 * thread). Storing the articles is not timed. A PostgreSQL run is timed by
 * the database clock, from the first job queued (the workers' start-up scan)
 * to the last job finished, so process start-up is not counted; the SQLite
 * run from the start to the end of processPending.
 *
 * Prints articles/s for each, the 2-worker / 1-worker ratio (target ≥ 1.7 on
 * 2 cores), the SQLite / PostgreSQL ratio for one worker (target ≤ 2), the
 * share of time spent in cluster turns (the serial part: one worker clusters),
 * the load average (the machine is shared) and CPU time per article of each
 * worker: their sum with 2 workers against 1 shows what a second worker adds
 * in work (catching up with the others), whatever the load. Also the CPU of
 * catching up itself (clusterer deltas applied, others' articles put into the
 * linker, state loaded) and the CPU of the PostgreSQL server processes that
 * served the workers (sampled from /proc, so only with a local server; the
 * server shares the 2 cores with the workers).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { processPending } from '../src/pipeline/process.js';
import { openStore } from '../src/store/index.js';
import { displayUrl, PostgresStore } from '../src/store/postgres/index.js';
import type { WorkerSummary } from '../src/worker/index.js';
import { option } from './args.js';
import { storeGenerated } from './generate.js';
import type { SuiteResult } from './run.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface RunResult {
  label: string;
  workers: number | null;
  seconds: number;
  perSecond: number;
  load: number;
  /** Share of the run spent in cluster turns (by the leader, or by each worker that led), summed over workers: the serial part. */
  clusterShare: number | null;
  /** CPU milliseconds per article, each worker's own (summed over workers for the total). */
  cpuMsPerArticle: number[];
  /** Of that, catching up with the other workers and loading state, summed over workers. */
  catchUpMsPerArticle: number | null;
  /** CPU milliseconds per article of the PostgreSQL server processes serving the workers (null: not measurable here). */
  serverMsPerArticle: number | null;
  compactions: number | null;
}

function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('schema', schema);
  return u.toString();
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

function runWorkerProcess(url: string, briefs: boolean): Promise<WorkerSummary> {
  const args = ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'worker', '--database-url', url, '--drain', '--json', '--brief-delay', '5'];
  if (!briefs) args.push('--no-briefings');
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => { out += chunk; });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as WorkerSummary) : reject(new Error(`worker exited with ${code}`))));
  });
}

/**
 * Samples the CPU time of the server processes whose connections carry
 * `application`, every 200 ms until stopped: a backend's time only grows
 * until its connection closes, so the last sample of each is kept. Returns
 * null when the server's processes cannot be read (a remote server).
 */
function sampleServerCpu(pool: pg.Pool, application: string): { stop: () => Promise<number | null> } {
  const ticks = new Map<number, number>();
  let readable = true;
  let stopped = false;
  const sample = async () => {
    const pids = (await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [application])).rows.map((r) => r.pid);
    for (const pid of pids) {
      try {
        // Fields 14 and 15 of /proc/PID/stat (after the parenthesised name): user and system time in clock ticks.
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        ticks.set(pid, Number(fields[11]) + Number(fields[12]));
      } catch {
        readable = false;
      }
    }
  };
  const loop = (async () => {
    while (!stopped) {
      await sample().catch(() => { readable = false; });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      // Linux counts 100 ticks a second.
      return readable && ticks.size > 0 ? [...ticks.values()].reduce((a, b) => a + b, 0) * 10 : null;
    },
  };
}

async function postgresRun(baseUrl: string, size: number, workers: number, briefs: boolean): Promise<RunResult> {
  const schema = `tri_bench_${process.pid}_${workers}`;
  await dropSchema(baseUrl, schema);
  const url = withSchema(baseUrl, schema);
  const store = await PostgresStore.open(url);
  const workerUrl = new URL(url);
  workerUrl.searchParams.set('application_name', schema);
  try {
    await storeGenerated(store, { articles: size, seed: 7 });
    // The generator may write the same text twice; those are one article.
    const articles = await store.countArticles();
    const load = loadavg()[0]!;
    const server = sampleServerCpu(store.pool, schema);
    const summaries = await Promise.all(Array.from({ length: workers }, () => runWorkerProcess(workerUrl.toString(), briefs)));
    const serverMs = await server.stop();
    const row = (await store.pool.query<{ seconds: number }>(
      `SELECT extract(epoch FROM max(updated_at) - min(created_at))::float8 AS seconds FROM jobs`,
    )).rows[0]!;
    const clustered = summaries.reduce((n, s) => n + s.clustered, 0);
    if (clustered !== articles) throw new Error(`${clustered} of ${articles} articles clustered`);
    const clustering = summaries.reduce((n, s) => n + s.clusterTurnMs, 0) / 1000;
    return {
      label: `PostgreSQL, ${workers} worker${workers === 1 ? '' : 's'}`, workers, seconds: row.seconds, perSecond: articles / row.seconds, load: (load + loadavg()[0]!) / 2,
      clusterShare: clustering / row.seconds, cpuMsPerArticle: summaries.map((s) => s.cpuMs / articles),
      catchUpMsPerArticle: summaries.reduce((n, s) => n + s.catchUpCpuMs, 0) / articles,
      serverMsPerArticle: serverMs === null ? null : serverMs / articles,
      compactions: summaries.reduce((n, s) => n + s.compactions, 0),
    };
  } finally {
    await store.close();
    await dropSchema(baseUrl, schema);
  }
}

async function sqliteRun(size: number, briefs: boolean): Promise<RunResult> {
  const store = await openStore({ path: ':memory:' });
  try {
    await storeGenerated(store, { articles: size, seed: 7 });
    const articles = await store.countArticles();
    const load = loadavg()[0]!;
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    await processPending(store, { workers: 0, briefings: briefs });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuAtStart);
    return {
      label: 'SQLite, 1 process', workers: null, seconds, perSecond: articles / seconds, load: (load + loadavg()[0]!) / 2, clusterShare: null,
      cpuMsPerArticle: [(cpu.user + cpu.system) / 1000 / articles], catchUpMsPerArticle: null, serverMsPerArticle: null, compactions: null,
    };
  } finally {
    await store.close();
  }
}

export async function run(args: string[]): Promise<SuiteResult> {
  const size = Number(option(args, 'articles', '50000'));
  const counts = (option(args, 'workers', '1,2') ?? '').split(',').map(Number).filter((n) => n > 0);
  const briefs = args.includes('--briefs');
  const url = option(args, 'database-url') ?? process.env.TRIANGULATE_DATABASE_URL ?? process.env.TRIANGULATE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  console.log(`workers benchmark: ${size} generated articles, analyze + link/cluster${briefs ? ' + briefs' : ''}; PostgreSQL ${displayUrl(url)}`);
  const results: RunResult[] = [];
  for (const n of counts) {
    const r = await postgresRun(url, size, n, briefs);
    results.push(r);
    print(r);
  }
  let sqlite: RunResult | null = null;
  if (!args.includes('--skip-sqlite')) {
    sqlite = await sqliteRun(size, briefs);
    print(sqlite);
  }
  const figures: Record<string, number> = {};
  const one = results.find((r) => r.workers === 1);
  const two = results.find((r) => r.workers === 2);
  if (one && two) {
    figures['workers.two_vs_one'] = two.perSecond / one.perSecond;
    console.log(`2 workers vs 1: ${figures['workers.two_vs_one'].toFixed(2)}x (target >= 1.7x on 2 cores)`);
  }
  if (one && sqlite) {
    figures['workers.sqlite_vs_postgres'] = sqlite.perSecond / one.perSecond;
    console.log(`SQLite vs PostgreSQL, one worker: ${figures['workers.sqlite_vs_postgres'].toFixed(2)}x (target <= 2x)`);
  }
  for (const r of results) figures[`workers.postgres_${r.workers}_per_s`] = r.perSecond;
  if (one && two) {
    // CPU per article summed over workers: ≈ the same with 2 as with 1 when the extra worker adds no work of its own (scaling that the load cannot hide).
    const total = (r: RunResult) => r.cpuMsPerArticle.reduce((a, b) => a + b, 0);
    figures['workers.cpu_two_vs_one'] = total(two) / total(one);
    console.log(`CPU per article, 2 workers vs 1: ${figures['workers.cpu_two_vs_one'].toFixed(2)}x (1.00: no work added by the second worker)`);
    if (one.serverMsPerArticle !== null && two.serverMsPerArticle !== null) {
      figures['workers.cpu_with_server_two_vs_one'] = (total(two) + two.serverMsPerArticle) / (total(one) + one.serverMsPerArticle);
      console.log(`CPU per article with the PostgreSQL server's, 2 workers vs 1: ${figures['workers.cpu_with_server_two_vs_one'].toFixed(2)}x`);
    }
  }
  for (const r of results) {
    if (r.catchUpMsPerArticle !== null) figures[`workers.postgres_${r.workers}_catch_up_ms`] = r.catchUpMsPerArticle;
    if (r.serverMsPerArticle !== null) figures[`workers.postgres_${r.workers}_server_ms`] = r.serverMsPerArticle;
  }
  if (sqlite) figures['workers.sqlite_per_s'] = sqlite.perSecond;
  return { figures };
}

function print(r: RunResult): void {
  const cpu = r.cpuMsPerArticle.map((ms) => ms.toFixed(1)).join(' + ');
  const details = [
    r.clusterShare === null ? '' : `  clustering ${(100 * r.clusterShare).toFixed(0)}% of the run`,
    r.catchUpMsPerArticle === null ? '' : `  catching up ${r.catchUpMsPerArticle.toFixed(2)} ms/article`,
    r.serverMsPerArticle === null ? '' : `  server CPU ${r.serverMsPerArticle.toFixed(1)} ms/article`,
    r.compactions === null ? '' : `  compactions ${r.compactions}`,
  ].join('');
  console.log(`${r.label.padEnd(24)} ${r.seconds.toFixed(1).padStart(8)} s ${r.perSecond.toFixed(1).padStart(8)} articles/s  load ${r.load.toFixed(1)}  CPU ${cpu} ms/article${details}`);
}

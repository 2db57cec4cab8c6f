/**
 * `npm run bench -- serve [--stories 10000] [--connections 50] [--seconds 5]`
 *
 * Load on the HTTP API and pages over loopback, with the server in a child
 * process so the load generator does not share its event loop. The database
 * holds the demo story (examples/riyadh-talks, run through the real pipeline)
 * plus N synthetic stories: copies of the demo's story record with their own
 * ids, headlines and dates, each with a small briefing (the demo's articles
 * and some of its contradictions), so the story list pages through N stories
 * as it would in a large database. The story page and the briefing are the
 * demo story's full ones.
 *
 * For each endpoint: requests/s, p50, p99 and max latency at C concurrent
 * keep-alive connections; the baseline is /api/health measured the same way
 * in the same run (a database count and a tiny JSON answer), so the ratio says
 * what the endpoint costs beyond the server's own overhead on this machine.
 * Also the in-process time to render the demo story page from a cold cache.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { option } from './args.js';
import type { SuiteResult } from './run.js';
import type { Briefing } from '../src/brief/types.js';
import { ingestPaths } from '../src/pipeline/ingest.js';
import { processPending } from '../src/pipeline/process.js';
import { createApp } from '../src/server/index.js';
import { openStore } from '../src/store/index.js';
import { SqliteStore } from '../src/store/sqlite/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

async function buildDatabase(file: string, stories: number): Promise<string> {
  const store = SqliteStore.open(file);
  await ingestPaths(store, [path.join(here, '../examples/riyadh-talks')]);
  await processPending(store, { workers: 0 });
  const demo = (await store.listStories({ limit: 1 }))[0]!;
  const briefing = JSON.parse((await store.getBriefing(demo.id))!.data) as Briefing;
  const state = (await store.loadClustererState()) ?? '{}';
  const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  const records = [];
  for (let i = 0; i < stories; i++) {
    const id = `x${i}`;
    records.push({ id, headline: `${demo.headline} (${i})`, firstPublished: day(i % 365), lastPublished: day((i % 365) + (i % 5)), articleCount: 5, familyCount: 4, updatedAt: new Date().toISOString(), members: [] });
  }
  await store.saveStoryUpdate({ links: [], stories: records, redirects: [], clustererState: state });
  store.transaction(() => {
    for (let i = 0; i < stories; i++) {
      const small: Briefing = { ...briefing, id: `x${i}`, summary: [], facts: [], omissions: {}, quotes: [], actors: [], timeline: [], contradictions: briefing.contradictions.slice(0, i % 4) };
      void store.saveBriefing({ storyId: small.id, builtAt: new Date().toISOString(), articleCount: 5, data: JSON.stringify(small) });
    }
  });
  await store.close();
  return demo.id;
}

interface Measured { requests: number; seconds: number; p50: number; p99: number; max: number; errors: number }

/** C connections, each sending its next request when the last answered, for `seconds`. */
async function load(base: string, paths: string[], connections: number, seconds: number): Promise<Measured> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const end = performance.now() + seconds * 1000;
  const one = (url: string) => new Promise<void>((resolve) => {
    const started = performance.now();
    // As browsers do: the large pages are then sent gzipped (compressed once per story version).
    http.get(url, { agent, headers: { 'accept-encoding': 'gzip' } }, (res) => {
      res.resume();
      res.on('end', () => { latencies.push(performance.now() - started); if (res.statusCode !== 200) errors++; resolve(); });
    }).on('error', () => { errors++; resolve(); });
  });
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) await one(`${base}${paths[next++ % paths.length]}`);
  }));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { requests: latencies.length, seconds: elapsed, p50: at(0.5), p99: at(0.99), max: latencies.at(-1)!, errors };
}

async function startChild(db: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', db], { stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => { const m = /listening (\S+)/.exec(String(chunk)); if (m) resolve(m[1]!); });
    child.on('exit', (code) => reject(new Error(`the server exited with ${code}`)));
  });
  return { child, base };
}

export async function run(args: string[]): Promise<SuiteResult> {
  const stories = Number(option(args, 'stories', '10000'));
  const connections = Number(option(args, 'connections', '50'));
  const seconds = Number(option(args, 'seconds', '5'));
  const db = path.join(mkdtempSync(path.join(tmpdir(), 'tri-bench-serve-')), 'serve.db');
  let t = performance.now();
  const demo = await buildDatabase(db, stories);
  console.log(`database: demo story ${demo} + ${stories} synthetic stories, built in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  // Render time in this process: a cold story page (briefing read and parsed, article texts loaded, HTML rendered), then a warm one.
  const store = await openStore({ path: db });
  const app = await createApp({ store, loopbackOnly: true });
  await app.ready();
  const timeInject = async (url: string) => { const s = performance.now(); const r = await app.inject({ url, headers: { host: '127.0.0.1' } }); if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode}`); return performance.now() - s; };
  const cold = await timeInject(`/stories/${demo}`);
  const warmRuns: number[] = [];
  for (let i = 0; i < 20; i++) warmRuns.push(await timeInject(`/stories/${demo}`));
  const warm = warmRuns.sort((a, b) => a - b)[10]!;
  const coldApi = await timeInject(`/articles/${(await store.listArticles({ limit: 1 }))[0]!.id}`);
  await app.close();
  // A second server in the same process: empty caches, warm code: what each new story costs to show.
  const fresh = await createApp({ store, loopbackOnly: true });
  await fresh.ready();
  const s2 = performance.now();
  await fresh.inject({ url: `/stories/${demo}`, headers: { host: '127.0.0.1' } });
  const coldWarmCode = performance.now() - s2;
  await fresh.close();
  await store.close();
  console.log(`in process: story page first request ${cold.toFixed(1)} ms, not cached (code warm) ${coldWarmCode.toFixed(1)} ms, cached ${warm.toFixed(2)} ms; article page ${coldApi.toFixed(1)} ms`);

  const { child, base } = await startChild(db);
  const pages = Math.floor(stories / 20);
  const offsets = Array.from({ length: 200 }, (_, i) => (i * 37) % Math.max(pages, 1) * 20);
  const endpoints: Array<[string, string[]]> = [
    ['GET /api/health (baseline)', ['/api/health']],
    ['GET /api/stories (20 per page, 200 pages)', offsets.map((o) => `/api/stories?limit=20&offset=${o}`)],
    ['GET / (story list page, 200 pages)', offsets.map((o) => `/?offset=${o}`)],
    [`GET /api/stories/${demo} (briefing JSON)`, [`/api/stories/${demo}`]],
    [`GET /stories/${demo} (story page)`, [`/stories/${demo}`]],
  ];
  const figures: Record<string, number> = {};
  try {
    // One pass to warm caches and the JIT, as a long-running server is.
    for (const [, paths] of endpoints) await load(base, paths, connections, 1);
    let baseline = 0;
    console.log(`\n${connections} connections, ${seconds} s each, load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`${'endpoint'.padEnd(46)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}  p99/baseline`);
    for (const [name, paths] of endpoints) {
      const m = await load(base, paths, connections, seconds);
      if (!baseline) baseline = m.p99;
      console.log(`${name.padEnd(46)} ${(m.requests / m.seconds).toFixed(0).padStart(7)} ${m.p50.toFixed(1).padStart(8)} ${m.p99.toFixed(1).padStart(8)} ${m.max.toFixed(1).padStart(8)}  ${(m.p99 / baseline).toFixed(1)}x${m.errors ? `  ${m.errors} errors` : ''}`);
      figures[`serve.p99_ms.${name.split(' ')[1]}`] = m.p99;
    }
    console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log('target: p99 under 50 ms at 50 concurrent connections for the story page and the story list with 10k stories');
  } finally {
    child.kill('SIGTERM');
  }
  return { figures };
}

/** `--child DB`: the server under load, in its own process. */
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] === '--child') {
  const store = await openStore({ path: process.argv[3]! });
  const app = await createApp({ store, loopbackOnly: true });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  console.log(`listening ${address}`);
  process.on('SIGTERM', () => { void app.close().then(() => store.close()).then(() => process.exit(0)); });
}

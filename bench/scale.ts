/**
 * `npm run bench -- scale [--sizes 1000,10000,100000] [--workers N] [--skip-analysis]`
 *
 * Stores N generated articles (bench/generate.ts: deterministic stories with
 * wire copies, rewrites and independent reports) in a fresh SQLite database and
 * runs the pipeline over them without briefings (`processPending`), timing:
 * - with `--skip-analysis`, linking + clustering alone: reading each article
 *   and its stored analysis, preparing its text (tokens, signatures, sentence
 *   features: on the worker threads), MinHash/LSH linking, story assignment,
 *   saving stories, links and clusterer state;
 * - otherwise the same with analysis, which runs on the worker threads
 *   together with the preparation, overlapping linking and clustering on the
 *   main thread; end to end adds storing the articles (extraction excluded:
 *   the generator writes clean text).
 * Each size runs in its own child process, so its peak RSS (which includes
 * the worker threads) is its own. Wall time and CPU time
 * (`process.cpuUsage()`, all threads) are both printed, with the load average:
 * the machine is shared, and CPU time is the steadier figure under load.
 * `--skip-analysis` stores a minimal analysis (the analysis stage's sentence
 * spans, no actors) instead of running analysis, so linking + clustering can be
 * timed at sizes where analysis would take hours; end-to-end figures are then
 * not printed. Story NMI against the generator's stories is printed too.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ANALYZER_VERSION } from '../src/analyze/index.js';
import { splitSentences } from '../src/analyze/sentences.js';
import type { Analysis } from '../src/analyze/types.js';
import { processPending } from '../src/pipeline/process.js';
import { openStore } from '../src/store/index.js';
import { option } from './args.js';
import { nmi } from './cluster.js';
import { storeGenerated } from './generate.js';
import type { SuiteResult } from './run.js';

interface SizeResult {
  size: number;
  storeMs: number;
  /** `processPending`: linking + clustering, with analysis overlapping them unless skipped. */
  pipelineMs: number;
  pipelineCpuMs: number;
  totalMs: number;
  stories: number;
  peakRssMb: number;
  /** Live heap after linking + clustering (after a forced collection), before the store closes. */
  heapMb: number;
  /** Resident memory after storing, after linking + clustering (where the peak comes from). */
  rssMb: [number, number];
  /** NMI of the stories found against the generator's stories. */
  nmi: number;
  load: number;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function runSize(size: number, workers: number | undefined, skipAnalysis: boolean): Promise<SizeResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'triangulate-scale-'));
  const store = await openStore({ path: path.join(dir, 'scale.db') });
  try {
    const loadBefore = loadavg()[0]!;
    const started = performance.now();
    const generated = await storeGenerated(store, { articles: size, seed: 7 }, async (generated, articleId) => {
      if (!skipAnalysis) return;
      const analysis: Analysis = { sentences: splitSentences(generated.text), entities: [], actors: [], references: [], quotes: [], quantities: [], dates: [] };
      await store.saveAnalysis({ articleId, version: ANALYZER_VERSION, analysis });
    });
    const stored = performance.now();
    const rss = () => process.memoryUsage().rss / 1048576;
    const rssMb: [number, number] = [rss(), 0];
    const cpu = process.cpuUsage();
    const summary = await processPending(store, { briefings: false, workers });
    const pipelineCpuMs = cpuMs(cpu);
    const done = performance.now();
    rssMb[1] = rss();
    // Live heap, not garbage awaiting collection (the child runs with --expose-gc).
    (globalThis as { gc?: () => void }).gc?.();
    const heapMb = process.memoryUsage().heapUsed / 1048576;
    const found = await store.storiesOf(generated.map((g) => g.id));
    return {
      size,
      storeMs: stored - started,
      pipelineMs: done - stored,
      pipelineCpuMs,
      totalMs: done - started,
      stories: summary.stories.length,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      heapMb,
      rssMb,
      nmi: nmi(generated.map((g) => g.story), generated.map((g) => found.get(g.id) ?? g.id)),
      load: (loadBefore + loadavg()[0]!) / 2,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs one size in a child process (same loader flags), so peak memory is per size. */
function runChild(size: number, workers: number | undefined, skipAnalysis: boolean): SizeResult {
  const args = [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), '--scale-child', String(size), workers === undefined ? '-' : String(workers), skipAnalysis ? 'skip' : 'analyze'];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  const line = out.trim().split('\n').at(-1)!;
  return JSON.parse(line) as SizeResult;
}

export async function run(args: string[]): Promise<SuiteResult> {
  const sizes = (option(args, 'sizes', '1000,10000,100000') ?? '').split(',').map(Number).filter((n) => n > 0);
  const workersOption = option(args, 'workers');
  const workers = workersOption === undefined ? undefined : Number(workersOption);
  const skipAnalysis = args.includes('--skip-analysis');
  const results: SizeResult[] = [];
  console.log(`scale benchmark: sizes ${sizes.join(', ')}; analysis ${skipAnalysis ? 'skipped (minimal stored analyses)' : `workers ${workers ?? 'one per core'}`}`);
  const phase = skipAnalysis ? 'link+cluster' : 'analysis+link+cluster';
  console.log(`articles  load  store ms/art  ${phase} ms/art (cpu)  ${phase} art/s (cpu)  end-to-end ms/art  art/s  stories  NMI  peak RSS  heap  RSS after store/pipeline`);
  for (const size of sizes) {
    const r = runChild(size, workers, skipAnalysis);
    results.push(r);
    const per = (ms: number) => (ms / r.size).toFixed(3);
    const rate = (ms: number) => Math.round(r.size / (ms / 1000)).toString();
    console.log(
      `${String(size).padStart(8)} ${r.load.toFixed(1).padStart(5)} ${per(r.storeMs).padStart(13)}`
      + ` ${`${per(r.pipelineMs)} (${per(r.pipelineCpuMs)})`.padStart(phase.length + 14)} ${`${rate(r.pipelineMs)} (${rate(r.pipelineCpuMs)})`.padStart(phase.length + 13)}`
      + ` ${(skipAnalysis ? '-' : per(r.totalMs)).padStart(18)} ${(skipAnalysis ? '-' : rate(r.totalMs)).padStart(6)}`
      + ` ${String(r.stories).padStart(8)} ${r.nmi.toFixed(4)} ${r.peakRssMb.toFixed(0).padStart(6)} MB ${r.heapMb.toFixed(0).padStart(4)} MB  ${r.rssMb.map((m) => m.toFixed(0)).join('/')} MB`,
    );
  }
  const first = results[0]!;
  const last = results.at(-1)!;
  const growth = (pick: (r: SizeResult) => number) => (pick(last) / last.size) / (pick(first) / first.size);
  console.log(
    `per-article time, ${last.size} vs ${first.size}: ${phase} ${growth((r) => r.pipelineMs).toFixed(2)}x wall, ${growth((r) => r.pipelineCpuMs).toFixed(2)}x cpu`
    + (skipAnalysis ? '' : `; end to end ${growth((r) => r.totalMs).toFixed(2)}x wall`) + ' (target: within 1.5x)',
  );
  const figures: Record<string, number> = { 'scale.nmi': last.nmi };
  if (skipAnalysis) {
    figures['scale.link_cluster_articles_per_s'] = last.size / (last.pipelineMs / 1000);
    figures['scale.link_cluster_articles_per_cpu_s'] = last.size / (last.pipelineCpuMs / 1000);
    figures['scale.link_cluster_growth'] = growth((r) => r.pipelineMs);
    figures['scale.link_cluster_cpu_growth'] = growth((r) => r.pipelineCpuMs);
  } else {
    figures['scale.end_to_end_articles_per_s'] = last.size / (last.totalMs / 1000);
    figures['scale.end_to_end_growth'] = growth((r) => r.totalMs);
  }
  return { figures };
}

if (process.argv[2] === '--scale-child') {
  const [size, workers, mode] = process.argv.slice(3);
  const result = await runSize(Number(size), workers === '-' ? undefined : Number(workers), mode === 'skip');
  console.log(JSON.stringify(result));
  // Analysis workers' handles must not keep the child alive.
  process.exit(0);
}

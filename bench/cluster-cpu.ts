/**
 * `npm run bench -- cluster-cpu [--articles 10000] [--rounds 5] [--baseline REV] [--chunk 5000] [--profile]`
 *
 * The streaming clusterer alone, in CPU time per article: generated articles
 * (bench/generate.ts, seed 7) are prepared once (`prepareText`, not timed, as
 * the worker threads do in the pipeline), then fed to `StoryClusterer.assign`
 * with change tracking on; every `--chunk` articles the state is saved as the
 * pipeline saves it (`takeDelta` and `export`, each through JSON.stringify),
 * timed apart.
 *
 * With `--baseline REV` the clusterer of git revision REV (its
 * src/cluster/clusterer.ts, loaded from a temporary copy) runs in the same
 * process, alternating with the current one round by round, and the medians
 * of both are printed: a same-process A/B, steady under a shared machine's
 * load. Every assignment (story, created, merged, similarity), every delta and
 * the final exported state must be identical between the two, else the run
 * fails: a faster clusterer must give the same stories.
 * With `--googlenews DIR` as well, each GoogleNews set (bench/cluster.ts) is
 * also run through both, text only in file order, and must give identical
 * assignments and final states.
 * `--profile` runs the current clusterer once, for `node --cpu-prof`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoryClusterer } from '../src/cluster/index.js';
import type { AssignResult, ClusterableArticle } from '../src/cluster/index.js';
import { prepareText } from '../src/link/index.js';
import { option } from './args.js';
import { load, sets } from './cluster.js';
import { alternatingRounds, cpuMs, firstDifference, median, stageAtRevision } from './same-process.js';
import { generateArticles } from './generate.js';
import type { SuiteResult } from './run.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What the benchmark needs of a clusterer class (the current one and older revisions alike). */
interface ClustererLike {
  assign(article: ClusterableArticle): AssignResult;
  trackChanges(): void;
  takeDelta(): unknown;
  export(): unknown;
}
type ClustererClass = new () => ClustererLike;

interface RoundResult {
  assignMs: number;
  deltaMs: number;
  exportMs: number;
  /** Everything the clusterer produced, for the identity check (kept only when comparing). */
  trace: string[] | null;
}

function round(Clusterer: ClustererClass, inputs: ClusterableArticle[], chunk: number, keepTrace: boolean): RoundResult {
  const clusterer = new Clusterer();
  clusterer.trackChanges();
  const trace: string[] | null = keepTrace ? [] : null;
  let assignMs = 0;
  let deltaMs = 0;
  let exportMs = 0;
  const save = () => {
    let cpu = process.cpuUsage();
    const delta = JSON.stringify(clusterer.takeDelta());
    deltaMs += cpuMs(cpu);
    cpu = process.cpuUsage();
    const state = JSON.stringify(clusterer.export());
    exportMs += cpuMs(cpu);
    trace?.push(delta, state);
  };
  for (let start = 0; start < inputs.length; start += chunk) {
    const end = Math.min(inputs.length, start + chunk);
    const results: AssignResult[] = [];
    const cpu = process.cpuUsage();
    for (let i = start; i < end; i++) results.push(clusterer.assign(inputs[i]!));
    assignMs += cpuMs(cpu);
    if (trace) for (const result of results) trace.push(JSON.stringify(result));
    save();
  }
  return { assignMs, deltaMs, exportMs, trace };
}

/**
 * The clusterer class of git revision `rev`: its src/cluster modules written
 * to a temporary directory, with relative imports of other modules (the
 * shared text functions) pointing back into this tree. Its clusterer is fed
 * the content words as that revision took them (`contentWords`, an array,
 * before they came joined by spaces).
 */
async function baselineClass(rev: string): Promise<{ Clusterer: ClustererClass; cleanup: () => void }> {
  const { module, cleanup } = await stageAtRevision<{ StoryClusterer: ClustererClass }>(rev, 'cluster', 'clusterer.ts');
  const source = execFileSync('git', ['show', `${rev}:src/cluster/types.ts`], { cwd: root, encoding: 'utf8' });
  const Old = module.StoryClusterer;
  const Clusterer = source.includes('contentWords?: string[]')
    ? class extends (Old as new () => ClustererLike) {
        override assign(article: ClusterableArticle): AssignResult {
          const { content, ...rest } = article;
          return super.assign({ ...rest, contentWords: content === undefined ? undefined : content ? content.split(' ') : [] } as ClusterableArticle);
        }
      }
    : Old;
  return { Clusterer, cleanup };
}

export async function run(args: string[]): Promise<SuiteResult> {
  const size = Number(option(args, 'articles', '10000'));
  const rounds = Number(option(args, 'rounds', '5'));
  const chunk = Number(option(args, 'chunk', '5000'));
  const rev = option(args, 'baseline');
  const inputs: ClusterableArticle[] = [];
  for (const article of generateArticles({ articles: size, seed: 7 })) {
    const prepared = prepareText(article);
    inputs.push({ id: article.id, text: article.text, title: article.title, published: article.published, content: prepared.content });
  }
  const current = StoryClusterer as unknown as ClustererClass;
  if (args.includes('--profile')) {
    const r = round(current, inputs, chunk, false);
    console.log(`cluster-cpu profile run: ${size} articles, assign ${(r.assignMs / size).toFixed(4)} ms/article`);
    return { figures: {} };
  }
  const baseline = rev ? await baselineClass(rev) : null;
  const loads = [loadavg()[0]!];
  let results: Record<'baseline' | 'current', RoundResult[]>;
  try {
    // Round 0 of each compares the traces and warms up; it is not counted.
    const warm = round(current, inputs, chunk, baseline !== null);
    if (baseline) {
      const old = round(baseline.Clusterer, inputs, chunk, true);
      const difference = firstDifference(old.trace!, warm.trace!);
      if (difference) throw new Error(`the current clusterer differs from ${rev}: ${difference}`);
      console.log(`identical to ${rev}: ${size} assignments, ${Math.ceil(size / chunk)} deltas and exported states`);
    }
    const googlenews = option(args, 'googlenews');
    if (baseline && googlenews) {
      for (const set of sets) {
        const file = path.join(googlenews, set.file);
        if (!existsSync(file)) continue;
        const items: ClusterableArticle[] = load(file).map((item) => ({ id: item.id, text: item.text, title: null, published: null }));
        const difference = firstDifference(round(baseline.Clusterer, items, items.length, true).trace!, round(current, items, items.length, true).trace!);
        if (difference) throw new Error(`the current clusterer differs from ${rev} on GoogleNews ${set.name}: ${difference}`);
        console.log(`identical to ${rev} on GoogleNews ${set.name}: ${items.length} assignments and the final state`);
      }
    }
    results = alternatingRounds(rounds, baseline !== null, (side) => round(side === 'current' ? current : baseline!.Clusterer, inputs, chunk, false));
  } finally {
    baseline?.cleanup();
  }
  loads.push(loadavg()[0]!);
  const per = (xs: RoundResult[], pick: (r: RoundResult) => number) => median(xs.map(pick)) / size;
  console.log(`clusterer CPU ms/article over ${size} generated articles, median of ${rounds} rounds, state saved every ${chunk}; load ${loads.map((l) => l.toFixed(1)).join(' → ')}`);
  console.log('side        assign   takeDelta+JSON   export+JSON   total');
  const figures: Record<string, number> = {};
  for (const side of ['baseline', 'current'] as const) {
    const xs = results[side];
    if (!xs.length) continue;
    const parts = [per(xs, (r) => r.assignMs), per(xs, (r) => r.deltaMs), per(xs, (r) => r.exportMs), per(xs, (r) => r.assignMs + r.deltaMs + r.exportMs)];
    console.log(`${side.padEnd(9)} ${parts.map((p, i) => p.toFixed(4).padStart([8, 16, 13, 7][i]!)).join(' ')}`);
    figures[`cluster_cpu.${side}_ms_per_article`] = parts[3]!;
  }
  if (baseline) {
    const ratio = figures['cluster_cpu.current_ms_per_article']! / figures['cluster_cpu.baseline_ms_per_article']!;
    console.log(`current / baseline: ${ratio.toFixed(3)}`);
  }
  return { figures };
}

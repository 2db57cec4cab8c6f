/**
 * `npm run bench -- link-cpu [--articles 40000] [--rounds 3] [--baseline REV] [--segment 5000] [--profile]`
 *
 * The streaming linker alone, in CPU time per article, as the linker thread
 * runs it: generated articles (bench/generate.ts, seed 7) are prepared once
 * (`prepareText`, not timed, as the worker threads do), packed 32 to a buffer
 * as `LinkThread` sends them (`unpackRequest` gives the views the thread
 * gets), then fed to `Linker.add`. CPU is reported per `--segment` articles,
 * so what grows as the window fills (20,000 articles) and then slides shows.
 *
 * With `--baseline REV` the linker of git revision REV (its src/link,
 * loaded from a temporary copy) runs in the same process, alternating with
 * the current one round by round, and the medians of both are printed: a
 * same-process A/B, steady under a shared machine's load. Every article's
 * links must be identical between the two, else the run fails.
 * `--profile` runs the current linker once, for `node --cpu-prof`.
 */
import { loadavg } from 'node:os';
import { Linker, prepareText } from '../src/link/index.js';
import type { Link, LinkableArticle, PreparedText } from '../src/link/index.js';
import { unpackRequest, type LinkMeta } from '../src/pipeline/link-thread.js';
import { option } from './args.js';
import { alternatingRounds, cpuMs, firstDifference, median, stageAtRevision } from './same-process.js';
import { generateArticles } from './generate.js';
import type { SuiteResult } from './run.js';

/** What the benchmark needs of a linker class (the current one and older revisions alike). */
interface LinkerLike {
  add(article: LinkableArticle, prepared: PreparedText): Link[];
  lastCandidates: number;
}
type LinkerClass = new () => LinkerLike;

interface Input {
  article: LinkableArticle;
  prepared: PreparedText;
}

interface RoundResult {
  /** CPU ms of `add` per segment. */
  segmentMs: number[];
  candidates: number[];
  trace: string[] | null;
}

/** The inputs as the linker thread receives them: metas, and prepared texts as views into one buffer per 32 articles. */
function threadInputs(size: number): Input[] {
  const inputs: Input[] = [];
  let batch: Array<{ meta: LinkMeta; prepared: PreparedText }> = [];
  const flush = () => {
    const arrays = batch.map(({ prepared: p }) => [p.shingles, p.sentences.features, p.sentences.bounds, p.vocabulary]);
    const lengths = Uint32Array.from(arrays.flat().map((a) => a.length));
    const data = new Uint32Array(lengths.reduce((sum, n) => sum + n, 0));
    let at = 0;
    for (const array of arrays.flat()) {
      data.set(array, at);
      at += array.length;
    }
    const metas = batch.map((b) => b.meta);
    unpackRequest({ kind: 'add', metas, lengths, data }).forEach((prepared, i) => {
      inputs.push({ article: { ...metas[i]!, text: '', title: null, sentences: [] }, prepared });
    });
    batch = [];
  };
  for (const article of generateArticles({ articles: size, seed: 7 })) {
    const meta: LinkMeta = { id: article.id, published: article.published, outlet: article.outlet, provenance: article.provenance };
    batch.push({ meta, prepared: prepareText(article) });
    if (batch.length === 32) flush();
  }
  if (batch.length) flush();
  return inputs;
}

function round(Class: LinkerClass, inputs: Input[], segment: number, keepTrace: boolean): RoundResult {
  const linker = new Class();
  const trace: string[] | null = keepTrace ? [] : null;
  const segmentMs: number[] = [];
  const candidates: number[] = [];
  for (let start = 0; start < inputs.length; start += segment) {
    const end = Math.min(inputs.length, start + segment);
    let count = 0;
    const cpu = process.cpuUsage();
    for (let i = start; i < end; i++) {
      const links = linker.add(inputs[i]!.article, inputs[i]!.prepared);
      count += linker.lastCandidates;
      if (trace) trace.push(JSON.stringify(links));
    }
    segmentMs.push(cpuMs(cpu));
    candidates.push(count / (end - start));
  }
  return { segmentMs, candidates, trace };
}

/** The linker class of git revision `rev` (`stageAtRevision`). */
async function baselineClass(rev: string): Promise<{ Linker: LinkerClass; cleanup: () => void }> {
  const { module, cleanup } = await stageAtRevision<{ Linker: LinkerClass }>(rev, 'link', 'linker.ts');
  return { Linker: module.Linker, cleanup };
}

export async function run(args: string[]): Promise<SuiteResult> {
  const size = Number(option(args, 'articles', '40000'));
  const rounds = Number(option(args, 'rounds', '3'));
  const segment = Number(option(args, 'segment', '5000'));
  const rev = option(args, 'baseline');
  const inputs = threadInputs(size);
  const current = Linker as unknown as LinkerClass;
  if (args.includes('--profile')) {
    const r = round(current, inputs, segment, false);
    console.log(`link-cpu profile run: ${size} articles, ${r.segmentMs.map((ms) => (ms / segment).toFixed(3)).join(' ')} ms/article by segment`);
    return { figures: {} };
  }
  const baseline = rev ? await baselineClass(rev) : null;
  const loads = [loadavg()[0]!];
  let results: Record<'baseline' | 'current', RoundResult[]>;
  try {
    // Round 0 of each compares the links and warms up; it is not counted.
    const warm = round(current, inputs, segment, baseline !== null);
    if (baseline) {
      const old = round(baseline.Linker, inputs, segment, true);
      const difference = firstDifference(old.trace!, warm.trace!);
      if (difference) throw new Error(`the current linker differs from ${rev}: ${difference}`);
      console.log(`identical to ${rev}: the links of ${size} articles`);
    }
    results = alternatingRounds(rounds, baseline !== null, (side) => round(side === 'current' ? current : baseline!.Linker, inputs, segment, false));
  } finally {
    baseline?.cleanup();
  }
  loads.push(loadavg()[0]!);
  console.log(`linker CPU ms/article over ${size} generated articles by segment of ${segment}, median of ${rounds} rounds; load ${loads.map((l) => l.toFixed(1)).join(' → ')}`);
  const figures: Record<string, number> = {};
  const segments = Math.ceil(size / segment);
  for (const side of ['baseline', 'current'] as const) {
    const xs = results[side];
    if (!xs.length) continue;
    const perSegment = Array.from({ length: segments }, (_, s) => median(xs.map((r) => r.segmentMs[s]!)) / Math.min(segment, size - s * segment));
    const total = median(xs.map((r) => r.segmentMs.reduce((a, b) => a + b, 0))) / size;
    console.log(`${side.padEnd(9)} ${perSegment.map((ms) => ms.toFixed(3)).join(' ')}  all ${total.toFixed(3)}`);
    console.log(`${''.padEnd(9)} candidates/article ${xs[0]!.candidates.map((c) => c.toFixed(0)).join(' ')}`);
    figures[`link_cpu.${side}_ms_per_article`] = total;
    figures[`link_cpu.${side}_last_segment_ms_per_article`] = perSegment[segments - 1]!;
  }
  if (baseline) {
    const ratio = figures['link_cpu.current_ms_per_article']! / figures['link_cpu.baseline_ms_per_article']!;
    const last = figures['link_cpu.current_last_segment_ms_per_article']! / figures['link_cpu.baseline_last_segment_ms_per_article']!;
    console.log(`current / baseline: ${ratio.toFixed(3)} overall, ${last.toFixed(3)} over the last segment`);
  }
  return { figures };
}

/**
 * `npm run bench -- analyze [--data DIR] [--rounds N] [--warmup N] [--one-core]`
 *
 * Speed of the analysis stage (src/analyze/index.ts) in ms per 1,000 words,
 * for the whole stage and for each step in its order, warm (after a warm-up
 * round), as the median over several rounds. Texts:
 *   - no `--data`: examples/riyadh-talks/*.txt through `extract`, plus one
 *     text of at least 1,000 words per article, built by concatenating the
 *     articles (starting at that one, in a fixed order);
 *   - `--data DIR` (e.g. ../shared/bench/extraction/scrapinghub): the first
 *     100 ground-truth article bodies of DIR/ground-truth.json, or, when DIR
 *     has no ground-truth.json, its first 100 `.txt` files.
 * The baseline, timed in the same process on the same texts, is a plain regex
 * split into words; the ratio stage / baseline is the machine-independent
 * figure. The whole stage is also timed in CPU time, which a busy machine
 * inflates less than wall time, and per article (the mean text of the set).
 * Also prints the memory the loaded models take (V8 heap plus typed-array
 * buffers).
 *
 * One core: unpinned, the garbage collector and the compiler run on other
 * cores beside the analysis, so wall time understates what one core costs
 * (and CPU time, which counts every thread, is the honest figure).
 * `--one-core` runs the suite again under `taskset -c 0` (the same as
 * `taskset -c 0 npm run bench -- analyze`): every thread on one core, so wall
 * time is the one-core figure on an idle machine. The output says how many
 * cores the run had.
 * Returns `analyze.ms_per_1000_words` (a figure, not a floor).
 *
 * `--baseline REV` times the whole stage of git revision REV (src/analyze and
 * models/ as they were there, `stageAtRevision`) against this tree's in the
 * same process on the same texts, rounds alternating, and prints the median
 * per-round ratio current / baseline of CPU and wall time: the figure to
 * trust on a machine whose speed drifts between runs. With `--one-core` too,
 * on one core.
 *
 * `--dump FILE` times nothing: it writes the full analysis of every text (the
 * texts above plus 300 generated articles, bench/generate.ts seed 7; with
 * `--data`, all its texts) as JSON lines, so that a change meant to make the
 * stage faster can be checked to leave its output byte for byte the same
 * (`cmp before.jsonl after.jsonl`).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { SuiteResult } from './run.js';
import { option } from './args.js';
import { extract } from '../src/extract/index.js';
import { analyze } from '../src/analyze/index.js';
import { splitSentences } from '../src/analyze/sentences.js';
import { findEntities, loadTagger, sentenceTokens } from '../src/analyze/ner/index.js';
import { resolveActors } from '../src/analyze/actors.js';
import { findQuotes } from '../src/analyze/quotes.js';
import { findQuantities } from '../src/analyze/quantities.js';
import { findDates } from '../src/analyze/dates.js';
import { generateArticles } from './generate.js';
import { alternatingRounds, stageAtRevision } from './same-process.js';

interface BenchText { text: string; published: string | null; words: number }

const wordPattern = /\S+/g;
const countWords = (text: string): number => text.match(wordPattern)?.length ?? 0;

/** A garbage collector to call between measurements (exposed at run time; tsx does not pass --expose-gc). */
function collector(): () => void {
  if (global.gc) return global.gc;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function exampleTexts(): BenchText[] {
  const folder = path.resolve('examples/riyadh-talks');
  const articles: BenchText[] = [];
  for (const name of readdirSync(folder).filter((n) => n.endsWith('.txt')).sort()) {
    const file = path.join(folder, name);
    const { article } = extract({ input: file, bytes: readFileSync(file), format: 'text' });
    if (article) articles.push({ text: article.text, published: article.published, words: countWords(article.text) });
  }
  // Longer texts: each article followed by the next ones (wrapping) until 1,000 words.
  const long: BenchText[] = articles.map((first, k) => {
    const parts: string[] = [];
    let words = 0;
    for (let i = k; words < 1000; i = (i + 1) % articles.length) {
      parts.push(articles[i]!.text);
      words += articles[i]!.words;
    }
    const text = parts.join('\n\n');
    return { text, published: first.published, words: countWords(text) };
  });
  return [...articles, ...long];
}

function datasetTexts(dir: string, limit = 100): BenchText[] {
  const truthFile = path.join(dir, 'ground-truth.json');
  const bodies = existsSync(truthFile)
    ? Object.values(JSON.parse(readFileSync(truthFile, 'utf8')) as Record<string, { articleBody?: string }>).map((entry) => entry.articleBody ?? '')
    : readdirSync(dir).filter((name) => name.endsWith('.txt')).sort().map((name) => readFileSync(path.join(dir, name), 'utf8'));
  return bodies
    .filter((text) => text.trim().length > 0)
    .slice(0, limit)
    .map((text) => ({ text, published: null, words: countWords(text) }));
}

/** Writes the analysis of every text as one JSON line each (see `--dump`). */
function dumpAnalyses(file: string, data: string | undefined): void {
  const texts = data ? datasetTexts(data, Infinity) : exampleTexts();
  if (!data) {
    for (const article of generateArticles({ articles: 300, seed: 7 })) texts.push({ text: article.text, published: article.published, words: 0 });
  }
  const lines = texts.map(({ text, published }) => JSON.stringify(analyze({ text, published })));
  writeFileSync(file, `${lines.join('\n')}\n`);
  console.log(`wrote the analyses of ${texts.length} texts to ${file}`);
}

const steps = ['sentences', 'tokens', 'entities', 'actors', 'quotes', 'quantities', 'dates'] as const;
type Step = (typeof steps)[number];

type StepTimes = Record<Step, { wall: number; cpu: number }>;

/** One pass over every text, step by step (the order of `analyze`); wall-clock and CPU ms per step. */
function timeSteps(texts: BenchText[]): StepTimes {
  const ms = Object.fromEntries(steps.map((step) => [step, { wall: 0, cpu: 0 }])) as StepTimes;
  for (const { text, published } of texts) {
    let t = performance.now();
    let cpu = process.cpuUsage();
    const lap = (step: Step): void => {
      const now = performance.now();
      const cpuNow = process.cpuUsage();
      ms[step].wall += now - t;
      ms[step].cpu += (cpuNow.user - cpu.user + cpuNow.system - cpu.system) / 1000;
      t = now;
      cpu = cpuNow;
    };
    const sentences = splitSentences(text);
    lap('sentences');
    const tokens = sentenceTokens(text, sentences);
    lap('tokens');
    const mentions = findEntities(text, sentences, tokens);
    lap('entities');
    const { entities } = resolveActors(text, sentences, mentions, tokens);
    lap('actors');
    findQuotes(text, sentences, { people: entities.filter((e) => e.type === 'PER').map((e) => e.span) });
    lap('quotes');
    findQuantities(text, sentences);
    lap('quantities');
    findDates(text, published, sentences);
    lap('dates');
  }
  return ms;
}

/** Wall-clock and CPU ms of `analyze()` over every text (CPU time is steadier on a shared machine). */
function timeWhole(texts: BenchText[], stage: typeof analyze = analyze): { wall: number; cpu: number } {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (const { text, published } of texts) stage({ text, published });
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

/** The baseline: the same texts split into words by one regex. */
function timeBaseline(texts: BenchText[]): number {
  const start = performance.now();
  let sink = 0;
  // Ten passes: one is too short to time steadily.
  for (let pass = 0; pass < 10; pass += 1) for (const { text } of texts) sink += text.split(/\s+/).length;
  if (sink < 0) console.log(sink);
  return (performance.now() - start) / 10;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function run(args: string[]): Promise<SuiteResult> {
  const data = option(args, 'data');
  const dump = option(args, 'dump');
  if (dump) {
    dumpAnalyses(dump, data);
    return { figures: {} };
  }
  if (args.includes('--one-core') && availableParallelism() > 1) return onOneCore(args);
  const texts = data ? datasetTexts(data) : exampleTexts();
  const rounds = Number(option(args, 'rounds', data ? '5' : '9'));
  const warmup = Number(option(args, 'warmup', '5'));
  const baseline = option(args, 'baseline');
  if (baseline) return againstBaseline(baseline, texts, Number(option(args, 'rounds', '30')), warmup);
  const words = texts.reduce((sum, t) => sum + t.words, 0);
  const per1000 = (ms: number): number => (ms / words) * 1000;
  const gc = collector();

  // Heap of the loaded models: the NER tagger alone, then everything the first analysis loads.
  // Typed arrays live outside the V8 heap: count them too.
  const heapUsed = (): number => {
    const { heapUsed: used, arrayBuffers } = process.memoryUsage();
    return used + arrayBuffers;
  };
  gc();
  const heapStart = heapUsed();
  const loadStart = performance.now();
  loadTagger();
  const loadMs = performance.now() - loadStart;
  gc();
  const heapTagger = heapUsed();
  analyze({ text: texts[0]!.text, published: texts[0]!.published });
  gc();
  const heapAll = heapUsed();

  // Warm-up, then rounds; each round times the steps, the whole stage and the baseline.
  // Several warm-up passes: V8 is still re-optimising the taggers after the first few (rounds 2–4 ran 1.5× slower).
  for (let pass = 0; pass < warmup; pass += 1) {
    timeSteps(texts);
    timeWhole(texts);
    timeBaseline(texts);
  }
  const stepRounds = Object.fromEntries(steps.map((step) => [step, { wall: [] as number[], cpu: [] as number[] }])) as Record<Step, { wall: number[]; cpu: number[] }>;
  const wholeRounds: number[] = [];
  const wholeCpuRounds: number[] = [];
  const baselineRounds: number[] = [];
  const ratioRounds: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    gc();
    const stepMs = timeSteps(texts);
    for (const step of steps) {
      stepRounds[step].wall.push(per1000(stepMs[step].wall));
      stepRounds[step].cpu.push(per1000(stepMs[step].cpu));
    }
    const timed = timeWhole(texts);
    const whole = per1000(timed.wall);
    wholeCpuRounds.push(per1000(timed.cpu));
    const baseline = per1000(timeBaseline(texts));
    wholeRounds.push(whole);
    baselineRounds.push(baseline);
    ratioRounds.push(whole / baseline);
  }

  const wholeMs = median(wholeRounds);
  const baselineMs = median(baselineRounds);
  const label = data ? `${path.basename(path.resolve(data))} (first ${texts.length} bodies)` : `examples/riyadh-talks (${texts.length / 2} articles + ${texts.length / 2} texts of 1,000+ words)`;
  console.log(`\nanalysis stage on ${label}: ${texts.length} texts, ${words} words, median of ${rounds} rounds after ${warmup} warm-up passes`);
  console.log(' step         ms/1,000 words   CPU ms   share (of CPU)');
  const stepCpuTotal = steps.reduce((sum, step) => sum + median(stepRounds[step].cpu), 0);
  for (const step of steps) {
    const wall = median(stepRounds[step].wall);
    const cpu = median(stepRounds[step].cpu);
    console.log(` ${step.padEnd(12)} ${wall.toFixed(3).padStart(10)}   ${cpu.toFixed(3).padStart(10)}   ${((100 * cpu) / stepCpuTotal).toFixed(0).padStart(3)}%`);
  }
  const wholeCpuMs = median(wholeCpuRounds);
  console.log(` ${'whole stage'.padEnd(12)} ${wholeMs.toFixed(3).padStart(10)}   ${wholeCpuMs.toFixed(3).padStart(10)}   (analyze(); wall per round ${wholeRounds.map((v) => v.toFixed(2)).join(' ')})`);
  console.log(` ${'baseline'.padEnd(12)} ${baselineMs.toFixed(4).padStart(10)}      (text.split(/\\s+/))`);
  console.log(` ratio whole / baseline: ${median(ratioRounds).toFixed(0)}x (wall); CPU ms are process CPU time, all threads; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
  const perArticle = words / texts.length / 1000;
  console.log(`\nwhole stage per article (mean ${Math.round(words / texts.length)} words): ${(wholeMs * perArticle).toFixed(2)} ms wall, ${(wholeCpuMs * perArticle).toFixed(2)} ms CPU;`
    + ` per 1,000-word article: ${wholeMs.toFixed(2)} ms wall, ${wholeCpuMs.toFixed(2)} ms CPU`);
  const cores = availableParallelism();
  console.log(cores === 1
    ? 'one core: every thread of this process ran on one core (wall is the one-core figure when the machine is idle; CPU is under any load)'
    : `${cores} cores available: garbage collection and compilation ran beside the analysis; for the one-core figure add --one-core (or run under taskset -c 0)`);
  console.log(`\nmodels: NER tagger loads in ${loadMs.toFixed(0)} ms, heap and array buffers +${((heapTagger - heapStart) / 1e6).toFixed(1)} MB;`
    + ` everything loaded by the first analyze() +${((heapAll - heapStart) / 1e6).toFixed(1)} MB`);
  return { figures: { 'analyze.ms_per_1000_words': wholeMs } };
}

/** The whole stage of git revision `rev` against this tree's, alternating rounds in one process. */
async function againstBaseline(rev: string, texts: BenchText[], rounds: number, warmup: number): Promise<SuiteResult> {
  const { module, cleanup } = await stageAtRevision<{ analyze: typeof analyze }>(rev, 'analyze', 'index.ts', { models: true });
  try {
    const words = texts.reduce((sum, t) => sum + t.words, 0);
    const gc = collector();
    for (let pass = 0; pass < warmup; pass += 1) {
      timeWhole(texts, module.analyze);
      timeWhole(texts);
    }
    const times = alternatingRounds(rounds, true, (side) => {
      gc();
      return timeWhole(texts, side === 'baseline' ? module.analyze : analyze);
    });
    const per1000 = (ms: number): string => ((ms / words) * 1000).toFixed(2);
    const cpuRatios = times.current.map((c, i) => c.cpu / times.baseline[i]!.cpu);
    const wallRatios = times.current.map((c, i) => c.wall / times.baseline[i]!.wall);
    const quantile = (values: number[], q: number): number => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))]!;
    console.log(`\nanalysis stage, this tree against ${rev}, ${texts.length} texts, ${words} words, ${rounds} alternating rounds after ${warmup} warm-up passes (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores, ${availableParallelism()} available)`);
    for (const side of ['baseline', 'current'] as const) {
      const cpu = times[side].map((t) => t.cpu);
      const wall = times[side].map((t) => t.wall);
      console.log(` ${side.padEnd(9)} CPU ms per 1,000 words: median ${per1000(median(cpu))}, 10th percentile ${per1000(quantile(cpu, 0.1))}; wall median ${per1000(median(wall))}, 10th percentile ${per1000(quantile(wall, 0.1))}`);
    }
    console.log(` current / baseline per round: CPU median ${median(cpuRatios).toFixed(3)} (10th-90th percentile ${quantile(cpuRatios, 0.1).toFixed(3)}-${quantile(cpuRatios, 0.9).toFixed(3)}), wall median ${median(wallRatios).toFixed(3)}`);
    return { figures: {} };
  } finally {
    cleanup();
  }
}

/** Runs this suite again pinned to core 0 (`taskset -c 0`), with the same arguments. */
function onOneCore(args: string[]): SuiteResult {
  const script = process.argv[1]!;
  const child = spawnSync('taskset', ['-c', '0', process.execPath, ...process.execArgv, script, 'analyze', ...args], { stdio: 'inherit' });
  if (child.error || child.status !== 0) {
    throw new Error(`could not run the suite on one core (taskset -c 0): ${child.error?.message ?? `exit code ${child.status}`}`);
  }
  return { figures: {} };
}

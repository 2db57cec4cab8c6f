/**
 * `npm run bench -- paraphrase --data ../shared/bench/paraphrase/msrp` (the folder
 * or the dev file itself). Trains nothing: loads the committed model, scores
 * `msr_paraphrase_dev.txt` and prints accuracy, precision, recall and F1 next to
 * the all-yes baseline on the same file, then times `alignSentences` on a
 * synthetic 50-article story built from the same sentences.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { option } from './args.js';
import type { SuiteResult } from './run.js';
import { alignSentences, defaultModel, pairFeatures, prepare, type StorySentence } from '../src/brief/align/index.js';
import { readMsrp, type LabelledPair } from '../src/brief/align/msrp.js';

export async function run(args: string[]): Promise<SuiteResult> {
  let data = option(args, 'data', '../shared/bench/paraphrase/msrp')!;
  if (existsSync(data) && statSync(data).isDirectory()) data = path.join(data, 'msr_paraphrase_dev.txt');
  const pairs = readMsrp(data);
  if (pairs.length === 0) throw new Error(`no MSRP pairs in ${data}`);
  const model = defaultModel();

  const started = performance.now();
  const predictions = pairs.map((p) => model.probability(pairFeatures(prepare(p.a), prepare(p.b), model.idf)) >= model.file.threshold);
  const pairsPerSecond = pairs.length / ((performance.now() - started) / 1000);

  const ours = score(pairs, predictions);
  const allYes = score(pairs, pairs.map(() => true));
  console.log(`paraphrase: ${pairs.length} pairs from ${data}, threshold ${model.file.threshold}`);
  console.log('system      accuracy  precision  recall  F1');
  for (const [name, s] of [['model', ours], ['all-yes', allYes]] as const) {
    console.log(`${name.padEnd(10)}  ${f(s.accuracy)}    ${f(s.precision)}     ${f(s.recall)}  ${f(s.f1)}`);
  }
  console.log(`scoring: ${Math.round(pairsPerSecond)} pairs/s (tokenizing both sentences of every pair)`);
  console.log(`scoring prepared pairs: ${preparedPairMicroseconds(pairs).toFixed(1)} µs CPU per pair (the cost inside alignSentences)`);

  const story = syntheticStory(pairs, 50, 30);
  alignSentences(story.slice(0, 200)); // warm-up: model load and JIT
  const runs = 3;
  let groups = 0;
  const groupStart = performance.now();
  const cpuStart = process.cpuUsage();
  for (let r = 0; r < runs; r++) groups = alignSentences(story).length;
  const ms = (performance.now() - groupStart) / runs;
  const cpu = process.cpuUsage(cpuStart);
  // CPU time as well as wall time: the machines these run on are shared and wall time swings with load.
  const cpuMs = (cpu.user + cpu.system) / 1000 / runs;
  console.log(`grouping: ${story.length} sentences from 50 articles in ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU (${(ms / story.length).toFixed(3)} ms/sentence), ${groups} groups`);

  return { figures: { 'paraphrase.accuracy': ours.accuracy, 'paraphrase.f1': ours.f1 } };
}

/** CPU time of features and model on already tokenized pairs, after warm-up passes. */
function preparedPairMicroseconds(pairs: LabelledPair[]): number {
  const model = defaultModel();
  const prepared = pairs.map((p) => [prepare(p.a), prepare(p.b)] as const);
  let sink = 0;
  for (let r = 0; r < 3; r++) for (const [a, b] of prepared) sink += model.probability(pairFeatures(a, b, model.idf));
  const runs = 10;
  const cpu = process.cpuUsage();
  for (let r = 0; r < runs; r++) for (const [a, b] of prepared) sink += model.probability(pairFeatures(a, b, model.idf));
  const used = process.cpuUsage(cpu);
  if (Number.isNaN(sink)) throw new Error('a probability was NaN');
  return (used.user + used.system) / runs / prepared.length;
}

function f(x: number): string {
  return x.toFixed(4);
}

function score(pairs: LabelledPair[], predictions: boolean[]): { accuracy: number; precision: number; recall: number; f1: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let correct = 0;
  pairs.forEach((p, i) => {
    const yes = predictions[i];
    if (yes === (p.label === 1)) correct++;
    if (yes && p.label === 1) tp++;
    else if (yes) fp++;
    else if (p.label === 1) fn++;
  });
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return { accuracy: correct / pairs.length, precision, recall, f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

/**
 * A story of `articles` articles with `perArticle` sentences each, drawn
 * deterministically from the benchmark's sentences: each pair's two sentences go
 * to different articles, so the story holds real cross-article paraphrases and
 * many same-topic distractors.
 */
function syntheticStory(pairs: LabelledPair[], articles: number, perArticle: number): StorySentence[] {
  const story: StorySentence[] = [];
  let k = 0;
  for (let article = 0; story.length < articles * perArticle; article = (article + 1) % articles) {
    const p = pairs[k % pairs.length];
    const text = Math.floor(k / pairs.length) % 2 === 0 ? p.a : p.b;
    story.push({ articleId: `a${(article + (k % 7)) % articles}`, text });
    k++;
  }
  return story;
}

/**
 * `npm run bench -- cluster --data ../shared/bench/clustering/googlenews`
 *
 * Runs the streaming story clusterer over the GoogleNews sets in file order
 * (one pass) and prints NMI, ARI, stories found vs true and articles/s. Then
 * measures linking + clustering throughput on generated articles at two
 * sizes, with candidate counts, to show per-article cost does not grow.
 * Options: `--only TS,News-T` to run some sets, `--scale 1000,100000` for the
 * generated sizes (`--scale 0` skips them), `--set key=value` to override
 * clusterer options for an experiment.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
// Type-only import: a value import of run.ts from a suite deadlocks on run.ts's
// top-level await (exit code 13); `option` lives in args.ts for that reason.
import type { SuiteResult } from './run.js';
import { option } from './args.js';
import { StoryClusterer, type ClustererOptions } from '../src/cluster/index.js';
import { Linker, prepareText, type Link } from '../src/link/index.js';
import { generateArticles, type GeneratedArticle } from './generate.js';

interface Item {
  id: string;
  label: string;
  text: string;
}

export const sets: { name: string; file: string; key: string }[] = [
  { name: 'TS', file: 'TS.tsv', key: 'ts' },
  { name: 'News-T', file: 'News-T.jsonl', key: 'newst' },
  { name: 'News', file: 'News.jsonl', key: 'news' },
  { name: 'T', file: 'T.tsv', key: 't' },
  { name: 'S', file: 'S.tsv', key: 's' },
];

export function load(file: string): Item[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
  if (file.endsWith('.jsonl')) {
    return lines.map((line) => {
      const r = JSON.parse(line) as { Id: string; clusterNo: number; textCleaned: string };
      return { id: String(r.Id), label: String(r.clusterNo), text: r.textCleaned };
    });
  }
  return lines.map((line, i) => {
    const tab = line.indexOf('\t');
    return { id: String(i), label: line.slice(0, tab), text: line.slice(tab + 1) };
  });
}

/** Normalised mutual information, arithmetic-mean normalisation (scikit-learn's default). */
export function nmi(truth: string[], found: string[]): number {
  const n = truth.length;
  const { joint, a, b } = contingency(truth, found);
  const entropy = (m: Map<string, number>) => [...m.values()].reduce((h, c) => h - (c / n) * Math.log(c / n), 0);
  let mi = 0;
  for (const [key, c] of joint) {
    const [x, y] = key.split('\u0000') as [string, string];
    mi += (c / n) * Math.log((n * c) / (a.get(x)! * b.get(y)!));
  }
  const ha = entropy(a);
  const hb = entropy(b);
  lastHomogeneity = hb === 0 ? 1 : mi / ha;
  lastCompleteness = hb === 0 ? 1 : mi / hb;
  return ha + hb === 0 ? 1 : (2 * mi) / (ha + hb);
}
let lastHomogeneity = 0;
let lastCompleteness = 0;

/** Adjusted Rand index (Hubert & Arabie). */
export function ari(truth: string[], found: string[]): number {
  const n = truth.length;
  const { joint, a, b } = contingency(truth, found);
  const pairs = (x: number) => (x * (x - 1)) / 2;
  const sumJoint = [...joint.values()].reduce((s, c) => s + pairs(c), 0);
  const sumA = [...a.values()].reduce((s, c) => s + pairs(c), 0);
  const sumB = [...b.values()].reduce((s, c) => s + pairs(c), 0);
  const expected = (sumA * sumB) / pairs(n);
  const max = (sumA + sumB) / 2;
  return max === expected ? 1 : (sumJoint - expected) / (max - expected);
}

function contingency(truth: string[], found: string[]) {
  const joint = new Map<string, number>();
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  truth.forEach((t, i) => {
    const f = found[i]!;
    joint.set(`${t}\u0000${f}`, (joint.get(`${t}\u0000${f}`) ?? 0) + 1);
    a.set(t, (a.get(t) ?? 0) + 1);
    b.set(f, (b.get(f) ?? 0) + 1);
  });
  return { joint, a, b };
}

function overrides(args: string[]): Partial<ClustererOptions> {
  const out: Record<string, number> = {};
  args.forEach((arg, i) => {
    if (arg !== '--set') return;
    const [key, value] = (args[i + 1] ?? '').split('=');
    if (key && value !== undefined) out[key] = Number(value);
  });
  return out as Partial<ClustererOptions>;
}

function clusterSet(items: Item[], options: Partial<ClustererOptions>) {
  const clusterer = new StoryClusterer(options);
  let maxCandidates = 0;
  const start = performance.now();
  for (const item of items) {
    clusterer.assign({ id: item.id, text: item.text, title: null, published: null });
    maxCandidates = Math.max(maxCandidates, clusterer.lastCandidates);
  }
  const seconds = (performance.now() - start) / 1000;
  const found = items.map((item) => clusterer.resolve(storyOf(clusterer, item.id)));
  return { found, stories: clusterer.storyCount, perSecond: items.length / seconds, maxCandidates };
}

/** Story of an article, from the clusterer's stories (built once per run). */
function storyOf(clusterer: StoryClusterer, id: string): string {
  let map = storyMaps.get(clusterer);
  if (!map) {
    map = new Map();
    for (const story of clusterer.allStories()) for (const a of story.articles) map.set(a, story.id);
    storyMaps.set(clusterer, map);
  }
  return map.get(id) ?? `missing:${id}`;
}
const storyMaps = new WeakMap<StoryClusterer, Map<string, string>>();

export async function run(args: string[]): Promise<SuiteResult> {
  const data = option(args, 'data', '../shared/bench/clustering/googlenews')!;
  const only = option(args, 'only')?.split(',');
  const options = overrides(args);
  const figures: Record<string, number> = {};
  console.log(`clusterer options: ${JSON.stringify(options)}`);
  console.log('set      items  true  found    NMI     ARI   articles/s  max candidates');
  for (const set of sets) {
    if (only && !only.includes(set.name)) continue;
    const file = path.join(data, set.file);
    if (!existsSync(file)) continue;
    const items = load(file);
    const result = clusterSet(items, options);
    const truth = items.map((i) => i.label);
    const score = nmi(truth, result.found);
    const adjusted = ari(truth, result.found);
    const trueCount = new Set(truth).size;
    console.log(
      `${set.name.padEnd(7)} ${String(items.length).padStart(6)} ${String(trueCount).padStart(5)} ${String(result.stories).padStart(6)}  ${score.toFixed(4)}  ${adjusted.toFixed(4)}  ${result.perSecond.toFixed(0).padStart(10)}  ${result.maxCandidates}  h=${lastHomogeneity.toFixed(3)} c=${lastCompleteness.toFixed(3)}`,
    );
    figures[`cluster.${set.key}_nmi`] = round(score);
    figures[`cluster.${set.key}_ari`] = round(adjusted);
  }
  const sizes = (option(args, 'scale', '1000,100000') ?? '').split(',').map(Number).filter((n) => n > 0);
  for (const size of sizes) Object.assign(figures, scaleRun(size, options));
  return { figures };
}

/**
 * Linking + clustering over `size` generated articles: throughput, per-article
 * time over the first and the last thousand, candidate counts, link precision
 * and recall against the generator's truth, and clustering NMI.
 */
function scaleRun(size: number, options: Partial<ClustererOptions>): Record<string, number> {
  const linker = new Linker();
  const clusterer = new StoryClusterer(options);
  const articles: Pick<GeneratedArticle, 'id' | 'story' | 'origin'>[] = [];
  const links: Link[] = [];
  const found = new Map<string, string>();
  const window = Math.min(1000, size);
  let generateMs = 0;
  let workMs = 0;
  let firstMs = 0;
  let lastMs = 0;
  let maxLinkCandidates = 0;
  let maxStoryCandidates = 0;
  let clock = performance.now();
  let index = 0;
  for (const article of generateArticles({ articles: size, seed: 7 })) {
    const t0 = performance.now();
    generateMs += t0 - clock;
    const prepared = prepareText(article);
    links.push(...linker.add(article, prepared));
    const { storyId } = clusterer.assign({ ...article, content: prepared.content });
    found.set(article.id, storyId);
    clock = performance.now();
    const spent = clock - t0;
    workMs += spent;
    if (index < window) firstMs += spent;
    if (index >= size - window) lastMs += spent;
    maxLinkCandidates = Math.max(maxLinkCandidates, linker.lastCandidates);
    maxStoryCandidates = Math.max(maxStoryCandidates, clusterer.lastCandidates);
    articles.push({ id: article.id, story: article.story, origin: article.origin });
    index++;
  }
  const byId = new Map(articles.map((a) => [a.id, a]));
  // A link is right when both ends come from the same wire text (the wire, its copies, its rewrites).
  const family = (a: Pick<GeneratedArticle, 'story' | 'origin'>) => (a.origin.kind === 'independent' ? null : a.story);
  let right = 0;
  const linked = new Set<string>();
  const stats: Record<string, number[]> = { duplicate: [], rewrite: [] };
  for (const link of links) {
    const a = byId.get(link.from)!;
    const b = byId.get(link.to)!;
    const ok = family(a) !== null && family(a) === family(b);
    if (ok) right++;
    linked.add(link.from);
    linked.add(link.to);
    stats[link.kind]!.push(link.kind === 'duplicate' ? link.similarity : link.alignedShare);
  }
  const derived = articles.filter((a) => a.origin.kind === 'copy' || a.origin.kind === 'rewrite');
  const recall = derived.filter((a) => linked.has(a.id)).length / Math.max(1, derived.length);
  const precision = right / Math.max(1, links.length);
  const storyNmi = nmi(articles.map((a) => a.story), articles.map((a) => clusterer.resolve(found.get(a.id)!)));
  // A reduce, not Math.min(...xs): spreading 200,000 values overflows the stack.
  const span = (xs: number[]) => (xs.length ? `${xs.reduce((a, b) => Math.min(a, b)).toFixed(2)}–${xs.reduce((a, b) => Math.max(a, b)).toFixed(2)}` : '-');
  const firstPer = firstMs / window;
  const lastPer = lastMs / window;
  console.log(
    `\ngenerated ${size} articles (${new Set(articles.map((a) => a.story)).size} stories): link+cluster ${(size / (workMs / 1000)).toFixed(0)} articles/s, ` +
      `${firstPer.toFixed(3)} ms/article over the first ${window}, ${lastPer.toFixed(3)} over the last ${window} (ratio ${(lastPer / firstPer).toFixed(2)}); ` +
      `generation ${(generateMs / 1000).toFixed(1)} s not counted`,
  );
  console.log(
    `  max candidates per article: linker ${maxLinkCandidates}, clusterer ${maxStoryCandidates}; stories found ${clusterer.storyCount}; NMI ${storyNmi.toFixed(4)}`,
  );
  console.log(
    `  links ${links.length}: precision ${precision.toFixed(4)}, recall of copies/rewrites ${recall.toFixed(4)}; duplicate similarity ${span(stats.duplicate!)}, rewrite aligned share ${span(stats.rewrite!)}`,
  );
  return {
    [`cluster.generated${size}_link_precision`]: round(precision),
    [`cluster.generated${size}_link_recall`]: round(recall),
    [`cluster.generated${size}_nmi`]: round(storyNmi),
  };
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

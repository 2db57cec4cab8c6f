/**
 * `npm run bench -- brief [--articles 50] [--rounds 3]`
 *
 * Time to build one story's briefing on one core, for a story of N articles
 * made from real text: the five demo articles (examples/riyadh-talks) and
 * variants of them (sentences reordered, about one in five dropped), so the
 * story has the overlap a real multi-outlet story has. Analysis is done first
 * and not timed (it belongs to the analysis stage's own benchmark); the time
 * is `buildBriefing` alone, the median of several rounds after a warm-up.
 * Baseline in the same process: building the same story's sentence list and
 * content-word sets only, which every briefing step needs at least.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/analyze/index.js';
import { buildBriefing } from '../src/brief/index.js';
import { contentStems, storySentences, type StoryArticle, type StoryMaterial } from '../src/brief/material.js';
import { extract } from '../src/extract/index.js';
import { option } from './args.js';
import type { SuiteResult } from './run.js';
import { seededRandom } from './random.js';

const corpus = fileURLToPath(new URL('../examples/riyadh-talks/', import.meta.url));

function story(count: number): StoryMaterial {
  const originals = readdirSync(corpus).filter((f) => f.endsWith('.txt')).sort().map((file) => extract({ input: file, bytes: readFileSync(path.join(corpus, file)), format: 'text' }).article!);
  const rand = seededRandom(2025);
  const articles: StoryArticle[] = [];
  for (let n = 0; n < count; n++) {
    const base = originals[n % originals.length]!;
    let text = base.text;
    if (n >= originals.length) {
      const paragraphs = text.split('\n\n').filter(() => rand() > 0.2);
      for (let i = 0; i + 1 < paragraphs.length; i += 2) if (rand() < 0.3) [paragraphs[i], paragraphs[i + 1]] = [paragraphs[i + 1]!, paragraphs[i]!];
      text = paragraphs.join('\n\n');
    }
    const article = { ...base, id: `a${n}`, text, published: '2025-02-19' };
    articles.push({ article, analysis: analyze(article), family: `f${n}`, derivedFrom: null });
  }
  return { id: 'bench', articles, links: [] };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function run(args: string[]): Promise<SuiteResult> {
  const count = Number(option(args, 'articles', '50'));
  const rounds = Number(option(args, 'rounds', '3'));
  const material = story(count);
  const sentences = storySentences(material).length;
  buildBriefing(material);
  const wall: number[] = [];
  const cpu: number[] = [];
  const baseline: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    for (const s of storySentences(material)) contentStems(s.text);
    baseline.push(performance.now() - started);
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    const briefing = buildBriefing(material);
    wall.push(performance.now() - wallStart);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
    if (r === 0) console.log(`story: ${count} articles, ${sentences} sentences -> ${briefing.facts.length} facts, ${briefing.contradictions.length} contradictions, ${briefing.quotes.length} quotes`);
  }
  const [w, c, b] = [median(wall), median(cpu), median(baseline)];
  console.log(`briefing: ${w.toFixed(0)} ms wall, ${c.toFixed(0)} ms CPU (median of ${rounds}); baseline (sentences + content words) ${b.toFixed(0)} ms; ratio ${(w / b).toFixed(1)}x`);
  console.log(`target: a 50-article story in under 2,000 ms on one core`);
  return { figures: { 'brief.ms_per_story': w, 'brief.cpu_ms_per_story': c } };
}

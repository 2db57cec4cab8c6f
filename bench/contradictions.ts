/**
 * `npm run bench -- contradictions --data DIR` (the extraction benchmark layout:
 * `ground-truth.json` = {id: {articleBody, url}}).
 *
 * For each real article it writes a controlled variant: sentences reordered and
 * some dropped, and exactly one of: a number changed (to a conflicting value, or
 * to a compatible one such as "about N" / "more than N-1"), a date changed, a
 * person's title changed, a person's name changed, or nothing changed. The pair
 * is briefed as one story of two independent sources, and the contradictions
 * found are compared with the planted change:
 * - changed fact: a reported contradiction is correct when it has the planted
 *   kind and a claim inside the changed sentence of the variant; every other
 *   reported contradiction is a false positive (the texts agree elsewhere).
 *   precision = correct / reported; recall = found changes / planted changes.
 * - verdict: the same, counting a detection as correct only with the right
 *   verdict (conflicting, or compatible for the compatible number changes).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../src/analyze/index.js';
import type { Analysis } from '../src/analyze/types.js';
import { buildBriefing } from '../src/brief/index.js';
import type { ContradictionKind, Verdict } from '../src/brief/types.js';
import { option } from './args.js';
import type { SuiteResult } from './run.js';
import { seededRandom } from './random.js';

type ChangeKind = ContradictionKind | 'none';

interface Variant {
  text: string;
  change: ChangeKind;
  verdict: Verdict | null;
  /** Span of the changed sentence in the variant text. */
  changed: [number, number] | null;
  description: string;
}

const PUBLISHED = '2025-01-15T12:00:00Z';
const PLAN: ChangeKind[] = ['number', 'date', 'title', 'name', 'none'];
const REPLACEMENT_NAMES = ['Daniel Okafor', 'Maria Lindqvist', 'Tomasz Wierzbicki', 'Aiko Tanabe', 'Rafael Quintero'];
const REPLACEMENT_TITLES: Record<string, string> = {
  president: 'Prime Minister', 'prime minister': 'President', senator: 'Governor', governor: 'Senator', minister: 'Ambassador',
  ambassador: 'Minister', secretary: 'Senator', chancellor: 'President', mayor: 'Governor', ceo: 'Chairman', chairman: 'CEO',
};

interface SentenceText { text: string; index: number }

/** Applies one change to one sentence; returns null when the article offers nothing of that kind. */
function changeSentence(kind: ChangeKind, sentences: SentenceText[], original: string, analysis: Analysis, rand: () => number): { index: number; text: string; verdict: Verdict | null; description: string } | null {
  const sentenceOf = (offset: number) => analysis.sentences.findIndex((s) => offset >= s.span[0] && offset < s.span[1]);
  const edit = (span: [number, number], replacement: string) => {
    const index = sentenceOf(span[0]);
    const [start] = analysis.sentences[index]!.span;
    const sentence = sentences[index]!.text;
    return { index, text: sentence.slice(0, span[0] - start) + replacement + sentence.slice(span[1] - start) };
  };
  switch (kind) {
    case 'number': {
      const candidates = analysis.quantities.filter((q) => q.unit !== '' && q.bound === 'exact' && q.value >= 2 && q.value < 1e7 && /\d/.test(original.slice(q.span[0], q.span[1])));
      if (candidates.length === 0) return null;
      const q = candidates[Math.floor(rand() * candidates.length)]!;
      const surface = original.slice(q.span[0], q.span[1]);
      const digits = /\d[\d,]*(\.\d+)?/.exec(surface)!;
      const compatible = rand() < 0.4;
      if (compatible) {
        const replacement = `about ${surface}`;
        return { ...edit(q.span, replacement), verdict: 'compatible', description: `${surface} -> ${replacement}` };
      }
      const value = Number(digits[0].replace(/,/g, ''));
      const changed = Math.round(value * (rand() < 0.5 ? 1.5 : 0.5)) || value + 3;
      const replacement = surface.replace(digits[0], changed.toLocaleString('en-US'));
      return { ...edit(q.span, replacement), verdict: 'conflicting', description: `${surface} -> ${replacement}` };
    }
    case 'date': {
      const candidates = analysis.dates.filter((d) => d.granularity === 'day' && /\d/.test(original.slice(d.span[0], d.span[1])));
      if (candidates.length === 0) return null;
      const d = candidates[Math.floor(rand() * candidates.length)]!;
      const surface = original.slice(d.span[0], d.span[1]);
      const day = /\b([12]?\d|3[01])\b/.exec(surface);
      if (!day) return null;
      const shifted = ((Number(day[1]) + 8) % 28) + 1;
      const replacement = surface.replace(day[0], String(shifted));
      return { ...edit(d.span, replacement), verdict: 'conflicting', description: `${surface} -> ${replacement}` };
    }
    case 'title': {
      for (const actor of analysis.actors) {
        for (const role of actor.roles) {
          const words = original.slice(role.span[0], role.span[1]);
          const key = Object.keys(REPLACEMENT_TITLES).find((k) => new RegExp(`\\b${k}\\b`, 'i').test(words));
          if (!key) continue;
          const replacement = words.replace(new RegExp(`\\b${key}\\b`, 'i'), REPLACEMENT_TITLES[key]!);
          return { ...edit(role.span, replacement), verdict: 'conflicting', description: `${words} -> ${replacement}` };
        }
      }
      return null;
    }
    case 'name': {
      const people = analysis.entities.filter((e) => e.type === 'PER' && original.slice(e.span[0], e.span[1]).split(' ').length === 2);
      if (people.length === 0) return null;
      const person = people[Math.floor(rand() * people.length)]!;
      const replacement = REPLACEMENT_NAMES[Math.floor(rand() * REPLACEMENT_NAMES.length)]!;
      return { ...edit(person.span, replacement), verdict: 'conflicting', description: `${original.slice(person.span[0], person.span[1])} -> ${replacement}` };
    }
    default:
      return null;
  }
}

function makeVariant(original: string, analysis: Analysis, kind: ChangeKind, seed: number): Variant | null {
  const rand = seededRandom(seed);
  const sentences = analysis.sentences.map((s, index) => ({ text: original.slice(s.span[0], s.span[1]), index }));
  let changedIndex = -1;
  let verdict: Verdict | null = null;
  let description = 'no change';
  if (kind !== 'none') {
    const change = changeSentence(kind, sentences, original, analysis, rand);
    if (!change) return null;
    sentences[change.index] = { text: change.text, index: change.index };
    changedIndex = change.index;
    verdict = change.verdict;
    description = change.description;
  }
  // Drop about one sentence in seven (never the changed one) and swap neighbouring pairs.
  const kept = sentences.filter((s) => s.index === changedIndex || rand() > 0.15);
  for (let i = 0; i + 1 < kept.length; i += 2) if (rand() < 0.3) [kept[i], kept[i + 1]] = [kept[i + 1]!, kept[i]!];
  let text = '';
  let changed: [number, number] | null = null;
  for (const s of kept) {
    if (text) text += '\n\n';
    if (s.index === changedIndex) changed = [text.length, text.length + s.text.length];
    text += s.text;
  }
  return { text, change: kind, verdict, changed, description };
}

export async function run(args: string[]): Promise<SuiteResult> {
  const dir = option(args, 'data');
  if (!dir) throw new Error('give --data DIR (a folder with ground-truth.json, e.g. ../shared/bench/extraction/scrapinghub)');
  const limit = Number(option(args, 'limit', String(Number.MAX_SAFE_INTEGER)));
  const truth = JSON.parse(readFileSync(path.join(dir, 'ground-truth.json'), 'utf8')) as Record<string, { articleBody: string }>;
  const ids = Object.keys(truth).sort().slice(0, limit);

  let reported = 0;
  let correctChange = 0;
  let correctVerdict = 0;
  let planted = 0;
  const perKind = new Map<ChangeKind, { planted: number; found: number; verdict: number; falsePositives: number }>();
  const started = performance.now();
  let briefed = 0;
  for (const [n, id] of ids.entries()) {
    const body = truth[id]!.articleBody.replace(/\n\s*\n?/g, '\n\n').trim();
    if (body.split(/\s+/).length < 120) continue;
    const original = { text: body, published: PUBLISHED };
    const analysis = analyze(original);
    // Each article gets the next kind in the plan that it can carry (falling back to no change).
    let variant: Variant | null = null;
    for (let k = 0; k < PLAN.length && !variant; k++) variant = makeVariant(body, analysis, PLAN[(n + k) % PLAN.length]!, n * 7919 + k);
    if (!variant) continue;
    const variantArticle = { text: variant.text, published: PUBLISHED };
    const common = { input: '', outlet: null, url: null, provenance: [] };
    const briefing = buildBriefing({
      id: `bench-${id}`,
      links: [],
      articles: [
        { article: { ...common, id: 'original', title: null, ...original }, analysis, family: 'original', derivedFrom: null },
        { article: { ...common, id: 'variant', title: null, ...variantArticle }, analysis: analyze(variantArticle), family: 'variant', derivedFrom: null },
      ],
    });
    briefed++;
    const stats = perKind.get(variant.change) ?? { planted: 0, found: 0, verdict: 0, falsePositives: 0 };
    perKind.set(variant.change, stats);
    if (variant.change !== 'none') { planted++; stats.planted++; }
    let found = false;
    for (const c of briefing.contradictions) {
      reported++;
      const hits = variant.changed !== null && c.kind === variant.change
        && c.claims.some((claim) => claim.article === 'variant' && claim.span[0] >= variant!.changed![0] && claim.span[1] <= variant!.changed![1]);
      if (hits && !found) {
        found = true;
        correctChange++;
        stats.found++;
        if (c.verdict === variant.verdict) { correctVerdict++; stats.verdict++; }
      } else {
        stats.falsePositives++;
        if (args.includes('--verbose')) console.log(`false positive (${variant.change}: ${variant.description}): ${c.kind} ${c.verdict} ${c.claims.map((x) => `${x.article}: ${x.text}`).join(' | ')}`);
      }
    }
    if (!found && variant.change !== 'none' && args.includes('--verbose')) console.log(`missed ${variant.change}: ${variant.description}`);
  }
  const elapsed = performance.now() - started;
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const figures = {
    'contradictions.precision': ratio(correctChange, reported),
    'contradictions.recall': ratio(correctChange, planted),
    'contradictions.verdict_precision': ratio(correctVerdict, reported),
    'contradictions.verdict_recall': ratio(correctVerdict, planted),
  };
  console.log(`contradictions benchmark: ${briefed} article pairs from ${dir} (${planted} with a planted change)`);
  console.log('kind      planted  found  right verdict  false positives');
  for (const [kind, s] of [...perKind].sort()) console.log(`${kind.padEnd(9)} ${String(s.planted).padStart(7)} ${String(s.found).padStart(6)} ${String(s.verdict).padStart(14)} ${String(s.falsePositives).padStart(16)}`);
  console.log(`changed fact: precision ${figures['contradictions.precision'].toFixed(3)}  recall ${figures['contradictions.recall'].toFixed(3)}`);
  console.log(`verdict:      precision ${figures['contradictions.verdict_precision'].toFixed(3)}  recall ${figures['contradictions.verdict_recall'].toFixed(3)}`);
  console.log(`time: ${(elapsed / Math.max(briefed, 1)).toFixed(1)} ms per pair (analysis of both articles and the briefing)`);
  return { figures };
}

/**
 * `npm run bench -- quotes --data ../shared/bench/quotes/polnear/dev [--verbose]`
 *   (`--verbose` lists gold direct quotes missed (MISS) or cut differently (CONTENT),
 *   predicted direct quotes matching no gold one (EXTRA), and speaker errors (SPEAKER))
 * `npm run bench -- quotes --data ../shared/bench/quotes/polnear/train --holdout --model FILE`
 *   (a model trained with `scripts/train-quotes.ts --holdout --out FILE`, scored on
 *   the tenth of train it left out: the figures to tune on)
 * `npm run bench -- quotes --data ../shared/bench/quotes/polnear/train --agreement`
 *   (no system: on the articles two annotators annotated, the second annotator's file scored
 *   against the first with the same figures, i.e. how far two people agree on what is scored;
 *   `--two-annotators` scores the system on those same articles, with `--cv DIR` on train)
 * `npm run bench -- quotes --data ../shared/bench/quotes/polnear/train --cv DIR`
 *   (DIR holding fold0.json.gz … fold9.json.gz from `scripts/train-quotes.ts --fold K`:
 *   every train article scored by the model that did not see it; `--folds 0,1,2`
 *   scores only those folds, for a quicker look)
 *
 * Scores findQuotes against PolNeAR (brat standoff: `text/<article>.txt`,
 * `attributions/<article>_<annotator>.ann`). Where several annotators
 * annotated an article, the first `.ann` in sorted file-name order is used.
 *
 * Conversions, both sides to PolNeAR's conventions:
 * - a gold span in several pieces (`12 40;45 80`, and Content2) is scored as
 *   its extent, first start to last end;
 * - predicted quotes sharing one cue span are one attribution (a quote split
 *   by "he said", a partial quote inside reported speech), scored as the
 *   extent of their contents; direct-quote spans are widened to include their
 *   quote marks, as PolNeAR's are.
 *
 * Figures: exact-match P/R/F1 of Source, Cue and Content spans over all
 * attributions; for gold direct quotes (content starting and ending with a
 * quote mark), content F1 and speaker accuracy (of the gold direct quotes
 * found, i.e. overlapped by more than half by a predicted direct quote, the
 * share whose source matches exactly, and by overlap). Also ms per article
 * for splitSentences + findQuotes + findQuantities + findDates.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SuiteResult } from './run.js';
import { option } from './args.js';
import { groupBy } from '../src/collections.js';
import type { Span } from '../src/types.js';
import { splitSentences } from '../src/analyze/sentences.js';
import { findQuotes, useTaggerModel } from '../src/analyze/quotes.js';
import { findQuantities } from '../src/analyze/quantities.js';
import { findDates } from '../src/analyze/dates.js';

interface Attribution {
  source: Span | null;
  cue: Span | null;
  content: Span | null;
}

interface Counts { tp: number; fp: number; fn: number }

const OPEN_MARKS = '“"‘«`\'';
const CLOSE_MARKS = '”"’»\'';

function extent(spans: Span[]): Span | null {
  if (spans.length === 0) return null;
  return [Math.min(...spans.map((s) => s[0])), Math.max(...spans.map((s) => s[1]))];
}

/** One gold attribution with every piece of each role (a role may be split: `12 40;45 80`, Content2). */
export interface GoldAttribution {
  source: Span[];
  cue: Span[];
  content: Span[];
}

/** Reads the attribution relations of one brat `.ann` file (relations without content are dropped). */
export function readAnnotations(ann: string): GoldAttribution[] {
  const spans = new Map<string, Span[]>();
  const relations: Record<string, string[]>[] = [];
  for (const line of ann.split('\n')) {
    const fields = line.split('\t');
    if (fields.length < 2) continue;
    if (fields[0].startsWith('T')) {
      const [, ranges] = /^\S+ (.*)$/.exec(fields[1]) ?? [];
      if (!ranges) continue;
      spans.set(fields[0], ranges.split(';').map((r) => r.trim().split(/\s+/).map(Number) as Span));
    } else if (fields[0].startsWith('E')) {
      const roles: Record<string, string[]> = {};
      for (const part of fields[1].split(/\s+/)) {
        const [role, id] = part.split(':');
        if (!role || !id) continue;
        const name = role.replace(/\d+$/, '');
        (roles[name] ??= []).push(id);
      }
      relations.push(roles);
    }
  }
  const of = (ids: string[] | undefined) => (ids ?? []).flatMap((id) => spans.get(id) ?? []);
  return relations
    .filter((r) => r.Attribution || r['Attribution-no-source'])
    .map((r) => ({ source: of(r.Source), cue: of(r.Cue), content: of(r.Content) }))
    .filter((r) => r.content.length > 0);
}

/** Gold attributions scored as extents: a role in several pieces counts as first start to last end. */
function readGold(ann: string): Attribution[] {
  return readAnnotations(ann).map((r) => ({ source: extent(r.source), cue: extent(r.cue), content: extent(r.content) }));
}

/** The `.ann` file used for each article: the first in sorted file-name order. */
export function firstAnnotations(annDir: string): Map<string, string> {
  return new Map([...annotationsByArticle(annDir)].map(([article, files]) => [article, files[0]!]));
}

/** Every annotator's `.ann` file for each article, in sorted file-name order (the first is the one scored). */
function annotationsByArticle(annDir: string): Map<string, string[]> {
  return groupBy(readdirSync(annDir).filter((name) => name.endsWith('.ann')).sort(), (f) => f.replace(/_[0-9a-f]+\.ann$/, ''));
}

/** An annotator's attributions as if predicted: a direct one is one whose content is a quote. */
function annotatorAttributions(text: string, ann: string): { attributions: Attribution[]; direct: Attribution[] } {
  const attributions = readGold(ann);
  return { attributions, direct: attributions.filter((a) => a.content && isDirect(text, a.content)) };
}

/** Groups predicted quotes by cue into PolNeAR-style attributions. */
function predict(text: string): { attributions: Attribution[]; direct: Attribution[] } {
  const sentences = splitSentences(text);
  const quotes = findQuotes(text, sentences);
  const groups = new Map<string, { source: Span | null; cue: Span | null; contents: Span[]; direct: boolean }>();
  quotes.forEach((q, i) => {
    const key = q.cue ? `${q.cue.span[0]}:${q.cue.span[1]}` : `none${i}`;
    const span = q.direct ? widenToMarks(text, q.span) : q.span;
    const group = groups.get(key) ?? { source: q.speaker?.span ?? null, cue: q.cue?.span ?? null, contents: [], direct: true };
    group.contents.push(span);
    group.direct &&= q.direct;
    groups.set(key, group);
  });
  const attributions: Attribution[] = [];
  const direct: Attribution[] = [];
  for (const g of groups.values()) {
    const a = { source: g.source, cue: g.cue, content: extent(g.contents) };
    attributions.push(a);
    if (g.direct) direct.push(a);
  }
  return { attributions, direct };
}

function widenToMarks(text: string, [s, e]: Span): Span {
  if (text.slice(s - 2, s) === "''" || text.slice(s - 2, s) === '``') s -= 2;
  else if (OPEN_MARKS.includes(text[s - 1] ?? '')) s -= 1;
  if (text.slice(e, e + 2) === "''") e += 2;
  else if (CLOSE_MARKS.includes(text[e] ?? '')) e += 1;
  return [s, e];
}

function isDirect(text: string, span: Span): boolean {
  const t = text.slice(span[0], span[1]).trim();
  return t.length > 1 && OPEN_MARKS.includes(t[0]) && CLOSE_MARKS.includes(t[t.length - 1]);
}

function count(gold: (Span | null)[], predicted: (Span | null)[], into: Counts): void {
  const remaining = new Map<string, number>();
  for (const g of gold) if (g) remaining.set(`${g[0]}:${g[1]}`, (remaining.get(`${g[0]}:${g[1]}`) ?? 0) + 1);
  let goldTotal = 0;
  for (const g of gold) if (g) goldTotal++;
  let tp = 0;
  let predTotal = 0;
  for (const p of predicted) {
    if (!p) continue;
    predTotal++;
    const key = `${p[0]}:${p[1]}`;
    const left = remaining.get(key) ?? 0;
    if (left > 0) { tp++; remaining.set(key, left - 1); }
  }
  into.tp += tp;
  into.fp += predTotal - tp;
  into.fn += goldTotal - tp;
}

function prf(c: Counts): { p: number; r: number; f1: number } {
  const p = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 0;
  const r = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 0;
  return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0 };
}

function overlap(a: Span, b: Span): number {
  return Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
}

export async function run(args: string[]): Promise<SuiteResult> {
  const data = option(args, 'data', '../shared/bench/quotes/polnear/dev')!;
  const verbose = args.includes('--verbose');
  const textDir = path.join(data, 'text');
  const annDir = path.join(data, 'attributions');
  const model = option(args, 'model');
  if (model) useTaggerModel(path.resolve(model));
  // --holdout: only every tenth article, the slice `scripts/train-quotes.ts --holdout` leaves out.
  const holdout = args.includes('--holdout');
  const cv = option(args, 'cv');
  // --agreement: only articles with a second annotator, whose file stands in for the system;
  // --two-annotators: the system scored on those same articles.
  const agreement = args.includes('--agreement');
  const twoAnnotators = agreement || args.includes('--two-annotators');
  const byArticle = annotationsByArticle(annDir);
  const articlesWithFold = [...byArticle].map(([article, files], i) => ({ article, ann: files[0]!, second: files[1], fold: i % 10 }))
    .filter((x) => (!holdout || x.fold === 0) && (!twoAnnotators || x.second));
  const folds = option(args, 'folds')?.split(',').map(Number);
  if (folds) articlesWithFold.splice(0, articlesWithFold.length, ...articlesWithFold.filter((x) => folds.includes(x.fold)));
  // --cv: fold by fold, each with the model trained without it.
  if (cv) articlesWithFold.sort((x, y) => x.fold - y.fold);
  let loadedFold = -1;

  const source: Counts = { tp: 0, fp: 0, fn: 0 };
  const cue: Counts = { tp: 0, fp: 0, fn: 0 };
  const content: Counts = { tp: 0, fp: 0, fn: 0 };
  const directContent: Counts = { tp: 0, fp: 0, fn: 0 };
  let directFound = 0;
  let speakerExact = 0;
  let speakerOverlap = 0;
  let goldDirectTotal = 0;
  let ms = 0;
  let articles = 0;
  let words = 0;

  for (const { article, ann, second, fold } of articlesWithFold) {
    if (cv && fold !== loadedFold) {
      useTaggerModel(path.resolve(cv, `fold${fold}.json.gz`));
      loadedFold = fold;
    }
    const text = readFileSync(path.join(textDir, `${article}.txt`), 'utf8');
    const gold = readGold(readFileSync(path.join(annDir, ann), 'utf8'));
    const started = performance.now();
    const predicted = agreement ? annotatorAttributions(text, readFileSync(path.join(annDir, second!), 'utf8')) : predict(text);
    findQuantities(text);
    findDates(text, null);
    ms += performance.now() - started;
    articles++;
    words += text.split(/\s+/).length;

    count(gold.map((g) => g.source), predicted.attributions.map((p) => p.source), source);
    count(gold.map((g) => g.cue), predicted.attributions.map((p) => p.cue), cue);
    count(gold.map((g) => g.content), predicted.attributions.map((p) => p.content), content);

    const goldDirect = gold.filter((g) => g.content && isDirect(text, g.content));
    goldDirectTotal += goldDirect.length;
    count(goldDirect.map((g) => g.content), predicted.direct.map((p) => p.content), directContent);
    if (verbose) {
      for (const p of predicted.direct) {
        const pc = p.content!;
        if (goldDirect.some((g) => g.content![0] === pc[0] && g.content![1] === pc[1])) continue;
        const other = gold.find((g) => g.content && overlap(g.content, pc) > 0);
        console.log(`EXTRA ${article}: predicted=${JSON.stringify(text.slice(...pc))} gold=${other ? JSON.stringify(text.slice(...other.content!)) : 'none'}`);
      }
    }
    for (const g of goldDirect) {
      const gc = g.content!;
      const match = predicted.direct.find((p) => p.content && overlap(p.content, gc) * 2 > gc[1] - gc[0]);
      if (!match) {
        if (verbose) console.log(`MISS ${article}: ${text.slice(gc[0], Math.min(gc[1], gc[0] + 80)).replace(/\n/g, ' ')}`);
        continue;
      }
      directFound++;
      if (verbose && match.content && (match.content[0] !== gc[0] || match.content[1] !== gc[1])) {
        console.log(`CONTENT ${article}: gold=${JSON.stringify(text.slice(...gc))} predicted=${JSON.stringify(text.slice(...match.content))}`);
      }
      const exact = (!g.source && !match.source) || (!!g.source && !!match.source && g.source[0] === match.source[0] && g.source[1] === match.source[1]);
      const overlapping = exact || (!!g.source && !!match.source && overlap(g.source, match.source) > 0);
      if (exact) speakerExact++;
      if (overlapping) speakerOverlap++;
      if (verbose && !exact) {
        console.log(`SPEAKER ${article}: gold=${g.source ? JSON.stringify(text.slice(...g.source)) : 'none'} predicted=${match.source ? JSON.stringify(text.slice(...match.source)) : 'none'}`);
      }
    }
  }

  const s = prf(source);
  const c = prf(cue);
  const t = prf(content);
  const d = prf(directContent);
  const accuracy = directFound ? speakerExact / directFound : 0;
  const accuracyOverlap = directFound ? speakerOverlap / directFound : 0;
  const row = (name: string, x: { p: number; r: number; f1: number }) =>
    `${name.padEnd(26)} ${x.p.toFixed(3)}  ${x.r.toFixed(3)}  ${x.f1.toFixed(3)}`;
  console.log(agreement
    ? `PolNeAR ${data}: ${articles} articles with two annotators, the second scored against the first, ${words} words`
    : `PolNeAR ${data}: ${articles} articles (first annotator file per article), ${words} words`);
  console.log(`${''.padEnd(26)} P      R      F1`);
  console.log(row('source (all, exact)', s));
  console.log(row('cue (all, exact)', c));
  console.log(row('content (all, exact)', t));
  console.log(row('direct-quote content', d));
  console.log(`direct quotes: ${goldDirectTotal} gold, ${directFound} found (overlap > 1/2)`);
  console.log(`direct-quote speaker accuracy: exact ${accuracy.toFixed(3)}, overlap ${accuracyOverlap.toFixed(3)}`);
  // Agreement figures are the annotators', not the system's: no floor applies to their names.
  if (agreement) return { figures: { 'quotes.agreement.source_f1': s.f1, 'quotes.agreement.direct_content_f1': d.f1, 'quotes.agreement.direct_speaker_accuracy': accuracy } };
  console.log(`speed: ${(ms / articles).toFixed(2)} ms/article (${((ms / words) * 1000).toFixed(2)} ms per 1,000 words) for sentences+quotes+quantities+dates`);
  return {
    figures: {
      'quotes.source_f1': s.f1,
      'quotes.cue_f1': c.f1,
      'quotes.content_f1': t.f1,
      'quotes.direct_content_f1': d.f1,
      'quotes.direct_speaker_accuracy': accuracy,
    },
  };
}

/**
 * `npm run bench -- extract --data ../shared/bench/extraction/scrapinghub`
 *
 * Main-text quality and speed on the ScrapingHub article-extraction benchmark
 * (`ground-truth.json` = `{id: {articleBody, url}}`, `html/<id>.html.gz`).
 * Quality is the benchmark's own evaluate.py metric: word 4-gram shingles of
 * prediction vs ground truth per page, precision and recall macro-averaged
 * over pages (precision over pages with any predicted or true-positive
 * shingle, recall over pages with any true shingle), F1 from the two means.
 * Speed is measured against plain Readability over linkedom in the same run,
 * page by page in alternating order, so machine noise hits both alike.
 *
 * Options: `--repeat N` timing rounds (default 3, the median per page is
 * used), `--out FILE` writes predictions as the benchmark's output JSON,
 * `--worst N` lists the N lowest-F1 pages.
 */
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { Readability } from '@mozilla/readability';
import { extract } from '../src/extract/index.js';
// Type-only: importing run.ts's values from a suite would be a circular import with top-level await
// (run.ts is the entry module and awaits this one), which leaves Node with nothing to do and exits silently.
import type { SuiteResult } from './run.js';

function option(args: string[], name: string, fallback?: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  if (index >= 0 && index + 1 < args.length) return args[index + 1];
  const inline = args.find((arg) => arg.startsWith(`--${name}=`));
  return inline ? inline.slice(name.length + 3) : fallback;
}

interface Page { id: string; url: string; truth: string; bytes: Uint8Array }

/** Tokens as evaluate.py's `re.findall(r'\w+', text)`: Python's Unicode \w is letters, digits and `_`. */
export function tokenize(text: string): string[] {
  return text.match(/[\p{L}\p{N}_]+/gu) ?? [];
}

function shingles(text: string, n = 4): Map<string, number> {
  const tokens = tokenize(text);
  const counts = new Map<string, number>();
  // As evaluate.py: one shingle of all tokens when there are fewer than n; none for an empty text.
  for (let i = 0; i < Math.max(1, tokens.length - n + 1); i++) {
    const shingle = tokens.slice(i, i + n);
    if (shingle.length === 0) continue;
    const key = shingle.join('\u0000');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export function shingleMatch(truth: string, pred: string): [tp: number, fp: number, fn: number] {
  const t = shingles(truth);
  const p = shingles(pred);
  let tp = 0, fp = 0, fn = 0;
  for (const key of new Set([...t.keys(), ...p.keys()])) {
    const a = t.get(key) ?? 0;
    const b = p.get(key) ?? 0;
    tp += Math.min(a, b);
    fp += Math.max(0, b - a);
    fn += Math.max(0, a - b);
  }
  return [tp, fp, fn];
}

function precision(tp: number, fp: number, fn: number): number {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fp === 0) return 0;
  return tp / (tp + fp);
}

function recall(tp: number, fp: number, fn: number): number {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fn === 0) return 0;
  return tp / (tp + fn);
}

export function metrics(rows: Array<[number, number, number]>): { precision: number; recall: number; f1: number } {
  const ps = rows.filter(([tp, fp]) => tp + fp > 0).map(([tp, fp, fn]) => precision(tp, fp, fn));
  const rs = rows.filter(([tp, , fn]) => tp + fn > 0).map(([tp, fp, fn]) => recall(tp, fp, fn));
  const p = ps.reduce((a, b) => a + b, 0) / Math.max(1, ps.length);
  const r = rs.reduce((a, b) => a + b, 0) / Math.max(1, rs.length);
  return { precision: p, recall: r, f1: p + r > 0 ? (2 * p * r) / (p + r) : 0 };
}

function loadPages(dir: string): Page[] {
  const truth = JSON.parse(readFileSync(path.join(dir, 'ground-truth.json'), 'utf8')) as Record<string, { articleBody?: string; url?: string }>;
  const files = new Set(readdirSync(path.join(dir, 'html')));
  const pages: Page[] = [];
  for (const [id, entry] of Object.entries(truth)) {
    const name = `${id}.html.gz`;
    if (!files.has(name)) throw new Error(`ground truth names ${id} but ${name} is missing from ${dir}/html`);
    pages.push({ id, url: entry.url ?? '', truth: entry.articleBody ?? '', bytes: gunzipSync(readFileSync(path.join(dir, 'html', name))) });
  }
  return pages;
}

function runTriangulate(page: Page): string {
  // The benchmark's pages are read as the benchmark reads them; the URL is what a crawler would know.
  const result = extract({ input: page.id, bytes: page.bytes, format: 'html', url: page.url || undefined });
  return result.article?.text ?? '';
}

function runReadability(page: Page): string {
  const html = new TextDecoder('utf-8').decode(page.bytes);
  const { document } = parseHTML(html);
  try {
    return new Readability(document as never).parse()?.textContent ?? '';
  } catch {
    return '';
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function run(args: string[]): Promise<SuiteResult> {
  const dir = option(args, 'data', '../shared/bench/extraction/scrapinghub')!;
  const repeat = Math.max(1, Number(option(args, 'repeat', '3')));
  const out = option(args, 'out');
  const worst = Number(option(args, 'worst', '0'));
  const pages = loadPages(dir);
  console.log(`extract: ${pages.length} pages from ${dir}, ${repeat} timing round${repeat === 1 ? '' : 's'}`);

  // Warm-up: JIT both paths before timing.
  for (const page of pages.slice(0, 10)) { runTriangulate(page); runReadability(page); }

  const ours = new Map<string, string>();
  const theirs = new Map<string, string>();
  const oursTimes = new Map<string, number[]>();
  const theirsTimes = new Map<string, number[]>();
  for (let round = 0; round < repeat; round++) {
    for (const [index, page] of pages.entries()) {
      const order = (index + round) % 2 === 0 ? ['ours', 'theirs'] : ['theirs', 'ours'];
      for (const who of order) {
        const start = performance.now();
        const text = who === 'ours' ? runTriangulate(page) : runReadability(page);
        const ms = performance.now() - start;
        const times = who === 'ours' ? oursTimes : theirsTimes;
        times.set(page.id, [...(times.get(page.id) ?? []), ms]);
        (who === 'ours' ? ours : theirs).set(page.id, text);
      }
    }
  }

  const score = (predictions: Map<string, string>) => {
    const rows = pages.map((page) => shingleMatch(page.truth, predictions.get(page.id) ?? ''));
    return { ...metrics(rows), rows };
  };
  const a = score(ours);
  const b = score(theirs);
  const msOurs = pages.reduce((sum, p) => sum + median(oursTimes.get(p.id)!), 0) / pages.length;
  const msTheirs = pages.reduce((sum, p) => sum + median(theirsTimes.get(p.id)!), 0) / pages.length;
  const line = (name: string, m: { precision: number; recall: number; f1: number }, ms: number) =>
    console.log(`${name.padEnd(24)} precision=${m.precision.toFixed(4)}  recall=${m.recall.toFixed(4)}  F1=${m.f1.toFixed(4)}  ${ms.toFixed(2)} ms/page`);
  line('triangulate', a, msOurs);
  line('readability+linkedom', b, msTheirs);
  const ratio = msTheirs / msOurs;
  console.log(`speed ratio (readability ms / triangulate ms): ${ratio.toFixed(3)}${ratio >= 1 ? ' (no slower)' : ' (slower)'}`);
  const empty = pages.filter((p) => !(ours.get(p.id) ?? '').trim()).length;
  if (empty) console.log(`triangulate returned no text for ${empty} page${empty === 1 ? '' : 's'}`);

  if (worst > 0) {
    const ranked = pages.map((page, i) => {
      const [tp, fp, fn] = a.rows[i]!;
      const p = precision(tp, fp, fn);
      const r = recall(tp, fp, fn);
      return { page, p, r, f: p + r > 0 ? (2 * p * r) / (p + r) : 0 };
    }).sort((x, y) => x.f - y.f);
    for (const { page, p, r, f } of ranked.slice(0, worst)) console.log(`  ${f.toFixed(3)} P=${p.toFixed(3)} R=${r.toFixed(3)} ${page.id.slice(0, 8)} ${page.url}`);
  }
  if (out) {
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(Object.fromEntries(pages.map((p) => [p.id, { articleBody: ours.get(p.id) ?? '' }])), null, 1));
    console.log(`predictions written to ${out}`);
  }
  return {
    figures: {
      'extract.f1': a.f1,
      'extract.precision': a.precision,
      'extract.recall': a.recall,
      'extract.speed_ratio': ratio,
    },
  };
}

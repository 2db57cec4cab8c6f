/**
 * `npm run bench -- warc [--sizes 2000,10000] [--keep DIR]`
 *
 * Writes a CC-NEWS-like WARC (`.warc.gz`, one gzip member per record) of N
 * generated news pages (bench/generate.ts: the same deterministic stream as
 * the scale benchmark, each article wrapped in an HTML page with navigation,
 * byline and footer boilerplate), with a request record before each response
 * as crawlers write them; then ingests it with `ingestWarc` (stream, HTTP
 * parsing, charset, extraction, SQLite with the raw bytes kept) into a fresh
 * database. Each size runs in its own child process so its peak RSS is its
 * own: the point is that memory does not grow with the file (one record is in
 * memory at a time). Reports records/s and pages/s (wall and CPU), peak RSS
 * and the live heap after the run. No analysis or clustering: that is the
 * scale benchmark's business.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ingestWarc } from '../src/pipeline/warc.js';
import { serializeWarcRecord } from '../src/sources/warc.js';
import { openStore } from '../src/store/index.js';
import { option } from './args.js';
import { generateArticles } from './generate.js';
import type { SuiteResult } from './run.js';

interface SizeResult {
  pages: number;
  records: number;
  fileMb: number;
  ingested: number;
  writeMs: number;
  ingestMs: number;
  ingestCpuMs: number;
  peakRssMb: number;
  heapMb: number;
  load: number;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A news page around a generated article, with the boilerplate a real page carries. */
function page(title: string, text: string, outlet: string, published: string): string {
  const paragraphs = text.split('\n\n').map((p) => `<p>${escape(p)}</p>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)} | ${escape(outlet)}</title>
<meta property="og:site_name" content="${escape(outlet)}"><meta property="article:published_time" content="${published}"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>${escape(title)}</h1><p class="byline">By Staff Reporter · ${published.slice(0, 10)}</p>
${paragraphs}
</article><aside><h2>Most read</h2><ul><li><a href="/a">Ten things to know today</a></li><li><a href="/b">Markets close higher</a></li></ul></aside></main>
<footer>© ${escape(outlet)}. All rights reserved. <a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer></body></html>`;
}

async function writeWarc(file: string, pages: number): Promise<number> {
  const out = createWriteStream(file);
  let records = 0;
  for (const article of generateArticles({ articles: pages, seed: 7 })) {
    const url = `https://${article.outlet!.toLowerCase().replace(/\s+/g, '')}.example/news/${article.id}`;
    const write = async (bytes: Uint8Array) => { if (!out.write(bytes)) await once(out, 'drain'); records++; };
    await write(await serializeWarcRecord({ url, date: article.published!, body: '', type: 'request' }, { gzip: true }));
    await write(await serializeWarcRecord({ url, date: article.published!, body: page(article.title!, article.text, article.outlet!, article.published!) }, { gzip: true }));
  }
  out.end();
  await once(out, 'finish');
  return records;
}

async function runSize(pages: number, keep: string | undefined): Promise<SizeResult> {
  const dir = keep ?? mkdtempSync(path.join(tmpdir(), 'triangulate-warc-'));
  const file = path.join(dir, `news-${pages}.warc.gz`);
  try {
    const loadBefore = loadavg()[0]!;
    const writeStart = performance.now();
    const records = await writeWarc(file, pages);
    const writeMs = performance.now() - writeStart;
    const store = await openStore({ path: path.join(dir, `warc-${pages}.db`) });
    const cpu = process.cpuUsage();
    const start = performance.now();
    const summary = await ingestWarc(store, file, { keepIds: false });
    const ingestMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    await store.close();
    (globalThis as { gc?: () => void }).gc?.();
    return {
      pages, records, fileMb: statSync(file).size / 1048576, ingested: summary.ingested, writeMs, ingestMs, ingestCpuMs: (used.user + used.system) / 1000,
      peakRssMb: process.resourceUsage().maxRSS / 1024, heapMb: process.memoryUsage().heapUsed / 1048576, load: (loadBefore + loadavg()[0]!) / 2,
    };
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

function runChild(pages: number, keep: string | undefined): SizeResult {
  const args = [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), '--warc-child', String(pages), keep ?? '-'];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as SizeResult;
}

if (process.argv[2] === '--warc-child') {
  const [pages, keep] = process.argv.slice(3);
  const result = await runSize(Number(pages), keep === '-' ? undefined : keep);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export async function run(args: string[]): Promise<SuiteResult> {
  const sizes = (option(args, 'sizes', '2000,10000') ?? '').split(',').map(Number).filter((n) => n > 0);
  const keep = option(args, 'keep');
  console.log(`warc benchmark: CC-NEWS-like .warc.gz (a request and a response record per page), sizes ${sizes.join(', ')} pages`);
  console.log('   pages  records  file MB  load  write s  ingest s  records/s  pages/s (cpu)  stored  peak RSS  heap after');
  const results: SizeResult[] = [];
  for (const pages of sizes) {
    const r = runChild(pages, keep);
    results.push(r);
    const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000));
    console.log(
      `${String(r.pages).padStart(8)} ${String(r.records).padStart(8)} ${r.fileMb.toFixed(1).padStart(8)} ${r.load.toFixed(1).padStart(5)} ${(r.writeMs / 1000).toFixed(1).padStart(8)}`
      + ` ${(r.ingestMs / 1000).toFixed(1).padStart(9)} ${String(perSecond(r.records, r.ingestMs)).padStart(10)} ${`${perSecond(r.pages, r.ingestMs)} (${perSecond(r.pages, r.ingestCpuMs)})`.padStart(14)}`
      + ` ${String(r.ingested).padStart(7)} ${r.peakRssMb.toFixed(0).padStart(6)} MB ${r.heapMb.toFixed(0).padStart(8)} MB`,
    );
  }
  const first = results[0]!;
  const last = results.at(-1)!;
  if (results.length > 1) {
    console.log(`peak RSS, ${last.pages} vs ${first.pages} pages (${(last.fileMb / first.fileMb).toFixed(1)}x the file): ${(last.peakRssMb / first.peakRssMb).toFixed(2)}x`);
  }
  return {
    figures: {
      'warc.records_per_s': last.records / (last.ingestMs / 1000),
      'warc.pages_per_cpu_s': last.pages / (last.ingestCpuMs / 1000),
      'warc.peak_rss_growth': last.peakRssMb / first.peakRssMb,
    },
  };
}

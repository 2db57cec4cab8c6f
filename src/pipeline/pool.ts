/**
 * Per-article work on every core: a small pool of worker threads, each with
 * its own copy of the models. A job analyses an article (when it has no
 * current analysis) and prepares its text for linking and clustering
 * (`prepareText`: tokens, shingle signature, sentence features); both are
 * pure (text in, arrays out), so workers need nothing but the text. The main
 * thread keeps the store, the linker and the clusterer, which must see
 * articles one at a time.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Analysis } from '../analyze/types.js';
import { packedBuffers, packPreparedText, prepareText, unpackPreparedText, type PackedText, type PreparedText } from '../link/index.js';
import type { Span } from '../types.js';

/** One article's job. */
export interface ArticleJob {
  text: string;
  title: string | null;
  /** Publication date (ISO), against which relative dates resolve. */
  published: string | null;
  /** Sentence spans as flat start/end pairs when the article has a current analysis; absent: analyse it (its sentences are then the analysis's). */
  spans?: Uint32Array;
}

export interface JobResult {
  /** The new analysis, when the job asked for one. */
  analysis?: Analysis;
  prepared: PreparedText;
}

/** What a worker sends back: the prepared text packed as typed arrays (transferred, not copied). */
export interface PackedResult {
  analysis?: Analysis;
  prepared: PackedText;
}

/**
 * Runs a job in the calling thread (a worker, or the main thread without
 * workers). The analysis models load on the first job that needs them: a
 * worker that only prepares texts starts in milliseconds, not a second.
 */
export async function runJob(job: ArticleJob): Promise<JobResult> {
  const analysis = job.spans ? undefined : (await analyzer())(job);
  const sentences: Span[] = [];
  if (analysis) for (const s of analysis.sentences) sentences.push(s.span);
  else for (let i = 0; i < job.spans!.length; i += 2) sentences.push([job.spans![i]!, job.spans![i + 1]!]);
  return { analysis, prepared: prepareText({ text: job.text, title: job.title, sentences }) };
}

/**
 * The analysis function, imported once: every `import()` call, even of a
 * loaded module, goes through the module loader's resolution (under tsx, a
 * round trip to its loader thread).
 */
let analyzeModule: Promise<typeof import('../analyze/index.js')> | undefined;

async function analyzer(): Promise<typeof import('../analyze/index.js')['analyze']> {
  analyzeModule ??= import('../analyze/index.js');
  return (await analyzeModule).analyze;
}

/** `runJob` packed for `postMessage`, with the buffers to transfer. */
export async function runPackedJob(job: ArticleJob): Promise<{ result: PackedResult; transfer: ArrayBuffer[] }> {
  const { analysis, prepared } = await runJob(job);
  const packed = packPreparedText(prepared);
  return { result: { analysis, prepared: packed }, transfer: packedBuffers(packed) };
}

interface Pending {
  resolve: (result: JobResult) => void;
  reject: (error: Error) => void;
}

/**
 * Starts the worker thread whose body is `./<name>.js` beside this module.
 * Built, the worker is a plain .js module. From TypeScript sources (tests,
 * benchmarks under tsx) worker threads do not inherit tsx's loader, so a
 * bootstrap registers it before importing the .ts worker.
 */
export function startWorker(name: string): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url));
  const target = new URL(`./${name}.ts`, import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(target)}); });`, { eval: true });
}

/**
 * Jobs sent to a worker in one message. A message costs about 0.1 ms of the
 * main thread whatever it holds (bench/scale.ts at 3,000 articles, load 9:
 * 0.1–0.17 ms per single-job message, 0.01–0.05 ms per job in messages of 8),
 * and the main thread is the pipeline's narrowest part.
 */
const BATCH = 8;

export class ArticlePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly load: number[] = [];
  private nextId = 0;
  /** Jobs waiting to be sent: sent when `BATCH` wait, or once the current turn of the event loop ends. */
  private batch: Array<{ id: number; job: ArticleJob }> = [];
  private flushScheduled = false;

  /** `size` 0 runs jobs in the calling thread (no workers). */
  constructor(readonly size = Math.max(1, availableParallelism())) {
    for (let i = 0; i < size; i++) {
      const worker = startWorker('analyze-worker');
      worker.on('message', (message: { results: Array<{ id: number; result?: PackedResult; error?: string }> }) => {
        for (const { id, result, error } of message.results) {
          const job = this.pending.get(id);
          if (!job) continue;
          this.pending.delete(id);
          this.load[i]!--;
          if (result) job.resolve({ analysis: result.analysis, prepared: unpackPreparedText(result.prepared) });
          else job.reject(new Error(`analysis failed in a worker: ${error}`));
        }
      });
      worker.on('error', (error) => {
        for (const job of this.pending.values()) job.reject(error);
        this.pending.clear();
      });
      this.workers.push(worker);
      this.load.push(0);
    }
  }

  run(job: ArticleJob): Promise<JobResult> {
    if (this.workers.length === 0) return runJob(job);
    const id = this.nextId++;
    const result = new Promise<JobResult>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.batch.push({ id, job });
    if (this.batch.length >= BATCH) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return result;
  }

  /** Sends the waiting jobs to the least busy worker. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.batch.length === 0) return;
    let target = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[target]!) target = i;
    this.load[target]! += this.batch.length;
    this.workers[target]!.postMessage({ jobs: this.batch });
    this.batch = [];
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

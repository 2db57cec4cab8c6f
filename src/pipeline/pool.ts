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
import { analyze } from '../analyze/index.js';
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

/** Runs a job in the calling thread (a worker, or the main thread without workers). */
export function runJob(job: ArticleJob): JobResult {
  const analysis = job.spans ? undefined : analyze(job);
  const sentences: Span[] = [];
  if (analysis) for (const s of analysis.sentences) sentences.push(s.span);
  else for (let i = 0; i < job.spans!.length; i += 2) sentences.push([job.spans![i]!, job.spans![i + 1]!]);
  return { analysis, prepared: prepareText({ text: job.text, title: job.title, sentences }) };
}

/** `runJob` packed for `postMessage`, with the buffers to transfer. */
export function runPackedJob(job: ArticleJob): { result: PackedResult; transfer: ArrayBuffer[] } {
  const { analysis, prepared } = runJob(job);
  const packed = packPreparedText(prepared);
  return { result: { analysis, prepared: packed }, transfer: packedBuffers(packed) };
}

interface Pending {
  resolve: (result: JobResult) => void;
  reject: (error: Error) => void;
}

/**
 * Built, the worker is a plain .js module. From TypeScript sources (tests,
 * benchmarks under tsx) worker threads do not inherit tsx's loader, so a
 * bootstrap registers it before importing the .ts worker.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./analyze-worker.js', import.meta.url));
  const target = new URL('./analyze-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(target)}); });`, { eval: true });
}

export class ArticlePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly load: number[] = [];
  private nextId = 0;

  /** `size` 0 runs jobs in the calling thread (no workers). */
  constructor(readonly size = Math.max(1, availableParallelism())) {
    for (let i = 0; i < size; i++) {
      const worker = startWorker();
      worker.on('message', (message: { id: number; result?: PackedResult; error?: string }) => {
        const job = this.pending.get(message.id);
        if (!job) return;
        this.pending.delete(message.id);
        this.load[i]!--;
        if (message.result) job.resolve({ analysis: message.result.analysis, prepared: unpackPreparedText(message.result.prepared) });
        else job.reject(new Error(`analysis failed in a worker: ${message.error}`));
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
    if (this.workers.length === 0) return Promise.resolve(runJob(job));
    const id = this.nextId++;
    // The least busy worker takes the job.
    let target = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[target]!) target = i;
    this.load[target]!++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[target]!.postMessage({ id, job });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

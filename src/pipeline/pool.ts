/**
 * Analysis on every core: a small pool of worker threads, each with its own
 * copy of the models. Analysis is pure (text in, spans out), so workers need
 * nothing but the text; the main thread keeps the store, the linker and the
 * clusterer, which must see articles one at a time.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { analyze, type AnalysisInput } from '../analyze/index.js';
import type { Analysis } from '../analyze/types.js';

interface Pending {
  resolve: (analysis: Analysis) => void;
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

export class AnalysisPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly load: number[] = [];
  private nextId = 0;

  /** `size` 0 analyses in the calling thread (no workers). */
  constructor(readonly size = Math.max(1, availableParallelism())) {
    for (let i = 0; i < size; i++) {
      const worker = startWorker();
      worker.on('message', (message: { id: number; analysis?: Analysis; error?: string }) => {
        const job = this.pending.get(message.id);
        if (!job) return;
        this.pending.delete(message.id);
        this.load[i]!--;
        if (message.analysis) job.resolve(message.analysis);
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

  analyze(input: AnalysisInput): Promise<Analysis> {
    if (this.workers.length === 0) return Promise.resolve(analyze(input));
    const id = this.nextId++;
    // The least busy worker takes the job.
    let target = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[target]!) target = i;
    this.load[target]!++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[target]!.postMessage({ id, text: input.text, published: input.published });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

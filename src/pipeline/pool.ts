/**
 * Per-article work on every core: a small pool of worker threads, each with
 * its own copy of the models. A job analyses an article (when it has no
 * current analysis) and prepares its text for linking and clustering
 * (`prepareText`: tokens, shingle signature, sentence features); both are
 * pure (text in, arrays out), so workers need nothing but the text. The main
 * thread keeps the store, the linker and the clusterer, which must see
 * articles one at a time.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
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
 * round trip to its loader thread). In a bundled worker (`startWorker`) the
 * import is the bundle's own: the module is initialised on first use.
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
 * Built, the worker is a plain .js module. From the TypeScript sources
 * (tests, benchmarks under tsx), its modules are bundled into one plain
 * module by tsx's own esbuild, once per process, and the thread starts
 * without tsx: a thread that registered tsx's loader spent 0.5–0.6 s of CPU
 * starting (its own loader thread, every module resolved and read through
 * it), a bundled one about 0.1 s, and the bundle costs about 0.1 s once.
 * The bundle holds the analysis modules too (initialised on a worker's
 * first analysis): a worker that registered tsx only to import them paid
 * tsx's start after the bundle's.
 */
export function startWorker(name: string): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url));
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bundled(name))}`), { execArgv: threadOptions(process.execArgv) });
}

/**
 * The parent's profiling options (`--cpu-prof`, `--heap-prof` and their
 * settings), the only ones passed on: options given to a thread explicitly
 * must all be valid in a thread (`--expose-gc`, say, is not), and the
 * parent's tsx options would start tsx's loader all the same.
 */
export function threadOptions(execArgv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (!/^--(cpu|heap)-prof/.test(arg)) continue;
    out.push(arg);
    // A setting given as a separate argument (`--cpu-prof-dir DIR`).
    if (/^--(cpu|heap)-prof-(dir|name|interval)$/.test(arg) && i + 1 < execArgv.length) out.push(execArgv[++i]!);
  }
  return out;
}

/** Bundled worker bodies by name (`startWorker`). */
const bundles = new Map<string, string>();

/** The part of esbuild's API used here (esbuild comes with tsx; it is not a dependency of this package). */
interface Esbuild {
  buildSync(options: Record<string, unknown>): { outputFiles: Array<{ text: string }> };
}

function bundled(name: string): string {
  let code = bundles.get(name);
  if (code === undefined) {
    const esbuild = createRequire(import.meta.resolve('tsx/esm/api'))('esbuild') as Esbuild;
    const entryUrl = new URL(`./${name}.ts`, import.meta.url);
    // In the bundle every module's import.meta.url is the entry's: right for any module two levels below the root, as src/analyze/models.ts is.
    code = esbuild.buildSync({
      entryPoints: [fileURLToPath(entryUrl)], bundle: true, format: 'esm', platform: 'node', target: 'node20', write: false, logLevel: 'error',
      define: { 'import.meta.url': JSON.stringify(entryUrl.href) },
    }).outputFiles[0]!.text;
    bundles.set(name, code);
  }
  return code;
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

/**
 * `triangulate worker`: one process that takes work from the queue in
 * PostgreSQL (src/worker/queue.ts) and runs the pipeline's own stages on it —
 * fetch (src/pipeline/fetch.ts), extract (re-extraction of a stored raw input),
 * analyze, link + cluster (src/pipeline/process.ts) and brief. Run as many as
 * you like, on as many machines as you like, against one database.
 *
 * Every stage is idempotent, so a job run twice (its worker died after doing
 * the work but before marking it done) changes nothing the second time:
 * fetch finds the raw bytes stored, analyze finds a current analysis, cluster
 * finds the article in a story.
 *
 * Clustering is the one step that cannot run in parallel: the clusterer is a
 * single state (stories, centroids, document frequencies) saved in the store.
 * Workers take turns under a PostgreSQL advisory lock. Under the lock a worker
 * checks the state's generation; if another worker saved since, it reloads the
 * state and puts the articles the others clustered meanwhile into its linker
 * (so copies across workers are still found), clusters every cluster job
 * queued, and saves stories, links and state in one transaction. A worker
 * that holds the lock longer than it should is never preempted: correctness
 * first. Analysis, the costly part, runs outside the lock on every worker.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { analyze, ANALYZER_VERSION } from '../analyze/index.js';
import type { StoryClusterer } from '../cluster/index.js';
import { Linker } from '../link/index.js';
import { ingestUrl } from '../pipeline/fetch.js';
import { reextractRaw } from '../pipeline/ingest.js';
import { linkAndCluster, linkInfo, loadClusterer, refreshBriefing, rememberArticles, warmLinker, type LinkInfo } from '../pipeline/process.js';
import { Fetcher, sleep, type FetcherOptions } from '../sources/fetch.js';
import type { PostgresStore } from '../store/postgres/index.js';
import { WorkQueue, type Job, type NewJob, type Stage } from './queue.js';

export { WorkQueue, STAGES, type Job, type NewJob, type Stage, type QueueCounts, type DeadJob } from './queue.js';

export interface WorkerOptions {
  /** Jobs claimed at once for fetch, extract, analyze and brief (default 32). */
  batch?: number;
  /** Most articles clustered in one turn under the lock (default 2,000). */
  clusterBatch?: number;
  /**
   * Cluster jobs that must be ready before a worker with other work takes a
   * turn (default 500); an idle worker clusters whatever is ready. Each turn
   * saves the clusterer state and re-reads the changed stories' members, so
   * turns of a few articles cost far more per article than large ones.
   */
  clusterMin?: number;
  /** Seconds a claimed job stays ours without a heartbeat (default 120). */
  leaseSeconds?: number;
  /** Delay before a failed job is retried, doubled per attempt (default 2 s). */
  retrySeconds?: number;
  /** Wait between polls of an empty queue, in ms (default 1,000). */
  pollMs?: number;
  /** Stop when no job is queued or running anywhere (after a last scan for pending work). */
  drain?: boolean;
  /** Queue what the store holds but no job covers, at start and when idle (default true). */
  scan?: boolean;
  /** Least time between two scans while idle, in ms (default 30,000). */
  scanIntervalMs?: number;
  /** Build briefings of changed stories (default true). */
  briefings?: boolean;
  /** Seconds a story's brief job waits, so a story changed by many batches is briefed once (default 5). */
  briefDelaySeconds?: number;
  /** Options of the fetcher used by fetch jobs. */
  fetcher?: FetcherOptions;
  /** Stops the worker after the batch in hand. */
  signal?: AbortSignal;
  /** Names this worker in leases and messages (default host:pid:random). */
  workerId?: string;
  onEvent?: (event: WorkerEvent) => void;
}

export type WorkerEvent =
  | { kind: 'done'; stage: Stage; count: number }
  | { kind: 'failed'; stage: Stage; key: string; error: string; state: string }
  | { kind: 'scan'; queued: number }
  | { kind: 'reclaimed'; count: number };

export interface WorkerSummary {
  fetched: number;
  extracted: number;
  analyzed: number;
  clustered: number;
  briefed: number;
  failed: number;
  /** Time spent waiting for the cluster lock and holding it, ms: the serial part of the work. */
  clusterLockWaitMs: number;
  clusterLockHeldMs: number;
}

/** Articles another worker clustered since our last turn, beyond which the linker is rebuilt from the latest articles instead. */
const CATCH_UP_LIMIT = 5_000;
/** Link infos of its own analyses a worker keeps until it clusters them (a few KB each). */
const INFO_CACHE = 20_000;

/** A worker's own linker and clusterer, and how current they are. */
interface ClusterCache {
  clusterer: StoryClusterer | null;
  linker: Linker;
  /** Generation of the saved clusterer state `clusterer` matches; -1: unknown (reload). */
  generation: number;
  /** Last `assigned_seq` the linker has seen. */
  lastSeq: number;
}

export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export async function runWorker(store: PostgresStore, options: WorkerOptions = {}): Promise<WorkerSummary> {
  const worker = new Worker(store, options);
  return worker.run();
}

class Worker {
  private readonly queue: WorkQueue;
  private readonly summary: WorkerSummary = { fetched: 0, extracted: 0, analyzed: 0, clustered: 0, briefed: 0, failed: 0, clusterLockWaitMs: 0, clusterLockHeldMs: 0 };
  private readonly cache: ClusterCache = { clusterer: null, linker: new Linker(), generation: -1, lastSeq: 0 };
  private fetcher: Fetcher | null = null;
  /**
   * What linking needs of the analyses this worker made, until it clusters
   * them (saves reading the analysis JSON back); bounded, the rest is read.
   */
  private readonly infos = new Map<string, LinkInfo>();

  constructor(private readonly store: PostgresStore, private readonly options: WorkerOptions) {
    this.queue = new WorkQueue(store.pool, options.workerId ?? defaultWorkerId(), { leaseSeconds: options.leaseSeconds ?? 120, retrySeconds: options.retrySeconds ?? 2 });
  }

  async run(): Promise<WorkerSummary> {
    const { signal } = this.options;
    const scan = this.options.scan ?? true;
    const scanInterval = this.options.scanIntervalMs ?? 30_000;
    const poll = this.options.pollMs ?? 1_000;
    // Leases are renewed while we work, so only a worker that stopped loses its jobs.
    const heartbeat = setInterval(() => { this.queue.heartbeat().catch(() => {}); }, (this.queue.leaseSeconds * 1000) / 3);
    heartbeat.unref();
    let lastScan = 0;
    const scanNow = async () => {
      lastScan = Date.now();
      const queued = await this.queue.enqueuePending(ANALYZER_VERSION);
      if (queued > 0) this.options.onEvent?.({ kind: 'scan', queued });
      return queued;
    };
    try {
      if (scan) await scanNow();
      while (!signal?.aborted) {
        const reclaimed = await this.queue.reclaimExpired();
        if (reclaimed > 0) this.options.onEvent?.({ kind: 'reclaimed', count: reclaimed });
        const jobs = await this.queue.claim(['fetch', 'extract', 'analyze', 'brief'], this.options.batch ?? 32);
        await this.runJobs(jobs);
        // Cluster when there is clustering to do: wait for the lock when there is nothing else to do, else only if it is free.
        let clustered = 0;
        const ready = await this.queue.readyCount(['cluster']);
        if (ready > 0 && (jobs.length === 0 || ready >= (this.options.clusterMin ?? 500))) clustered = await this.clusterTurn(jobs.length === 0);
        if (jobs.length > 0 || clustered > 0) continue;
        if (this.options.drain && await this.queue.openCount() === 0) {
          // Nothing queued or running anywhere: a last scan makes sure nothing was left without a job.
          if (!scan || await scanNow() === 0) break;
          continue;
        }
        if (scan && Date.now() - lastScan >= scanInterval && await scanNow() > 0) continue;
        const next = await this.queue.secondsToNext();
        await sleep(next === null ? poll : Math.min(poll, Math.max(50, next * 1000)), signal).catch(() => {});
      }
    } finally {
      clearInterval(heartbeat);
    }
    return this.summary;
  }

  private async runJobs(jobs: Job[]): Promise<void> {
    const byStage = new Map<Stage, Job[]>();
    for (const job of jobs) (byStage.get(job.stage) ?? byStage.set(job.stage, []).get(job.stage)!).push(job);
    for (const [stage, group] of byStage) {
      const done: Job[] = [];
      const next: NewJob[] = [];
      if (stage === 'analyze') {
        await this.analyzeJobs(group, done, next);
        group.length = 0;
      }
      for (const job of group) {
        try {
          const outcome = await this.runJob(job);
          if (outcome === 'retry') continue;
          done.push(job);
          next.push(...outcome);
        } catch (error) {
          await this.failed(job, error);
        }
      }
      const finished = await this.queue.finish(done, next);
      this.count(stage, finished);
      this.options.onEvent?.({ kind: 'done', stage, count: finished });
    }
  }

  /** Runs one job; returns the jobs that follow it, or `retry` when it was failed (and rescheduled or left dead). */
  private async runJob(job: Job): Promise<NewJob[] | 'retry'> {
    switch (job.stage) {
      case 'fetch': {
        this.fetcher ??= new Fetcher(this.options.fetcher);
        const result = await ingestUrl(this.store, this.fetcher, job.key, { signal: this.options.signal });
        if (result.status === 'failed') {
          // Transient network failures were retried by the fetcher already; the queue retries later, with a limit.
          await this.failed(job, result.messages.map((m) => `${m.code}: ${m.reason}`).join('; ') || 'fetch failed');
          return 'retry';
        }
        return result.articleId ? [{ stage: 'analyze', key: result.articleId }] : [];
      }
      case 'extract': {
        const raw = await this.store.getRaw(job.key);
        if (!raw) {
          await this.failed(job, `no raw input ${job.key} in the store`, true);
          return 'retry';
        }
        const { outcome } = await reextractRaw(this.store, raw);
        return outcome.articleId ? [{ stage: 'analyze', key: outcome.articleId }] : [];
      }
      case 'brief':
        await refreshBriefing(this.store, job.key);
        return [];
      case 'analyze':
      case 'cluster':
        throw new Error(`${job.stage} jobs run in batches (analyzeJobs, clusterTurn)`);
    }
  }

  /**
   * Analyzes a batch: one read of the articles and of their analyses'
   * versions, and each save sent while the next article is analysed, so the
   * CPU is not idle waiting for the database.
   */
  private async analyzeJobs(jobs: Job[], done: Job[], next: NewJob[]): Promise<void> {
    const ids = jobs.map((j) => j.key);
    const articles = new Map((await this.store.getArticles(ids)).map((a) => [a.id, a]));
    const versions = await this.store.analysisVersions(ids);
    const saves: Array<Promise<void>> = [];
    for (const job of jobs) {
      const article = articles.get(job.key);
      try {
        // Gone (re-extraction replaced its text): nothing to analyze.
        if (article && versions.get(article.id) !== ANALYZER_VERSION) {
          const analysis = analyze(article);
          saves.push(this.store.saveAnalysis({ articleId: article.id, version: ANALYZER_VERSION, analysis }).then(
            () => { done.push(job); next.push({ stage: 'cluster', key: article.id }); },
            (error: unknown) => this.failed(job, error),
          ));
          // Articles another worker clustered stay here until the cache is cleared when full.
          if (this.infos.size >= INFO_CACHE) this.infos.clear();
          this.infos.set(article.id, linkInfo(analysis));
        } else {
          done.push(job);
          if (article) next.push({ stage: 'cluster', key: article.id });
        }
      } catch (error) {
        await this.failed(job, error);
      }
    }
    await Promise.all(saves);
  }

  private async failed(job: Job, error: unknown, permanent = false): Promise<void> {
    const text = error instanceof Error ? error.message : String(error);
    const state = await this.queue.fail(job, text, permanent);
    this.summary.failed++;
    this.options.onEvent?.({ kind: 'failed', stage: job.stage, key: job.key, error: text, state });
  }

  private count(stage: Stage, n: number): void {
    const field = ({ fetch: 'fetched', extract: 'extracted', analyze: 'analyzed', cluster: 'clustered', brief: 'briefed' } as const)[stage];
    this.summary[field] += n;
  }

  /** One turn of clustering under the lock; returns the number of cluster jobs it finished. */
  private async clusterTurn(wait: boolean): Promise<number> {
    const asked = performance.now();
    const turn = async () => {
      const taken = performance.now();
      this.summary.clusterLockWaitMs += taken - asked;
      try {
        return await this.clusterLocked();
      } finally {
        this.summary.clusterLockHeldMs += performance.now() - taken;
      }
    };
    if (wait) return this.store.withClusterLock(turn);
    const outcome = await this.store.tryClusterLock(turn);
    return outcome.ran ? outcome.value : 0;
  }

  private async clusterLocked(): Promise<number> {
    const jobs = await this.queue.claim(['cluster'], this.options.clusterBatch ?? 2_000);
    if (jobs.length === 0) return 0;
    const next: NewJob[] = [];
    try {
      await this.sync();
      const ids = [...new Set(jobs.map((j) => j.key))];
      const inStory = await this.store.storiesOf(ids);
      const infos = new Map<string, LinkInfo>();
      const pending: Array<{ id: string; at: string }> = [];
      const articles = new Map((await this.store.getArticles(ids.filter((id) => !inStory.has(id)))).map((a) => [a.id, a]));
      for (const id of ids) {
        // Already in a story (a job run twice: its first worker died after saving), or gone: nothing to do.
        const article = articles.get(id);
        if (inStory.has(id) || !article) continue;
        const cached = this.infos.get(id);
        this.infos.delete(id);
        const stored = cached ? null : await this.store.getAnalysis(id);
        if (!cached && stored?.version !== ANALYZER_VERSION) {
          next.push({ stage: 'analyze', key: id });
          continue;
        }
        infos.set(id, cached ?? linkInfo(stored!.analysis));
        pending.push({ id, at: article.published ?? article.ingestedAt });
      }
      // Oldest publication first, as processPending clusters.
      pending.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      const changed = pending.length > 0 ? await linkAndCluster(this.store, this.cache.clusterer!, this.cache.linker, pending.map((p) => p.id), infos) : [];
      if (pending.length > 0) {
        this.cache.generation = await this.store.clusterGeneration();
        this.cache.lastSeq = await this.store.lastAssignedSeq();
      }
      if (this.options.briefings ?? true) for (const id of changed) next.push({ stage: 'brief', key: id, delaySeconds: this.options.briefDelaySeconds ?? 5 });
    } catch (error) {
      // What is in memory may no longer match the store: reload on the next turn.
      this.cache.generation = -1;
      for (const job of jobs) await this.failed(job, error);
      return 0;
    }
    const finished = await this.queue.finish(jobs, next);
    this.count('cluster', finished);
    this.options.onEvent?.({ kind: 'done', stage: 'cluster', count: finished });
    return finished;
  }

  /** Brings the clusterer and linker up to the store's latest state (called under the lock). */
  private async sync(): Promise<void> {
    const generation = await this.store.clusterGeneration();
    if (this.cache.clusterer && generation === this.cache.generation) return;
    const fresh = this.cache.clusterer === null || this.cache.generation < 0;
    this.cache.clusterer = await loadClusterer(this.store);
    const caughtUp = fresh ? null : await this.store.assignedSince(this.cache.lastSeq, CATCH_UP_LIMIT + 1);
    if (caughtUp && caughtUp.ids.length <= CATCH_UP_LIMIT) {
      await rememberArticles(this.store, this.cache.linker, caughtUp.ids);
      this.cache.lastSeq = caughtUp.last;
    } else {
      this.cache.linker = new Linker();
      await warmLinker(this.store, this.cache.linker, this.cache.clusterer);
      this.cache.lastSeq = await this.store.lastAssignedSeq();
    }
    this.cache.generation = generation;
  }
}

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
 * One worker, the leader, does all of it: the first to take the cluster lead
 * (a PostgreSQL advisory lock it keeps on a connection of its own) clusters
 * every article until it stops, so its clusterer and linker in memory are
 * always the latest and it never catches up with anyone. The others fetch,
 * extract, analyze and brief, and look for the lead every few seconds: when
 * the leader dies its session ends, the server releases the lock, and the
 * next worker to look takes the lead, loads the saved state and the log once,
 * warms its linker from the latest articles' kept features and clusters the
 * rest (the dead leader's claimed jobs come back when their leases end).
 * Clustering costs about 1 ms an article against several for analysis, so
 * the leader analyses too, and clusters once `clusterMin` articles are ready
 * (or whatever is ready when it has nothing else to do).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { analyze, ANALYZER_VERSION } from '../analyze/index.js';
import { Linker } from '../link/index.js';
import { ingestUrl } from '../pipeline/fetch.js';
import { reextractRaw } from '../pipeline/ingest.js';
import {
  clusterInputs, factsOf, LINKER_WARM_START, linkAndCluster, linkInfo, prelink, refreshBriefing, rememberPrepared, storedForLinker, type ArticleFacts, type ClusterInput,
  type LinkInfo, type RememberedArticle,
} from '../pipeline/process.js';
import { StoryClusterer, type ClustererDelta, type ClustererState } from '../cluster/index.js';
import { Fetcher, sleep, type FetcherOptions } from '../sources/fetch.js';
import type { StoredAnalysis } from '../store/index.js';
import type { PostgresStore } from '../store/postgres/index.js';
import { decodeLinkFeatures, encodeLinkFeatures } from './features.js';
import { STAGES, WorkQueue, type Job, type NewJob, type Stage } from './queue.js';

export { WorkQueue, STAGES, type Job, type NewJob, type Stage, type QueueCounts, type DeadJob } from './queue.js';

export interface WorkerOptions {
  /** Jobs claimed at once for fetch, extract, analyze and brief (default 32). */
  batch?: number;
  /** Most articles clustered in one turn of the leader (default 2,000). */
  clusterBatch?: number;
  /**
   * Cluster jobs that must be ready before the leader, when it has other
   * work, takes a turn (default 1,000); with nothing else to do it clusters
   * whatever is ready. Each turn appends the clusterer's changes and the
   * changed stories, so turns of a few articles cost more per article than
   * large ones.
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
  /** Time spent in cluster turns (as the leader), ms: the serial part of the work. */
  clusterTurnMs: number;
  /** CPU time of this process during the run (user + system), ms: scaling shows in it whatever the machine's load. */
  cpuMs: number;
  /** CPU time spent loading the clusterer state and warming the linker on taking the lead, and catching up with anything others saved, ms. */
  catchUpCpuMs: number;
  /** Whole clusterer states this worker wrote to fold the log. */
  compactions: number;
  /** Times this worker took the cluster lead. */
  leads: number;
}

/**
 * The log may grow to this many times the whole state's size before it is
 * folded in: a starting worker then reads at most about four times the state,
 * and while a turn changes most active stories (small stores: a delta is
 * nearly a whole state), the whole state is serialised every few turns, not
 * every turn.
 */
const COMPACT_AT = 3;
/** The stages every worker runs; cluster jobs are the leader's. */
const WORK_STAGES: readonly Stage[] = ['fetch', 'extract', 'analyze', 'brief'];
/** Least time between two looks for expired leases (another worker's jobs to take back), ms. */
const RECLAIM_INTERVAL_MS = 2_000;
/**
 * Least time between two counts of the ready cluster jobs while the leader
 * has other work, ms: each count reads up to `clusterMin` queued rows (2–3 ms
 * of the server's CPU). The leader's own analyses are counted in memory.
 */
const READY_CHECK_MS = 2_000;
/** Least time between two attempts of a worker that is not the leader to take the lead (a leader that stopped is replaced within it), ms. */
const LEAD_CHECK_MS = 2_000;
/** Articles another worker clustered since our last turn, beyond which the linker is rebuilt from the latest articles instead. */
const CATCH_UP_LIMIT = 5_000;
/** Link infos of its own analyses a worker keeps until it clusters them (a few KB each). */
const INFO_CACHE = 20_000;
/** Facts (title, date, provenance) of clustered articles kept to save changed stories without reading their members back. */
const FACTS_CACHE = 200_000;

/** A worker's own linker and clusterer, and how current they are. */
interface ClusterCache {
  clusterer: StoryClusterer | null;
  linker: Linker;
  /** Generation of the saved clusterer `clusterer` matches; -1: unknown (reload, linker rebuilt: on taking the lead). */
  generation: number;
  /** Last clusterer log entry `clusterer` includes. */
  logSeq: number;
  /** The store holds a whole clusterer state, so turns append deltas to the log. */
  stateSaved: boolean;
  /** A whole state prepared outside the lock (after a turn that grew the log past the state's size), written in the next turn. */
  compaction: { state: string; seq: number } | null;
  /** Last `assigned_seq` the linker has seen. */
  lastSeq: number;
  /** Facts of articles in stories, for saving changed stories (bounded by FACTS_CACHE). */
  facts: Map<string, ArticleFacts>;
}

/** Cluster jobs claimed and prepared for the leader's turn. */
interface HeldBatch {
  jobs: Job[];
  /** Prepared articles, oldest publication first. */
  inputs: Map<string, ClusterInput>;
  /** Jobs to queue when the batch is finished (articles whose analysis is not current go back to analysis). */
  next: NewJob[];
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
  private readonly summary: WorkerSummary = { fetched: 0, extracted: 0, analyzed: 0, clustered: 0, briefed: 0, failed: 0, clusterTurnMs: 0, cpuMs: 0, catchUpCpuMs: 0, compactions: 0, leads: 0 };
  private readonly cache: ClusterCache = { clusterer: null, linker: new Linker(), generation: -1, logSeq: 0, stateSaved: false, compaction: null, lastSeq: 0, facts: new Map() };
  private held: HeldBatch = { jobs: [], inputs: new Map(), next: [] };
  /** Articles this worker analysed, as the leader, whose cluster job is queued: it takes those first, their link infos are at hand. */
  private readonly ownClusterJobs = new Set<string>();
  /** This worker holds the cluster lead (as far as it last checked). */
  private leading = false;
  private fetcher: Fetcher | null = null;
  /** The last analysed batch's save (`saveAnalysed`) while it is in flight. */
  private savingAnalyses: Promise<void> | null = null;
  /**
   * What linking needs of the analyses this worker made as the leader, until
   * it clusters them (saves reading the analysis JSON back); bounded, the
   * rest is read.
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
    const cpuAtStart = process.cpuUsage();
    let lastScan = 0;
    let lastReclaim = 0;
    let lastReadyCheck = 0;
    let lastLeadCheck = 0;
    const scanNow = async () => {
      lastScan = Date.now();
      const queued = await this.queue.enqueuePending(ANALYZER_VERSION);
      if (queued > 0) this.options.onEvent?.({ kind: 'scan', queued });
      return queued;
    };
    try {
      if (scan) await scanNow();
      while (!signal?.aborted) {
        // Leases run for minutes: looking for expired ones every few seconds is soon enough, and each look is a query.
        if (Date.now() - lastReclaim >= RECLAIM_INTERVAL_MS) {
          lastReclaim = Date.now();
          const reclaimed = await this.queue.reclaimExpired();
          if (reclaimed > 0) this.options.onEvent?.({ kind: 'reclaimed', count: reclaimed });
        }
        // Not the leader: every few seconds, see whether the lead is free (no leader yet, or it stopped).
        if (!this.leading && Date.now() - lastLeadCheck >= LEAD_CHECK_MS) {
          lastLeadCheck = Date.now();
          await this.takeLead();
        }
        const jobs = await this.queue.claim(WORK_STAGES, this.options.batch ?? 32);
        // Nothing else to do: what follows looks at the queue, which must hold the last batch's results.
        if (jobs.length === 0) await this.settleAnalyses();
        await this.runJobs(jobs);
        // The leader clusters once enough is ready, or whatever is ready when it has nothing else to do.
        let clustered = 0;
        const clusterMin = this.options.clusterMin ?? 1_000;
        const idle = jobs.length === 0;
        if (this.leading && this.ownClusterJobs.size >= clusterMin) clustered = await this.clusterTurn();
        else if (this.leading && (idle || Date.now() - lastReadyCheck >= READY_CHECK_MS)) {
          // Others' cluster jobs too: counted at most every READY_CHECK_MS while busy.
          lastReadyCheck = Date.now();
          const ready = await this.queue.readyCount(['cluster'], clusterMin);
          if (ready > 0 && (idle || ready >= clusterMin)) clustered = await this.clusterTurn();
        }
        if (jobs.length > 0 || clustered > 0) continue;
        if (this.options.drain && !await this.queue.anyOpen()) {
          // Nothing queued or running anywhere: a last scan makes sure nothing was left without a job.
          if (!scan || await scanNow() === 0) break;
          continue;
        }
        if (scan && Date.now() - lastScan >= scanInterval && await scanNow() > 0) continue;
        // Idle and not the leader: maybe the leader stopped, leaving cluster jobs nobody else takes.
        if (!this.leading) lastLeadCheck = 0;
        // A worker that does not lead waits for no cluster job (else it would poll every 50 ms while the leader works through them).
        const next = await this.queue.secondsToNext(this.leading ? STAGES : WORK_STAGES);
        await sleep(next === null ? poll : Math.min(poll, Math.max(50, next * 1000)), signal).catch(() => {});
      }
    } finally {
      await this.settleAnalyses();
      clearInterval(heartbeat);
      // Claimed but not clustered (stopped before the turn): back to the queue for the next leader.
      if (this.held.jobs.length > 0) await this.queue.release(this.held.jobs).catch(() => {});
      // Given up at once, rather than when the connection closes, so another worker takes the lead on its next look.
      await this.store.releaseClusterLead();
      const cpu = process.cpuUsage(cpuAtStart);
      this.summary.cpuMs = (cpu.user + cpu.system) / 1000;
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
        await this.analyzeJobs(group);
        continue;
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
   * versions; then the analyses, the jobs' completion and the cluster jobs
   * that follow go in one transaction (`saveAnalysed`), sent while the worker
   * claims and analyses its next batch, so the CPU is not idle waiting for
   * the database and the server commits once per batch.
   */
  private async analyzeJobs(jobs: Job[]): Promise<void> {
    const ids = jobs.map((j) => j.key);
    const articles = new Map((await this.store.getArticles(ids)).map((a) => [a.id, a]));
    const versions = await this.store.analysisVersions(ids);
    const analysed: Array<{ job: Job; stored: StoredAnalysis }> = [];
    const skipped: Job[] = [];
    const next: NewJob[] = [];
    for (const job of jobs) {
      const article = articles.get(job.key);
      try {
        // Gone (re-extraction replaced its text): nothing to analyze.
        if (article && versions.get(article.id) !== ANALYZER_VERSION) {
          const analysis = analyze(article);
          analysed.push({ job, stored: { articleId: article.id, version: ANALYZER_VERSION, analysis } });
          // For the leader's own turns; articles it did not cluster (another leader did) stay until the cache is cleared when full.
          if (this.leading) {
            if (this.infos.size >= INFO_CACHE) {
              this.infos.clear();
              this.ownClusterJobs.clear();
            }
            this.infos.set(article.id, linkInfo(analysis));
          }
        } else {
          skipped.push(job);
          if (article) next.push({ stage: 'cluster', key: article.id, continues: job });
        }
      } catch (error) {
        await this.failed(job, error);
      }
    }
    // One batch in flight at a time: the previous one is committed before this one is sent.
    await this.settleAnalyses();
    const saving = this.saveAnalysed(analysed, skipped, next);
    this.savingAnalyses = saving;
    saving.finally(() => { if (this.savingAnalyses === saving) this.savingAnalyses = null; }).catch(() => {});
  }

  /**
   * Saves a batch's analyses, marks its jobs done and queues their cluster
   * jobs, in one transaction: a crash loses all of it or none (the jobs then
   * run again when their lease ends). On failure every job of the batch is
   * failed (retried later).
   */
  private async saveAnalysed(analysed: Array<{ job: Job; stored: StoredAnalysis }>, skipped: Job[], next: NewJob[]): Promise<void> {
    const jobs = [...skipped, ...analysed.map((a) => a.job)];
    if (jobs.length === 0) return;
    try {
      const stored = analysed.map((a) => a.stored);
      const finished = await this.queue.finish(jobs, [...next, ...analysed.map(({ job, stored }): NewJob => ({ stage: 'cluster', key: stored.articleId, continues: job }))],
        stored.length > 0 ? (client) => this.store.saveAnalyses(stored, client) : undefined);
      if (this.leading) for (const { articleId } of stored) if (this.infos.has(articleId)) this.ownClusterJobs.add(articleId);
      this.count('analyze', finished);
      this.options.onEvent?.({ kind: 'done', stage: 'analyze', count: finished });
    } catch (error) {
      for (const job of jobs) await this.failed(job, error);
    }
  }

  /** Waits for the batch of analyses in flight, if any, to be committed (or failed). */
  private async settleAnalyses(): Promise<void> {
    if (this.savingAnalyses) await this.savingAnalyses;
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

  /**
   * Takes the cluster lead when it is free; on taking it, everything cached
   * of the clusterer is reloaded at the next turn (another leader may have
   * clustered since this worker last did).
   */
  private async takeLead(): Promise<void> {
    if (!await this.store.takeClusterLead()) return;
    this.leading = true;
    this.summary.leads++;
    this.cache.generation = -1;
  }

  /**
   * One clustering turn of the leader: claims and prepares a batch, brings
   * its clusterer up to the store (nothing to do unless it just took the
   * lead), links the batch and clusters it. Returns the number of cluster
   * jobs it finished.
   */
  private async clusterTurn(): Promise<number> {
    // The cluster jobs of the analyses in flight are this worker's to take first.
    await this.settleAnalyses();
    // Asked of the server once a turn: a lead lost with its connection must not cluster beside the next leader.
    if (!await this.store.holdsClusterLead()) {
      this.leading = false;
      this.ownClusterJobs.clear();
      this.infos.clear();
      return 0;
    }
    const started = performance.now();
    try {
      await this.hold();
      if (this.held.jobs.length === 0) return 0;
      try {
        await this.sync();
        prelink(this.cache.linker, this.held.inputs.values());
      } catch (error) {
        return this.failHeld(error);
      }
      const saved = await this.clusterHeld();
      if (!saved) return 0;
      // The stories are saved, so a crash before this only makes the jobs run again and find their articles in stories.
      const finished = await this.queue.finish(saved.jobs, saved.next);
      this.count('cluster', finished);
      this.options.onEvent?.({ kind: 'done', stage: 'cluster', count: finished });
      if (finished > 0) await this.prepareCompaction();
      return finished;
    } finally {
      this.summary.clusterTurnMs += performance.now() - started;
    }
  }

  /**
   * After a turn that grew the clusterer log past `COMPACT_AT` times the
   * size of the whole state: serialises the whole state as it stands, for
   * the next turn to write, so that loading the state (when another worker
   * takes the lead) stays bounded.
   */
  private async prepareCompaction(): Promise<void> {
    const position = await this.store.clustererPosition();
    if (position.logBytes <= COMPACT_AT * position.stateBytes || !this.cache.clusterer) return;
    this.cache.compaction = { state: JSON.stringify(this.cache.clusterer.export()), seq: this.cache.logSeq };
  }

  /**
   * Tops the held batch up to `clusterBatch` jobs: this worker's own
   * analyses first (their link infos are in memory), then any ready cluster
   * job; reads and prepares the new articles.
   */
  private async hold(): Promise<void> {
    const limit = (this.options.clusterBatch ?? 2_000) - this.held.jobs.length;
    if (limit <= 0) return;
    const own = this.ownClusterJobs.size > 0 ? await this.queue.claimKeys('cluster', [...this.ownClusterJobs], limit) : [];
    for (const job of own) this.ownClusterJobs.delete(job.key);
    // Own jobs not claimed are gone (another worker took them, or they were reclaimed): stop waiting for them.
    if (own.length < limit) this.ownClusterJobs.clear();
    const others = own.length < limit ? await this.queue.claim(['cluster'], limit - own.length) : [];
    const jobs = [...own, ...others];
    if (jobs.length === 0) return;
    try {
      const ids = [...new Set(jobs.map((j) => j.key))].filter((id) => !this.held.inputs.has(id));
      const current = new Set<string>();
      const stale = new Set<string>();
      // Others' analyses: read in one query per 500 (their versions and link infos), not one at a time by clusterInputs.
      const unknown = ids.filter((id) => !this.infos.has(id));
      for (let i = 0; i < unknown.length; i += 500) {
        for (const [id, stored] of await this.store.getAnalyses(unknown.slice(i, i + 500))) {
          if (stored.version === ANALYZER_VERSION) this.infos.set(id, linkInfo(stored.analysis));
        }
      }
      for (const id of ids) (this.infos.has(id) ? current : stale).add(id);
      // Analysed by an older version, or not at all: back to analysis (which finishes at once when the article is gone).
      for (const id of stale) this.held.next.push({ stage: 'analyze', key: id });
      const inputs = await clusterInputs(this.store, [...current], this.infos);
      // For the linker of the next leader, which starts from the latest articles' kept features.
      await this.store.saveLinkFeatures([...inputs.values()].map((item) => ({ articleId: item.article.id, data: encodeLinkFeatures(item.prepared) })));
      const merged = [...this.held.inputs, ...inputs];
      // Oldest publication first, as processPending clusters.
      const at = ({ article }: ClusterInput) => article.published ?? article.ingestedAt;
      merged.sort(([, a], [, b]) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0));
      this.held.inputs = new Map(merged);
      this.held.jobs.push(...jobs);
    } catch (error) {
      for (const job of jobs) await this.failed(job, error);
    }
  }

  /** Assigns the held batch and saves it; returns the jobs to finish and what follows them (null: failed). */
  private async clusterHeld(): Promise<Pick<HeldBatch, 'jobs' | 'next'> | null> {
    const { jobs, inputs } = this.held;
    const next = [...this.held.next];
    try {
      if (this.cache.compaction) {
        if (await this.store.compactClusterer(this.cache.compaction.state, this.cache.compaction.seq)) this.summary.compactions++;
        this.cache.compaction = null;
      }
      // Already in a story (a job run twice: its first worker died after saving, or its lease ran out while it worked): nothing to do.
      const inStory = await this.store.storiesOf([...inputs.keys()]);
      const ids = [...inputs.keys()].filter((id) => !inStory.has(id));
      const clusterer = this.cache.clusterer!;
      // The first turn on an empty store saves the whole state; every later one appends its changes to the log.
      const changed = ids.length > 0 ? await linkAndCluster(this.store, clusterer, this.cache.linker, ids, { inputs, facts: this.cache.facts, delta: this.cache.stateSaved, generation: this.cache.generation }) : [];
      if (this.cache.facts.size > FACTS_CACHE) this.cache.facts.clear();
      // So that a later turn changing their stories does not read these articles back for their titles and dates.
      for (const id of ids) this.cache.facts.set(id, factsOf(inputs.get(id)!.article));
      if (ids.length > 0) {
        if (!this.cache.stateSaved) {
          clusterer.takeDelta(); // saved whole: the changes so far are in it
          this.cache.stateSaved = true;
        }
        // The leader's: every save since our last look is ours.
        const position = await this.store.clustererPosition();
        this.cache.generation = position.generation;
        this.cache.logSeq = position.lastSeq;
        this.cache.lastSeq = await this.store.lastAssignedSeq();
      }
      if (this.options.briefings ?? true) for (const id of changed) next.push({ stage: 'brief', key: id, delaySeconds: this.options.briefDelaySeconds ?? 5 });
    } catch (error) {
      await this.failHeld(error);
      return null;
    }
    this.held = { jobs: [], inputs: new Map(), next: [] };
    return { jobs, next };
  }

  /** Fails every held job (they are retried later) and forgets what is in memory, which may no longer match the store. */
  private async failHeld(error: unknown): Promise<number> {
    const { jobs } = this.held;
    this.held = { jobs: [], inputs: new Map(), next: [] };
    this.cache.generation = -1;
    for (const job of jobs) await this.failed(job, error);
    return 0;
  }

  /**
   * Brings the clusterer and linker up to the store's latest state: applies
   * the clusterer deltas others logged since (or reloads the whole state when
   * something else saved it whole), and adds the articles others clustered to
   * the linker. Called at the start of each of the leader's turns: after it
   * took the lead it loads everything once; then, as nobody else clusters, it
   * finds nothing to do.
   */
  private async sync(): Promise<void> {
    const cpuAtStart = process.cpuUsage();
    try {
      await this.syncNow();
    } finally {
      const cpu = process.cpuUsage(cpuAtStart);
      this.summary.catchUpCpuMs += (cpu.user + cpu.system) / 1000;
    }
  }

  private async syncNow(): Promise<void> {
    const fresh = this.cache.clusterer === null || this.cache.generation < 0;
    // Read first: whatever is saved after this is caught up below, whatever before is in the state loaded next.
    const seqBefore = fresh ? await this.store.lastAssignedSeq() : this.cache.lastSeq;
    if (fresh) await this.loadClusterer();
    else await this.catchUpClusterer();
    let warmed = new Set<string>();
    if (fresh) {
      this.cache.linker = new Linker();
      // Links found with the old linker are kept out: the held articles are linked again with the new one.
      for (const item of this.held.inputs.values()) delete item.links;
      // The latest state's recent articles (as warmLinker does), from their kept features.
      const recent = this.cache.clusterer!.recentArticles(LINKER_WARM_START);
      await this.rememberClustered(recent);
      warmed = new Set(recent);
    }
    const caughtUp = await this.store.assignedSince(seqBefore, CATCH_UP_LIMIT + 1);
    if (caughtUp.ids.length <= CATCH_UP_LIMIT) {
      const ids = caughtUp.ids.filter((id) => !warmed.has(id));
      if (ids.length > 0) await this.rememberClustered(ids);
      this.cache.lastSeq = caughtUp.last;
    } else if (!fresh) {
      // Too far behind: the linker is rebuilt from the latest state's recent articles.
      this.cache.generation = -1;
      await this.syncNow();
    } else {
      this.cache.lastSeq = await this.store.lastAssignedSeq();
    }
  }

  /**
   * Puts articles others clustered into the linker, in the order given: from
   * the features their worker kept, or, for articles without (clustered by
   * another kind of process), from their text. Held articles are linked with
   * them (see `rememberPrepared`).
   */
  private async rememberClustered(ids: string[]): Promise<void> {
    const found = new Map<string, RememberedArticle>();
    for (let i = 0; i < ids.length; i += 500) {
      for (const { article, data } of await this.store.linkFeatures(ids.slice(i, i + 500))) {
        const prepared = decodeLinkFeatures(data);
        if (!prepared) continue;
        this.cache.facts.set(article.id, factsOf(article));
        found.set(article.id, { input: { ...article, text: '', sentences: [], entityKeys: [] }, prepared });
      }
    }
    const missing = ids.filter((id) => !found.has(id));
    for (let i = 0; i < missing.length; i += 500) {
      for (const article of await this.store.getArticles(missing.slice(i, i + 500))) {
        this.cache.facts.set(article.id, factsOf(article));
        found.set(article.id, storedForLinker(article));
      }
    }
    rememberPrepared(this.cache.linker, ids.flatMap((id) => found.get(id) ?? []), [...this.held.inputs.values()]);
  }

  /** The whole saved state and the log after it, from one snapshot of the store; from now on the clusterer records its changes. */
  private async loadClusterer(): Promise<void> {
    const saved = await this.store.loadClustererSnapshot();
    const clusterer = saved.state ? StoryClusterer.import(JSON.parse(saved.state) as ClustererState) : new StoryClusterer();
    for (const entry of saved.log) clusterer.applyDelta(JSON.parse(entry.delta) as ClustererDelta);
    clusterer.trackChanges();
    this.cache.clusterer = clusterer;
    this.cache.generation = saved.generation;
    this.cache.logSeq = saved.log.at(-1)?.seq ?? saved.logSeq;
    this.cache.stateSaved = saved.state !== null;
    this.cache.compaction = null;
  }

  /**
   * Applies the deltas logged after ours, each the next generation; when the
   * generations do not follow (a whole state saved by another process, or a
   * compaction that folded entries we had not seen), reloads.
   */
  private async catchUpClusterer(): Promise<void> {
    const { generation, log } = await this.store.clustererLogSince(this.cache.logSeq);
    if (generation === this.cache.generation) return;
    for (const entry of log) {
      if (entry.generation !== this.cache.generation + 1) break;
      this.cache.clusterer!.applyDelta(JSON.parse(entry.delta) as ClustererDelta);
      this.cache.generation = entry.generation;
      this.cache.logSeq = entry.seq;
    }
    if (this.cache.generation !== generation) await this.loadClusterer();
  }
}

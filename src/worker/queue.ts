/**
 * The work queue in PostgreSQL (table `jobs`, migration 100_work_queue). One
 * row is one item at one stage: a URL to fetch, a raw input to extract, an
 * article to analyze or cluster, a story to brief. Workers on any machine
 * claim ready rows with `FOR UPDATE SKIP LOCKED` (two workers never claim the
 * same row, and neither waits for the other), hold them under a lease that
 * expires (the database clock decides, so machines need not agree on the
 * time), and either finish them, hand them to the next stage, or fail them:
 * a failed job is retried after a growing delay until `max_attempts`, then
 * left `dead` with its last error for a person to look at.
 */
import type pg from 'pg';

export const STAGES = ['fetch', 'extract', 'analyze', 'cluster', 'brief'] as const;
export type Stage = (typeof STAGES)[number];
export type JobState = 'queued' | 'running' | 'done' | 'dead';

export interface Job {
  id: number;
  stage: Stage;
  key: string;
  /** Claims so far, this one included. */
  attempts: number;
  maxAttempts: number;
}

export interface NewJob {
  stage: Stage;
  key: string;
  /** Seconds before it may run (briefs wait so that one story changed by many batches is briefed once). */
  delaySeconds?: number;
  /** Claims before it is left dead (default 5). */
  maxAttempts?: number;
  /**
   * The job being finished that this one continues (an article's analysis,
   * then its clustering): `finish` turns that job's row into this one, one
   * row rewritten instead of one marked done and one inserted.
   */
  continues?: Job;
}

export interface QueueCounts {
  stage: Stage;
  state: JobState;
  count: number;
}

export interface DeadJob {
  id: number;
  stage: Stage;
  key: string;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

type Queryable = pg.Pool | pg.PoolClient;

export interface WorkQueueOptions {
  /** Seconds a claimed job stays ours without a heartbeat (default 60). */
  leaseSeconds?: number;
  /** Delay before the first retry of a failed job, doubled per attempt up to 300 s (default 2). */
  retrySeconds?: number;
}

const DEFAULT_MAX_ATTEMPTS = 5;
const MAX_BACKOFF_SECONDS = 300;

export class WorkQueue {
  readonly leaseSeconds: number;
  private readonly retrySeconds: number;

  constructor(private readonly pool: pg.Pool, readonly workerId: string, options: WorkQueueOptions = {}) {
    this.leaseSeconds = options.leaseSeconds ?? 60;
    this.retrySeconds = options.retrySeconds ?? 2;
  }

  /** Adds jobs; one already queued for the same stage and key is left as it is. Returns how many were added. */
  async enqueue(jobs: NewJob[], db: Queryable = this.pool): Promise<number> {
    if (jobs.length === 0) return 0;
    const result = await db.query(
      `INSERT INTO jobs (stage, key, run_after, max_attempts)
       SELECT stage, key, now() + make_interval(secs => delay), max_attempts
       FROM unnest($1::text[], $2::text[], $3::float8[], $4::int[]) AS j(stage, key, delay, max_attempts)
       ON CONFLICT (stage, key) WHERE state = 'queued' DO NOTHING`,
      [jobs.map((j) => j.stage), jobs.map((j) => j.key), jobs.map((j) => j.delaySeconds ?? 0), jobs.map((j) => j.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)],
    );
    return result.rowCount ?? 0;
  }

  /**
   * Claims up to `limit` ready jobs of the given stages, oldest first, under a
   * lease. Rows another worker holds are skipped, not waited for.
   *
   * The queued jobs are found in id order through an index that holds only
   * them (migration 103): one stage through `jobs_queued_stage`, several
   * without cluster jobs (what a worker claims between its cluster turns)
   * through `jobs_queued_work`. Without those the scan walked the primary key
   * past every finished job first, a cost that grew with the table.
   */
  async claim(stages: readonly Stage[], limit: number): Promise<Job[]> {
    if (stages.length === 0 || limit <= 0) return [];
    const which = stages.length === 1 ? 'stage = $3' : stages.includes('cluster') ? 'stage = ANY($3::text[])' : "stage = ANY($3::text[]) AND stage <> 'cluster'";
    const rows = (await this.pool.query<{ id: string; stage: Stage; key: string; attempts: number; max_attempts: number }>(
      `UPDATE jobs SET state = 'running', leased_by = $1, lease_until = now() + make_interval(secs => $2), attempts = attempts + 1, updated_at = now()
       WHERE id IN (SELECT id FROM jobs WHERE state = 'queued' AND ${which} AND run_after <= now()
                    ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED)
       RETURNING id, stage, key, attempts, max_attempts`,
      [this.workerId, this.leaseSeconds, stages.length === 1 ? stages[0] : stages, limit],
    )).rows;
    return rows.map((r) => ({ id: Number(r.id), stage: r.stage, key: r.key, attempts: r.attempts, maxAttempts: r.max_attempts })).sort((a, b) => a.id - b.id);
  }

  /** Like `claim`, for the ready jobs of one stage with the given keys (a worker's own analyses, say). */
  async claimKeys(stage: Stage, keys: string[], limit: number): Promise<Job[]> {
    if (keys.length === 0 || limit <= 0) return [];
    const rows = (await this.pool.query<{ id: string; stage: Stage; key: string; attempts: number; max_attempts: number }>(
      `UPDATE jobs SET state = 'running', leased_by = $1, lease_until = now() + make_interval(secs => $2), attempts = attempts + 1, updated_at = now()
       WHERE id IN (SELECT id FROM jobs WHERE state = 'queued' AND run_after <= now() AND stage = $3 AND key = ANY($4::text[])
                    ORDER BY id LIMIT $5 FOR UPDATE SKIP LOCKED)
       RETURNING id, stage, key, attempts, max_attempts`,
      [this.workerId, this.leaseSeconds, stage, keys, limit],
    )).rows;
    return rows.map((r) => ({ id: Number(r.id), stage: r.stage, key: r.key, attempts: r.attempts, maxAttempts: r.max_attempts })).sort((a, b) => a.id - b.id);
  }

  /**
   * Returns claimed jobs to the queue untouched (the claim does not count as
   * an attempt). A job whose stage and key were queued again meanwhile is
   * closed instead: the queued one does the work.
   */
  async release(jobs: Job[]): Promise<number> {
    if (jobs.length === 0) return 0;
    const ids = jobs.map((j) => j.id);
    const released = await this.pool.query(
      `UPDATE jobs SET state = 'queued', attempts = greatest(attempts - 1, 0), leased_by = NULL, lease_until = NULL, updated_at = now()
       WHERE id = ANY($1::bigint[]) AND state = 'running' AND leased_by = $2
         AND NOT EXISTS (SELECT 1 FROM jobs AS q WHERE q.state = 'queued' AND q.stage = jobs.stage AND q.key = jobs.key)`,
      [ids, this.workerId],
    );
    await this.pool.query(
      `UPDATE jobs SET state = 'done', leased_by = NULL, lease_until = NULL, last_error = 'released; the same job is queued again', updated_at = now()
       WHERE id = ANY($1::bigint[]) AND state = 'running' AND leased_by = $2`,
      [ids, this.workerId],
    );
    return released.rowCount ?? 0;
  }

  /**
   * Marks jobs done and queues what follows them, in one transaction (with
   * `work`, the jobs' own writes go in it too); a next job that `continues`
   * one of them takes over its row. Only jobs this worker still holds are
   * finished: when a lease expired and another worker took the job over,
   * that worker's run counts.
   */
  async finish(jobs: Job[], next: NewJob[] = [], work?: (client: pg.PoolClient) => Promise<void>): Promise<number> {
    if (jobs.length === 0 && next.length === 0 && !work) return 0;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // The jobs' own writes (a batch's analyses), committed with their completion: one commit for both.
      if (work) await work(client);
      const finishing = new Set(jobs.map((j) => j.id));
      const continuing = next.filter((n) => n.continues && finishing.has(n.continues.id));
      // A row is not turned into a job queued already (the one-queued-job-per-key rule): it is finished below instead.
      const turned = continuing.length === 0 ? new Set<number>() : new Set((await client.query<{ id: string }>(
        `UPDATE jobs SET stage = n.stage, key = n.key, state = 'queued', attempts = 0, max_attempts = n.max_attempts,
           run_after = now() + make_interval(secs => n.delay), leased_by = NULL, lease_until = NULL, last_error = NULL, updated_at = now()
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::float8[], $5::int[]) AS n(id, stage, key, delay, max_attempts)
         WHERE jobs.id = n.id AND jobs.state = 'running' AND jobs.leased_by = $6
           AND NOT EXISTS (SELECT 1 FROM jobs AS q WHERE q.state = 'queued' AND q.stage = n.stage AND q.key = n.key)
         RETURNING jobs.id`,
        [continuing.map((n) => n.continues!.id), continuing.map((n) => n.stage), continuing.map((n) => n.key),
          continuing.map((n) => n.delaySeconds ?? 0), continuing.map((n) => n.maxAttempts ?? DEFAULT_MAX_ATTEMPTS), this.workerId],
      )).rows.map((r) => Number(r.id)));
      const done = await client.query(
        `UPDATE jobs SET state = 'done', leased_by = NULL, lease_until = NULL, updated_at = now()
         WHERE id = ANY($1::bigint[]) AND state = 'running' AND leased_by = $2`,
        [jobs.filter((j) => !turned.has(j.id)).map((j) => j.id), this.workerId],
      );
      await this.enqueue(next.filter((n) => !(n.continues && turned.has(n.continues.id))), client);
      await client.query('COMMIT');
      return (done.rowCount ?? 0) + turned.size;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Records a failure: the job is queued again after a delay that doubles
   * per attempt, or, once it has used its attempts (or `permanent`), left dead.
   */
  async fail(job: Job, error: string, permanent = false): Promise<JobState> {
    const requeue = () => this.pool.query<{ state: JobState }>(
      `UPDATE jobs SET state = CASE WHEN $3 OR attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
         run_after = now() + make_interval(secs => least($4 * power(2, attempts - 1), $5)),
         leased_by = NULL, lease_until = NULL, last_error = $2, updated_at = now()
       WHERE id = $1 AND state = 'running' AND leased_by = $6
       RETURNING state`,
      [job.id, error, permanent, this.retrySeconds, MAX_BACKOFF_SECONDS, this.workerId],
    );
    const row = (await onDuplicate(requeue, () => this.supersede(job.id, error))).rows[0];
    return row?.state ?? 'running';
  }

  /**
   * Closes a job that cannot go back to the queue because the same work is
   * queued already (a story changed again while its brief ran): that job does it.
   */
  private async supersede(id: number, error: string): Promise<pg.QueryResult<{ state: JobState }>> {
    return this.pool.query<{ state: JobState }>(
      `UPDATE jobs SET state = 'done', leased_by = NULL, lease_until = NULL, last_error = $2 || ' (superseded by the same job queued again)', updated_at = now()
       WHERE id = $1 RETURNING state`,
      [id, error],
    );
  }

  /** Extends the leases of every job this worker holds (called on a timer while it works). */
  async heartbeat(): Promise<number> {
    const result = await this.pool.query(
      `UPDATE jobs SET lease_until = now() + make_interval(secs => $2) WHERE state = 'running' AND leased_by = $1`,
      [this.workerId, this.leaseSeconds],
    );
    return result.rowCount ?? 0;
  }

  /**
   * Returns jobs whose lease expired (their worker died or hung) to the
   * queue, or to `dead` when they used their attempts: a job that kills every
   * worker that takes it stops being retried.
   */
  async reclaimExpired(): Promise<number> {
    // One job per statement, so a job whose work was queued again meanwhile is seen as such (see `supersede`).
    let reclaimed = 0;
    for (;;) {
      const expired = (await this.pool.query<{ id: string; leased_by: string | null }>(
        // By lease end, through the index of running jobs' leases (in id order the scan walked every finished job).
        `SELECT id, leased_by FROM jobs WHERE state = 'running' AND lease_until < now() ORDER BY lease_until, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      )).rows[0];
      if (!expired) return reclaimed;
      const error = `lease expired (worker ${expired.leased_by ?? '?'} stopped or hung)`;
      const requeue = () => this.pool.query<{ state: JobState }>(
        `UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
           last_error = $2, leased_by = NULL, lease_until = NULL, updated_at = now()
         WHERE id = $1 AND state = 'running' AND lease_until < now() RETURNING state`,
        [expired.id, error],
      );
      await onDuplicate(requeue, () => this.supersede(Number(expired.id), error));
      reclaimed++;
    }
  }

  /** Jobs of these stages queued and ready now, counted up to `atMost` (a bound keeps the count cheap when the queue is long). */
  async readyCount(stages: readonly Stage[], atMost = Number.MAX_SAFE_INTEGER): Promise<number> {
    const row = (await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM (SELECT 1 FROM jobs WHERE state = 'queued' AND run_after <= now() AND stage = ANY($1::text[]) LIMIT $2) AS ready`, [stages, atMost],
    )).rows[0];
    return Number(row?.n ?? 0);
  }

  /** Jobs queued (ready or not) or running, of any stage. */
  async openCount(): Promise<number> {
    return Number((await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM jobs WHERE state IN ('queued', 'running')`)).rows[0]!.n);
  }

  /** True when some job is queued (ready or not) or running (what `openCount() > 0` says, without counting them all). */
  async anyOpen(): Promise<boolean> {
    return (await this.pool.query<{ open: boolean }>(`SELECT EXISTS (SELECT 1 FROM jobs WHERE state IN ('queued', 'running')) AS open`)).rows[0]!.open;
  }

  /** Seconds until the next queued job of these stages becomes ready (0: one is ready; null: none queued). */
  async secondsToNext(stages: readonly Stage[] = STAGES): Promise<number | null> {
    const row = (await this.pool.query<{ s: number | null }>(
      `SELECT greatest(0, extract(epoch FROM min(run_after) - now()))::float8 AS s FROM jobs WHERE state = 'queued' AND stage = ANY($1::text[])`, [stages],
    )).rows[0];
    return row?.s ?? null;
  }

  async counts(): Promise<QueueCounts[]> {
    const rows = (await this.pool.query<{ stage: Stage; state: JobState; n: string }>(
      'SELECT stage, state, count(*) AS n FROM jobs GROUP BY stage, state ORDER BY stage, state',
    )).rows;
    return rows.map((r) => ({ stage: r.stage, state: r.state, count: Number(r.n) }));
  }

  async dead(limit = 50): Promise<DeadJob[]> {
    const rows = (await this.pool.query<{ id: string; stage: Stage; key: string; attempts: number; last_error: string | null; updated_at: Date }>(
      `SELECT id, stage, key, attempts, last_error, updated_at FROM jobs WHERE state = 'dead' ORDER BY updated_at DESC, id DESC LIMIT $1`, [limit],
    )).rows;
    return rows.map((r) => ({ id: Number(r.id), stage: r.stage, key: r.key, attempts: r.attempts, lastError: r.last_error, updatedAt: r.updated_at.toISOString() }));
  }

  /** Gives dead jobs a new set of attempts (after the cause was fixed). A key already queued again stays dead. */
  async retryDead(): Promise<number> {
    const result = await this.pool.query(
      `UPDATE jobs SET state = 'queued', attempts = 0, run_after = now(), updated_at = now()
       WHERE state = 'dead' AND NOT EXISTS (SELECT 1 FROM jobs AS q WHERE q.state = 'queued' AND q.stage = jobs.stage AND q.key = jobs.key)`,
    );
    return result.rowCount ?? 0;
  }

  /**
   * Queues what the store holds but no open job covers: articles without a
   * current analysis (analyze) and analysed articles in no story (cluster).
   * Safe to run from several workers at once. Returns how many were queued.
   */
  async enqueuePending(analyzerVersion: string): Promise<number> {
    const analyze = await this.pool.query(
      `INSERT INTO jobs (stage, key)
       SELECT 'analyze', articles.id FROM articles LEFT JOIN analyses ON analyses.article_id = articles.id
       WHERE (analyses.version IS NULL OR analyses.version <> $1)
         AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.key = articles.id AND jobs.state IN ('queued', 'running'))
       ORDER BY articles.seq
       ON CONFLICT (stage, key) WHERE state = 'queued' DO NOTHING`,
      [analyzerVersion],
    );
    const cluster = await this.pool.query(
      `INSERT INTO jobs (stage, key)
       SELECT 'cluster', articles.id FROM articles JOIN analyses ON analyses.article_id = articles.id
       LEFT JOIN story_articles ON story_articles.article_id = articles.id
       WHERE analyses.version = $1 AND story_articles.article_id IS NULL
         AND NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.key = articles.id AND jobs.state IN ('queued', 'running'))
       ORDER BY COALESCE(articles.published, articles.ingested_at), articles.seq
       ON CONFLICT (stage, key) WHERE state = 'queued' DO NOTHING`,
      [analyzerVersion],
    );
    return (analyze.rowCount ?? 0) + (cluster.rowCount ?? 0);
  }
}

/** Runs `query`; when it breaks the one-queued-job-per-key rule (unique violation), runs `instead`. */
async function onDuplicate<T extends pg.QueryResultRow>(query: () => Promise<pg.QueryResult<T>>, instead: () => Promise<pg.QueryResult<T>>): Promise<pg.QueryResult<T>> {
  try {
    return await query();
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    return instead();
  }
}

import { Job, Queue, UnrecoverableError, Worker, type JobsOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { InvalidJobSpecError } from './invalid-job-spec.error.js';
import { decodeJobId, encodeJobId, jobIdProblem } from './job-id-encoding.js';
import { JobQueueClosedError } from './job-queue-closed.error.js';
import {
  JOB_STATES,
  type CloseOptions,
  type JobData,
  type JobProcessor,
  type JobQueue,
  type JobSpec,
  type JobState,
  type JobStatus,
  type ListJobsQuery,
  type QueueSummary,
  type StartWorkersOptions,
} from './job-queue.port.js';
import { DEFAULT_BACKOFF, jitteredBackoffDelay, type BackoffOptions } from './jittered-backoff.js';
import { QUEUE_NAMES, isQueueName, type QueueName } from './queue-name.js';
import { RedisUnavailableError } from './redis-unavailable.error.js';
import { RetryableJobError } from './retryable-job.error.js';
import { ServerJobIndex } from './server-job-index.js';
import { WorkersAlreadyStartedError } from './workers-already-started.error.js';

export interface StalledJobOptions {
  /**
   * How long a worker's lock on a running job lasts; the worker renews it every half of this while the
   * job runs. A killed worker's jobs are recovered once it expires, so this bounds recovery time.
   */
  lockDurationMs: number;
  /**
   * How often workers look for jobs whose lock expired and put them back in the queue. BullMQ skips a
   * check while the previous checker's interval runs (queue-wide), so every worker on a prefix must use
   * the same value.
   */
  stalledIntervalMs: number;
  /** Recoveries before a job that keeps killing its worker is failed instead. */
  maxStalledCount: number;
}

export const DEFAULT_STALLED: StalledJobOptions = { lockDurationMs: 30_000, stalledIntervalMs: 15_000, maxStalledCount: 3 };

export interface BullMqJobQueueOptions {
  /** A redis:// URL, or ioredis options (host, port, password, tls...). */
  connection: { url: string } | RedisOptions;
  /** Key prefix for every key this queue writes; one per deployment (and per test run). */
  prefix: string;
  /** Attempts (first run included) per job; default 8. */
  defaultAttempts?: number;
  /** Per-queue attempts, overriding defaultAttempts. */
  attempts?: Partial<Record<QueueName, number>>;
  backoff?: BackoffOptions;
  stalled?: Partial<StalledJobOptions>;
  /** Completed jobs are kept this long so a duplicate enqueue of a finished id stays a no-op. */
  keepCompleted?: { ageSeconds: number; count: number };
  keepFailed?: { ageSeconds: number; count: number };
  /** ping() gives up after this long. */
  pingTimeoutMs?: number;
}

const BACKOFF_TYPE = 'vp-jittered-exponential';
const FIRST_STARTED_FIELD = 'vpFirstStartedAt';
const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 1000;
const DAY_SECONDS = 24 * 60 * 60;

// Stores the first start time on BullMQ's own job hash (so it goes when the job goes), only if the
// job still exists: a late write after removal must not leave a stray hash behind.
const MARK_FIRST_START = `
if redis.call('EXISTS', KEYS[1]) == 0 then return ARGV[1] end
redis.call('HSETNX', KEYS[1], '${FIRST_STARTED_FIELD}', ARGV[1])
return redis.call('HGET', KEYS[1], '${FIRST_STARTED_FIELD}')`;

/**
 * JobQueue on BullMQ. Two Redis connections are shared by all four queues: one for producing and
 * queries (fails commands after a few reconnect attempts, so an enqueue while Redis is down errors
 * instead of hanging), one for workers (retries forever, as BullMQ requires, so workers resume by
 * themselves when Redis comes back). Each worker also opens its own blocking connection.
 */
export class BullMqJobQueue implements JobQueue {
  private readonly producer: Redis;
  private workerConnection: Redis | undefined;
  private readonly queues: Record<QueueName, Queue>;
  private readonly workers: Worker[] = [];
  private readonly errorListeners = new Set<(error: Error) => void>();
  private readonly serverIndex: ServerJobIndex;
  private readonly backoff: BackoffOptions;
  private readonly stalled: StalledJobOptions;
  private readonly target: string;
  private closed = false;

  constructor(private readonly options: BullMqJobQueueOptions) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.stalled = { ...DEFAULT_STALLED, ...options.stalled };
    this.target = describeTarget(options.connection);
    this.producer = this.connect({ maxRetriesPerRequest: 2 });
    this.serverIndex = new ServerJobIndex(this.producer, options.prefix, (options.keepFailed?.ageSeconds ?? 7 * DAY_SECONDS) * 1000);
    this.queues = Object.fromEntries(
      QUEUE_NAMES.map((name) => {
        const queue = new Queue(name, { connection: this.producer, prefix: options.prefix });
        queue.on('error', (error) => this.emitError(error));
        return [name, queue];
      }),
    ) as Record<QueueName, Queue>;
  }

  async enqueue(jobs: JobSpec[]): Promise<void> {
    this.assertOpen();
    const prepared = jobs.map((spec) => this.prepare(spec));
    if (prepared.length === 0) return;
    // The index goes first on the producer connection, which Redis serves in order, so it is applied
    // before the jobs without a round trip of its own in between: an entry whose job add then failed
    // is skipped when listing, while a job missing from the index would be invisible to a listing by
    // server.
    const indexed = this.serverIndex.add(prepared.map((p) => ({ serverId: p.spec.data.serverId, queue: p.spec.queue, bullId: p.bullId })));
    const byQueue = new Map<QueueName, typeof prepared>();
    for (const p of prepared) byQueue.set(p.spec.queue, [...(byQueue.get(p.spec.queue) ?? []), p]);
    // BullMQ's add script returns the existing job when the id is already present: that is the no-op.
    const added = Promise.all(
      [...byQueue].map(([queue, items]) =>
        this.queues[queue].addBulk(items.map((p) => ({ name: p.spec.name, data: p.spec.data, opts: p.opts }))),
      ),
    );
    await Promise.all([indexed, added]);
  }

  async startWorkers(processor: JobProcessor, options: StartWorkersOptions): Promise<void> {
    this.assertOpen();
    if (this.workerConnection) throw new WorkersAlreadyStartedError();
    this.workerConnection = this.connect({ maxRetriesPerRequest: null });
    for (const queue of QUEUE_NAMES) {
      const concurrency = options.concurrency[queue];
      if (!concurrency || concurrency < 1) continue;
      const worker = new Worker(queue, (job: Job) => this.run(queue, job, processor), {
        connection: this.workerConnection,
        prefix: this.options.prefix,
        concurrency,
        lockDuration: this.stalled.lockDurationMs,
        stalledInterval: this.stalled.stalledIntervalMs,
        maxStalledCount: this.stalled.maxStalledCount,
        settings: { backoffStrategy: (attemptsMade: number) => jitteredBackoffDelay(attemptsMade, this.backoff) },
      });
      worker.on('error', (error) => this.emitError(error));
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  async getJob(id: string): Promise<JobStatus | null> {
    this.assertOpen();
    const bullId = encodeJobId(id);
    const found = await Promise.all(QUEUE_NAMES.map((queue) => this.status(queue, bullId)));
    const existing = found.filter((s): s is JobStatus => s !== null);
    // Ids are unique across queues by contract; if not, the newest is the one that matters.
    existing.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return existing[0] ?? null;
  }

  async listJobs(query: ListJobsQuery = {}): Promise<JobStatus[]> {
    this.assertOpen();
    const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_LIST_LIMIT), MAX_LIST_LIMIT);
    const states = query.states && query.states.length > 0 ? new Set(query.states) : null;
    if (query.serverId !== undefined) return this.listServerJobs(query.serverId, query.queue, states, limit);
    const queues = query.queue ? [query.queue] : [...QUEUE_NAMES];
    const wanted = (states ? [...states] : [...JOB_STATES]).filter((s) => s !== 'unknown');
    const found: JobStatus[] = [];
    await Promise.all(
      queues.flatMap((queue) =>
        wanted.map(async (state) => {
          const jobs = await this.queues[queue].getJobs([toBullType(state)], 0, limit - 1);
          const firstStarts = await this.firstStarts(queue, jobs);
          jobs.forEach((job, i) => found.push(toStatus(queue, job as Job, state, firstStarts[i] ?? null)));
        }),
      ),
    );
    return newestFirst(found).slice(0, limit);
  }

  async summary(): Promise<QueueSummary> {
    this.assertOpen();
    const entries = await Promise.all(
      QUEUE_NAMES.map(async (queue) => {
        // BullMQ 6 has no 'paused' job state: a paused queue's jobs sit in its wait list.
        const [c, isPaused] = await Promise.all([
          this.queues[queue].getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'),
          this.queues[queue].isPaused(),
        ]);
        const waiting = (c.waiting ?? 0) + (c.prioritized ?? 0);
        return [queue, {
          waiting: isPaused ? 0 : waiting,
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
          completed: c.completed ?? 0,
          failed: c.failed ?? 0,
          paused: isPaused ? waiting : 0,
        }] as const;
      }),
    );
    return Object.fromEntries(entries) as QueueSummary;
  }

  async removeJob(id: string): Promise<boolean> {
    this.assertOpen();
    const bullId = encodeJobId(id);
    let removed = false;
    for (const queue of QUEUE_NAMES) {
      const job = await Job.fromId(this.queues[queue], bullId);
      if (!job) continue;
      // BullMQ refuses (0) to remove a job a worker holds the lock of.
      if ((await this.queues[queue].remove(bullId)) === 1) {
        removed = true;
        await this.serverIndex.remove((job.data as JobData).serverId, queue, bullId);
      }
    }
    return removed;
  }

  onError(listener: (error: Error) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  async ping(): Promise<void> {
    this.assertOpen();
    const timeoutMs = this.options.pingTimeoutMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.producer.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      throw new RedisUnavailableError(this.target, error);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(options: CloseOptions = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.workers.map((w) => w.close(options.force ?? false)));
    await Promise.allSettled(QUEUE_NAMES.map((q) => this.queues[q].close()));
    // Shared connections are not closed by BullMQ; quit politely, or drop them if Redis is gone.
    for (const connection of [this.workerConnection, this.producer]) {
      if (!connection) continue;
      if (connection.status === 'ready') await connection.quit().catch(() => connection.disconnect());
      else connection.disconnect();
    }
  }

  private prepare(spec: JobSpec): { spec: JobSpec; bullId: string; opts: JobsOptions } {
    if (!isQueueName(spec.queue)) throw new InvalidJobSpecError(spec.id, `unknown queue ${JSON.stringify(spec.queue)}`);
    const bullId = encodeJobId(spec.id);
    const problem = jobIdProblem(bullId);
    if (problem) throw new InvalidJobSpecError(spec.id, problem);
    if (typeof spec.data?.serverId !== 'string' || spec.data.serverId.length === 0) {
      throw new InvalidJobSpecError(spec.id, 'data.serverId must be a non-empty string');
    }
    if (spec.delayMs !== undefined && !(Number.isFinite(spec.delayMs) && spec.delayMs >= 0)) {
      throw new InvalidJobSpecError(spec.id, 'delayMs must be a non-negative number');
    }
    const keepCompleted = this.options.keepCompleted ?? { ageSeconds: DAY_SECONDS, count: 10_000 };
    const keepFailed = this.options.keepFailed ?? { ageSeconds: 7 * DAY_SECONDS, count: 50_000 };
    return {
      spec,
      bullId,
      opts: {
        jobId: bullId,
        attempts: this.options.attempts?.[spec.queue] ?? this.options.defaultAttempts ?? 8,
        backoff: { type: BACKOFF_TYPE },
        delay: spec.delayMs && spec.delayMs > 0 ? Math.round(spec.delayMs) : undefined,
        removeOnComplete: { age: keepCompleted.ageSeconds, count: keepCompleted.count },
        removeOnFail: { age: keepFailed.ageSeconds, count: keepFailed.count },
      },
    };
  }

  private async run(queue: QueueName, job: Job, processor: JobProcessor): Promise<void> {
    const firstStartedMs = await this.firstStart(queue, job);
    try {
      await processor({
        id: decodeJobId(job.id!),
        queue,
        name: job.name,
        data: job.data as JobData,
        attemptsMade: job.attemptsMade,
        maxAttempts: job.opts.attempts ?? 1,
        firstStartedAt: new Date(firstStartedMs).toISOString(),
        progress: (job.progress ?? 0) as number | object,
        updateProgress: (progress) => job.updateProgress(progress),
      });
    } catch (error) {
      if (RetryableJobError.is(error)) throw error;
      // Not asked to retry: tell BullMQ to skip the remaining attempts.
      const message = error instanceof Error ? error.message : String(error);
      throw new UnrecoverableError(message);
    }
  }

  /**
   * When the job first started, kept across retries and stalls (its steps' deadlines count from
   * it). A job started for the first time (BullMQ's attemptsStarted counts every move to active) is
   * its own first start: the mark is written without waiting for it, which keeps a Redis round trip
   * off every step's way to running. Only a job started before reads the mark back.
   */
  private async firstStart(queue: QueueName, job: Job): Promise<number> {
    const started = job.processedOn ?? Date.now();
    const mark = this.workerConnection!.eval(MARK_FIRST_START, 1, this.queues[queue].toKey(job.id!), String(started));
    if (job.attemptsStarted <= 1) {
      // Lost only if the worker dies within the round trip: its next start then counts from there.
      mark.catch((error: unknown) => this.emitError(error instanceof Error ? error : new Error(String(error))));
      return started;
    }
    return Number(await mark);
  }

  private async listServerJobs(serverId: string, queue: QueueName | undefined, states: Set<JobState> | null, limit: number): Promise<JobStatus[]> {
    const entries = (await this.serverIndex.list(serverId)).filter((e) => !queue || e.queue === queue);
    const found: JobStatus[] = [];
    const batch = Math.max(limit, 20);
    for (let i = 0; i < entries.length && found.length < limit; i += batch) {
      const statuses = await Promise.all(entries.slice(i, i + batch).map((e) => this.status(e.queue, e.bullId)));
      for (const s of statuses) if (s && (!states || states.has(s.state))) found.push(s);
    }
    return newestFirst(found).slice(0, limit);
  }

  private async status(queue: QueueName, bullId: string): Promise<JobStatus | null> {
    const read = await Job.fromId(this.queues[queue], bullId);
    if (!read) return null;
    const [state, firstStarts] = await Promise.all([read.getState(), this.firstStarts(queue, [read])]);
    // The job's fields and its state are two reads. BullMQ finishes a job's fields and state in one
    // script, so a job seen finished but read before that is read again: a finished job never shows
    // the attempt count of its last run still in progress.
    const finished = state === 'completed' || state === 'failed';
    const job = finished && !read.finishedOn ? ((await Job.fromId(this.queues[queue], bullId)) ?? read) : read;
    return toStatus(queue, job, state as JobState, firstStarts[0] ?? null);
  }

  private async firstStarts(queue: QueueName, jobs: readonly { id?: string }[]): Promise<(number | null)[]> {
    if (jobs.length === 0) return [];
    const pipeline = this.producer.pipeline();
    for (const job of jobs) pipeline.hget(this.queues[queue].toKey(job.id!), FIRST_STARTED_FIELD);
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, value]) => (error || value == null ? null : Number(value)));
  }

  private connect(overrides: Partial<RedisOptions>): Redis {
    const { connection } = this.options;
    const base: RedisOptions = {
      // Reconnect forever, quickly at first, at most every 2 s: Redis coming back must be noticed soon.
      retryStrategy: (times) => Math.min(100 * times, 2000),
      ...overrides,
    };
    const redis = 'url' in connection && typeof connection.url === 'string'
      ? new Redis(connection.url, base)
      : new Redis({ ...(connection as RedisOptions), ...base });
    redis.on('error', (error: Error) => this.emitError(error));
    return redis;
  }

  private emitError(error: Error): void {
    for (const listener of this.errorListeners) {
      try {
        listener(error);
      } catch {
        // A failing log call must not break the connection's event handling.
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new JobQueueClosedError();
  }
}

function toBullType(state: JobState): 'wait' | Exclude<JobState, 'waiting' | 'unknown'> {
  return state === 'waiting' ? 'wait' : (state as Exclude<JobState, 'waiting' | 'unknown'>);
}

function toStatus(queue: QueueName, job: Job, state: JobState, firstStartedMs: number | null): JobStatus {
  const startedMs = firstStartedMs ?? job.processedOn ?? null;
  return {
    id: decodeJobId(job.id!),
    queue,
    name: job.name,
    state: JOB_STATES.includes(state) ? state : 'unknown',
    attempts: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    lastError: job.failedReason || null,
    progress: (job.progress ?? 0) as number | object,
    data: job.data as JobData,
    createdAt: new Date(job.timestamp).toISOString(),
    startedAt: startedMs ? new Date(startedMs).toISOString() : null,
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}

function newestFirst(statuses: JobStatus[]): JobStatus[] {
  return statuses.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}

function describeTarget(connection: BullMqJobQueueOptions['connection']): string {
  if ('url' in connection && typeof connection.url === 'string') return connection.url.replace(/\/\/[^@/]*@/, '//***@');
  const options = connection as RedisOptions;
  return `${options.host ?? '127.0.0.1'}:${options.port ?? 6379}`;
}

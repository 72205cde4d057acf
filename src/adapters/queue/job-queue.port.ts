import type { QueueName } from './queue-name.js';

export type { QueueName } from './queue-name.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * What a job carries. `serverId` (the VM id) is required so the API can list a server's jobs; the rest
 * is the caller's (step id, task id, causing event id, request id, ...). Must survive JSON round trips.
 */
export type JobData = { serverId: string } & { [key: string]: JsonValue };

export interface JobSpec {
  /**
   * Idempotency key: enqueueing an id that the queue still holds (waiting, active, delayed, completed
   * or failed within retention) is a no-op. Derive it from the causing event id. Any characters are
   * allowed (':' and '%' are encoded before they reach BullMQ); it must not be a bare integer, which
   * BullMQ reserves for its own ids. Ids are expected to be unique across queues.
   */
  id: string;
  queue: QueueName;
  name: string;
  data: JobData;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
}

/** A job as the processor sees it. */
export interface QueuedJob {
  id: string;
  queue: QueueName;
  name: string;
  data: JobData;
  /** Attempts that ended before this one: 0 on the first run. A run lost to a stall does not count. */
  attemptsMade: number;
  maxAttempts: number;
  /** ISO time the first attempt started (unchanged by retries and stall recovery). */
  firstStartedAt: string;
  /** The progress saved so far (0 when none); kept across retries and stall recovery. */
  progress: number | object;
  updateProgress(progress: number | { [key: string]: JsonValue }): Promise<void>;
}

/**
 * Processes one job. Resolve: done. Throw RetryableJobError: retried with backoff while attempts
 * remain. Throw anything else: failed at once. The processor records the outcome durably (a command)
 * before returning; the queue only schedules retries.
 */
export type JobProcessor = (job: QueuedJob) => Promise<void>;

export interface StartWorkersOptions {
  /** Jobs run in parallel per queue in this process; 0 runs no worker for that queue. */
  concurrency: Record<QueueName, number>;
}

export type JobState =
  | 'waiting'
  | 'active'
  | 'delayed'
  | 'completed'
  | 'failed'
  | 'prioritized'
  | 'waiting-children'
  | 'unknown';

export const JOB_STATES: readonly JobState[] = [
  'waiting',
  'active',
  'delayed',
  'completed',
  'failed',
  'prioritized',
  'waiting-children',
];

export interface JobStatus {
  id: string;
  queue: QueueName;
  name: string;
  state: JobState;
  /**
   * Attempts that have ended so far (BullMQ's attemptsMade): 0 while the first runs, 3 for a job that
   * failed twice and then completed. A run interrupted by a stall does not count.
   */
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  progress: number | object;
  data: JobData;
  createdAt: string;
  /** When the first attempt started. */
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ListJobsQuery {
  serverId?: string;
  queue?: QueueName;
  states?: JobState[];
  /** Default 50, at most 1000. */
  limit?: number;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
  paused: number;
}

export type QueueSummary = Record<QueueName, QueueCounts>;

export interface CloseOptions {
  /** true: abandon running jobs (they come back through the stalled check); false: let them finish. */
  force?: boolean;
}

/** The durable job queue the process managers enqueue on and the workers consume from. */
export interface JobQueue {
  enqueue(jobs: JobSpec[]): Promise<void>;
  startWorkers(processor: JobProcessor, options: StartWorkersOptions): Promise<void>;
  getJob(id: string): Promise<JobStatus | null>;
  listJobs(query?: ListJobsQuery): Promise<JobStatus[]>;
  summary(): Promise<QueueSummary>;
  /** Removes a job that has not started (a deadline no longer needed). false when absent or running. */
  removeJob(id: string): Promise<boolean>;
  /** Connection errors (Redis down, reconnect failures); returns an unsubscribe function. */
  onError(listener: (error: Error) => void): () => void;
  /** Resolves when Redis answers; rejects with RedisUnavailableError otherwise. */
  ping(): Promise<void>;
  close(options?: CloseOptions): Promise<void>;
}

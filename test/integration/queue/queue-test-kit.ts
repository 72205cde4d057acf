import { BullMqJobQueue, type BullMqJobQueueOptions } from '../../../src/adapters/queue/bullmq-job-queue.js';
import type { JobState, JobStatus } from '../../../src/adapters/queue/job-queue.port.js';
import type { QueueName } from '../../../src/adapters/queue/queue-name.js';
import { deleteRedisKeys, TEST_REDIS_URL, testRedisPrefix, waitFor } from '../../support/redis.js';

/** Short backoff and stall timings so the suite runs in seconds. */
export const FAST: Omit<BullMqJobQueueOptions, 'connection' | 'prefix'> = {
  defaultAttempts: 4,
  backoff: { baseMs: 20, capMs: 200 },
  stalled: { lockDurationMs: 1000, stalledIntervalMs: 300, maxStalledCount: 3 },
  pingTimeoutMs: 500,
};

export const ALL_ONE: Record<QueueName, number> = { cluster: 1, hypervisor: 1, fabric: 1 };

export interface QueueHarness {
  prefix: string;
  open(options?: Partial<BullMqJobQueueOptions>): BullMqJobQueue;
  dispose(): Promise<void>;
}

/** Queues on the shared test Redis under a fresh prefix, all closed and their keys deleted on dispose. */
export function queueHarness(url = TEST_REDIS_URL): QueueHarness {
  const prefix = testRedisPrefix();
  const opened: BullMqJobQueue[] = [];
  return {
    prefix,
    open(options = {}) {
      const queue = new BullMqJobQueue({ connection: { url }, prefix, ...FAST, ...options });
      opened.push(queue);
      return queue;
    },
    async dispose() {
      await Promise.all(opened.map((q) => q.close({ force: true })));
      await deleteRedisKeys(prefix, url);
    },
  };
}

export function waitForState(queue: BullMqJobQueue, id: string, state: JobState, timeoutMs = 10_000): Promise<JobStatus> {
  return waitFor(async () => {
    const status = await queue.getJob(id);
    return status?.state === state ? status : undefined;
  }, timeoutMs, `job ${id} to be ${state}`);
}

export function deferred<T = void>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

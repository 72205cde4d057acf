import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the saga benchmark's job queue runs on (REDIS_URL, default the server on 127.0.0.1:6379). */
export const BENCH_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of its own for one benchmark run (BullMQ's keys and the server-job index live under it). */
export function benchRedisPrefix(): string {
  return `vp-bench-${randomBytes(6).toString('hex')}`;
}

/** Deletes every key under the prefix. */
export async function deleteRedisKeys(prefix: string, url = BENCH_REDIS_URL): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export interface BullJobTimes {
  /** When the producer added the job (BullMQ's `timestamp`), epoch ms; null when the job is gone. */
  enqueuedMs: number | null;
  processedMs: number | null;
  finishedMs: number | null;
}

/** BullMQ's own timestamps of the given jobs (`<prefix>:<queue>:<bullId>` hashes), read in one pipeline. */
export async function bullJobTimes(prefix: string, jobs: readonly { queue: string; bullId: string }[], url = BENCH_REDIS_URL): Promise<BullJobTimes[]> {
  if (jobs.length === 0) return [];
  const redis = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    const pipeline = redis.pipeline();
    for (const job of jobs) pipeline.hmget(`${prefix}:${job.queue}:${job.bullId}`, 'timestamp', 'processedOn', 'finishedOn');
    const results = (await pipeline.exec()) ?? [];
    const num = (v: string | null | undefined) => (v == null ? null : Number(v));
    return results.map(([error, value]) => {
      const [t, p, f] = error ? [] : (value as (string | null)[]);
      return { enqueuedMs: num(t), processedMs: num(p), finishedMs: num(f) };
    });
  } finally {
    redis.disconnect();
  }
}

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The shared test Redis (REDIS_URL, default the server on 127.0.0.1:6379). */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Whether to register the tests that need the shared Redis. Outside CI an unreachable server skips
 * them with a message; under CI=true they always run, so an unreachable server fails them.
 */
export async function shouldRunRedisTests(): Promise<boolean> {
  const error = await probeRedis(TEST_REDIS_URL);
  if (!error || process.env.CI === 'true') return true;
  console.warn(`Skipping Redis tests: ${TEST_REDIS_URL} is unreachable (${String(error)}). Under CI=true this fails.`);
  return false;
}

/** A key prefix of its own for one test run (BullMQ prefix and our index keys live under it). */
export function testRedisPrefix(): string {
  return `vp-test-${randomBytes(6).toString('hex')}`;
}

/** Deletes every key under the prefix. */
export async function deleteRedisKeys(prefix: string, url = TEST_REDIS_URL): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function probeRedis(url: string): Promise<unknown> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return error;
  } finally {
    redis.disconnect();
  }
}

/** Polls until the check returns a value other than undefined/false, or throws after timeoutMs. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Whether redis-server is installed for tests that start a private one. Outside CI a missing binary
 * skips them with a message; under CI=true they run and fail with RedisNotInstalledError.
 */
export async function shouldRunRedisServerTests(): Promise<boolean> {
  const { findRedisServer } = await import('../../src/adapters/queue/private-redis.js');
  try {
    findRedisServer();
    return true;
  } catch (error) {
    if (process.env.CI === 'true') return true;
    console.warn(`Skipping private redis-server tests: ${String(error)}`);
    return false;
  }
}

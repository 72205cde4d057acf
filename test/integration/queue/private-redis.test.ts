import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { findRedisServer, resolveRedis, startPrivateRedis } from '../../../src/adapters/queue/private-redis.js';
import { RedisNotInstalledError } from '../../../src/adapters/queue/redis-not-installed.error.js';
import { RedisUnreachableError } from '../../../src/adapters/queue/redis-unreachable.error.js';
import { shouldRunRedisServerTests } from '../../support/redis.js';

const installed = await shouldRunRedisServerTests();
const itWithRedisServer = installed ? it : it.skip; // skipped only outside CI (redis-server binary not installed); under CI=true it runs and fails

/** Whether something answers PING on the URL's loopback port (bare socket: no client timers left behind). */
function answers(url: string): Promise<boolean> {
  const port = Number(new URL(url).port);
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
  });
}

describe('private redis-server', () => {
  let dataDir: string;
  beforeEach(() => { dataDir = mkdtempSync(join(tmpdir(), 'vp-test-redis-')); });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  itWithRedisServer('given redis-server installed, when started, then it answers on a loopback port without persistence, and stop ends it', async () => {
    const redis = await startPrivateRedis({ dataDir });
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      expect(await answers(redis.url)).toBe(true);
      const client = new Redis(redis.url);
      expect(await client.config('GET', 'save')).toEqual(['save', '']);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
      client.disconnect();
    } finally {
      await redis.stop();
    }
    expect(await answers(redis.url)).toBe(false);
    await redis.stop(); // idempotent
  });

  itWithRedisServer('given a port already in use, when started on it, then it fails with the server log', async () => {
    const first = await startPrivateRedis({ dataDir });
    try {
      await expect(startPrivateRedis({ dataDir: join(dataDir, 'second'), port: first.port })).rejects.toThrow(/exited|already served/);
    } finally {
      await first.stop();
    }
  });

  it('given a wrong redis-server path, when looked up, then RedisNotInstalledError says how to install it', async () => {
    const lookup = () => findRedisServer('/nonexistent/redis-server');
    expect(lookup).toThrow(RedisNotInstalledError);
    expect(lookup).toThrow(/apt-get install redis-server/);
    expect(lookup).toThrow(/REDIS_URL/);
    await expect(startPrivateRedis({ dataDir, executable: '/nonexistent/redis-server' })).rejects.toBeInstanceOf(RedisNotInstalledError);
    await expect(resolveRedis({ dataDir, executable: '/nonexistent/redis-server' })).rejects.toThrow(/apt-get install redis-server/);
  });

  itWithRedisServer('given no REDIS_URL, when resolved, then a private server is started and stopped with it', async () => {
    const resolved = await resolveRedis({ dataDir });
    try {
      expect(resolved.private).toBe(true);
      expect(await answers(resolved.url)).toBe(true);
    } finally {
      await resolved.stop();
    }
    expect(await answers(resolved.url)).toBe(false);
  });

  itWithRedisServer('given a REDIS_URL nobody answers on, when resolved, then it fails with a clear message', async () => {
    const redis = await startPrivateRedis({ dataDir });
    const url = redis.url;
    await redis.stop();
    await expect(resolveRedis({ dataDir, redisUrl: url, connectTimeoutMs: 500 })).rejects.toBeInstanceOf(RedisUnreachableError);
    await expect(resolveRedis({ dataDir, redisUrl: url, connectTimeoutMs: 500 })).rejects.toThrow(/unset REDIS_URL/);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BullMqJobQueue } from '../../../src/adapters/queue/bullmq-job-queue.js';
import { startPrivateRedis, type PrivateRedis } from '../../../src/adapters/queue/private-redis.js';
import { RedisUnavailableError } from '../../../src/adapters/queue/redis-unavailable.error.js';
import { shouldRunRedisServerTests, testRedisPrefix, waitFor } from '../../support/redis.js';
import { ALL_ONE, FAST, waitForState } from './queue-test-kit.js';

const installed = await shouldRunRedisServerTests();

// A private redis-server of its own, so stopping it does not disturb anything else.
(installed ? describe : describe.skip)('BullMqJobQueue across a Redis restart', () => { // skipped only outside CI (redis-server binary not installed); under CI=true it runs and fails
  let dataDir: string;
  let redis: PrivateRedis | undefined;
  let queue: BullMqJobQueue | undefined;
  beforeEach(() => { dataDir = mkdtempSync(join(tmpdir(), 'vp-test-redis-')); });
  afterEach(async () => {
    await queue?.close({ force: true });
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given workers running, when Redis stops and comes back on the same port, then errors surface while down and new jobs run after', async () => {
    redis = await startPrivateRedis({ dataDir });
    const port = redis.port;
    queue = new BullMqJobQueue({ connection: { url: redis.url }, prefix: testRedisPrefix(), ...FAST });
    const errors: Error[] = [];
    queue.onError((error) => errors.push(error));
    const ran: string[] = [];
    await queue.startWorkers(async (job) => { ran.push(job.id); }, { concurrency: ALL_ONE });
    await queue.enqueue([{ id: 'before', queue: 'fabric', name: 'ensure-port', data: { serverId: 'srv-1' } }]);
    await waitForState(queue, 'before', 'completed');

    await redis.stop();
    await waitFor(() => errors.length > 0, 5000, 'a connection error to be reported');
    await expect(queue.ping()).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(queue.enqueue([{ id: 'while-down', queue: 'fabric', name: 'ensure-port', data: { serverId: 'srv-1' } }])).rejects.toThrow();

    redis = await startPrivateRedis({ dataDir, port });
    await waitFor(() => queue!.ping().then(() => true), 10_000, 'ping to answer again');
    // Without persistence the restarted Redis is empty; the process managers re-enqueue pending work.
    await queue.enqueue(['after-1', 'after-2'].map((id) => ({ id, queue: 'fabric' as const, name: 'ensure-port', data: { serverId: 'srv-1' } })));
    await queue.enqueue([{ id: 'after-3', queue: 'cluster', name: 'create-vm', data: { serverId: 'srv-1' } }]);

    for (const id of ['after-1', 'after-2', 'after-3']) await waitForState(queue, id, 'completed', 15_000);
    expect(ran).toEqual(expect.arrayContaining(['before', 'after-1', 'after-2', 'after-3']));
  }, 40_000);
});

import { ClusteredService } from '../../support/clustered-service.js';

/**
 * The service as users run it with API_PROCESSES=2 (`node dist/src/main.js`, node:cluster): both
 * processes share the port, one holds the lease. The lease lasts an hour here, so the takeover after
 * the holder is killed can only come from seeing that its process is gone, not from expiry.
 */
describe('API_PROCESSES=2', () => {
  let cluster: ClusteredService;

  beforeAll(async () => {
    cluster = await ClusteredService.start({ API_PROCESSES: '2' }, 'API_PROCESSES=2');
  }, 180_000);

  afterAll(async () => {
    await cluster?.close();
  });

  it('given two processes on one port, then one of them (not the primary) holds the lease and servers go ACTIVE', async () => {
    const row = await cluster.lease();
    expect(cluster.holderPid(row)).not.toBe(cluster.service.pid);

    await cluster.client.createActive('first');
  }, 90_000);

  it('given the holder is killed, then a process of the same host takes the lease over before it expires, and new servers still go ACTIVE', async () => {
    const before = await cluster.lease();
    process.kill(cluster.holderPid(before), 'SIGKILL');

    const after = await cluster.nextHolder(before);

    expect(Number(after.generation)).toBe(Number(before.generation) + 1);
    await cluster.client.createActive('after-the-kill');
  }, 150_000);

  it('given SIGTERM, then every process ends cleanly and the lease is released', async () => {
    const exit = await cluster.service.kill('SIGTERM', 60_000);

    expect(exit).toEqual({ code: 0, signal: null });
    expect(Number((await cluster.lease()).expires_at)).toBe(0);
  }, 90_000);
});

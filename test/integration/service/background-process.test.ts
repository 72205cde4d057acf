import { readFileSync } from 'node:fs';
import { ClusteredService } from '../../support/clustered-service.js';
import { waitFor } from '../../support/redis.js';

/** PROCESS_ROLE as the primary set it in a process's environment (Linux /proc). */
function roleOf(pid: number): string | undefined {
  const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  return environ.find((entry) => entry.startsWith('PROCESS_ROLE='))?.slice('PROCESS_ROLE='.length);
}

/**
 * The service with BACKGROUND_PROCESS=true and one API process (`node dist/src/main.js`,
 * node:cluster): the API process answers HTTP and never takes the lease; the background process
 * folds the projections, runs the process managers and the job workers, and serves no HTTP. A
 * create is read back at once from the API process (read your writes across processes) and the
 * server goes ACTIVE through the background process's workers.
 */
describe('BACKGROUND_PROCESS=true', () => {
  let cluster: ClusteredService;

  beforeAll(async () => {
    cluster = await ClusteredService.start({ API_PROCESSES: '1', BACKGROUND_PROCESS: 'true' }, 'BACKGROUND_PROCESS=true');
  }, 180_000);

  afterAll(async () => {
    await cluster?.close();
  });

  it('given an API process and a background process, then the background one holds the lease, and a server created through the API process reads back at once and goes ACTIVE', async () => {
    const holder = await waitFor(async () => {
      const row = await cluster.lease();
      return row?.holder ? row : undefined;
    }, 30_000, 'a lease holder');

    expect(roleOf(cluster.holderPid(holder))).toBe('background');
    await cluster.client.createActive('first');
  }, 90_000);

  it('given the background process is killed, then the primary starts it again, it takes the lease over (its predecessor is gone) and servers still go ACTIVE', async () => {
    const before = await cluster.lease();
    process.kill(cluster.holderPid(before), 'SIGKILL');

    const after = await cluster.nextHolder(before);

    expect(roleOf(cluster.holderPid(after))).toBe('background');
    expect(Number(after.generation)).toBe(Number(before.generation) + 1);
    await cluster.client.createActive('after-the-kill');
  }, 150_000);

  it('given SIGTERM, then every process ends cleanly', async () => {
    const exit = await cluster.service.kill('SIGTERM', 60_000);

    expect(exit).toEqual({ code: 0, signal: null });
  }, 90_000);
});

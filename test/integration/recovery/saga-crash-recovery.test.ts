import { BullMqJobQueue } from '../../../src/adapters/queue/bullmq-job-queue.js';
import type { JobStatus } from '../../../src/adapters/queue/job-queue.port.js';
import { TEST_REDIS_URL, shouldRunRedisTests } from '../../support/redis.js';
import { ServiceHarness, buildService, type ServiceBuild } from '../../support/service-process.js';
import { ServiceClient, streamProblems, streamSummary, until } from './recovery-kit.js';

const redisAvailable = await shouldRunRedisTests();

/**
 * Crash recovery of the CreateVM and StopVM sagas: the service runs as a child process, is killed
 * with SIGKILL at a chosen point of a saga, and is started again on the same DATA_DIR and queue
 * prefix without a failpoint. Whatever the point, the VM must end where the command sent it, the
 * cluster must have seen the side effect exactly once, and the VM's stream must hold each step once.
 */
(redisAvailable ? describe : describe.skip)('saga crash recovery (service as a child process, SIGKILL)', () => {
  let build: ServiceBuild;
  const harnesses: ServiceHarness[] = [];
  const clients: ServiceClient[] = [];

  beforeAll(async () => {
    build = await buildService();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await Promise.all(harnesses.map((h) => h.cleanup()));
    build?.remove();
  });

  async function installation(): Promise<ServiceHarness> {
    const harness = new ServiceHarness({ build, redisUrl: TEST_REDIS_URL });
    harnesses.push(harness);
    return harness;
  }

  async function connect(harness: ServiceHarness): Promise<ServiceClient> {
    const client = await ServiceClient.open(harness);
    clients.push(client);
    return client;
  }

  /** After the restart: the VM settles in the state, the effect happened once, the stream is clean. */
  async function expectRecovered(
    harness: ServiceHarness,
    client: ServiceClient,
    vmId: string,
    expected: { vmState: 'active' | 'stopped'; status: 'ACTIVE' | 'SHUTOFF'; effect: 'createVm' | 'stopVm'; terminal: 'VMBuilt' | 'VMStopped' },
    timeoutMs: number,
  ): Promise<void> {
    const context = async () => `stream: ${streamSummary(await client.vmStream(vmId)).join(', ')}\ncluster: ${JSON.stringify(client.cluster().effects)}\n${harness.diagnostics()}`;
    await until(
      `VM ${vmId} to settle ${expected.vmState}`,
      async () => {
        const vm = await client.vm(vmId);
        return vm?.vmState === expected.vmState && vm.task === null;
      },
      timeoutMs,
      context,
    );
    const server = await until(`the read model to show ${expected.status}`, async () => {
      const s = await client.server(vmId);
      return s?.status === expected.status && s.taskState === null ? s : undefined;
    }, 5_000, context);
    expect(server.status).toBe(expected.status);

    const events = await client.vmStream(vmId);
    expect(streamProblems(events)).toEqual([]);
    expect(events.filter((e) => e.type === expected.terminal)).toHaveLength(1);
    expect(events.filter((e) => e.type === 'TaskStepFailed' || e.type === 'TaskFailed' || e.type === 'TaskCompensationStarted')).toEqual([]);
    expect(client.effects('createVm', vmId)).toBe(1);
    expect(client.clusterUids(vmId)).toHaveLength(1);
    expect(client.effects(expected.effect, vmId)).toBe(1);
  }

  const ACTIVE = { vmState: 'active', status: 'ACTIVE', effect: 'createVm', terminal: 'VMBuilt' } as const;
  const SHUTOFF = { vmState: 'stopped', status: 'SHUTOFF', effect: 'stopVm', terminal: 'VMStopped' } as const;

  it('b. given a failpoint after the create-vm-object side effect, when the service dies there and restarts, then the VM is ACTIVE with one createVm', async () => {
    const harness = await installation();
    const first = await harness.start({ VIRTPLANE_FAILPOINTS: 'after-side-effect:create-vm-object' }, 'with failpoint');
    const client = await connect(harness);
    const t0 = Date.now();
    const { vmId } = await client.createServer('crash-b');

    const exit = await first.waitForExit(15_000);
    expect(exit.signal).toBe('SIGKILL');
    // The side effect happened and its result was not recorded.
    expect(client.effects('createVm', vmId)).toBe(1);
    expect(streamSummary(await client.vmStream(vmId))).toEqual(['VMCreated']);
    const killedAt = Date.now();

    await harness.start({}, 'after restart');
    await expectRecovered(harness, client, vmId, ACTIVE, 50_000);
    console.log(`b: killed after ${killedAt - t0} ms, recovered ${Date.now() - killedAt} ms after the kill`);
  }, 70_000);
});

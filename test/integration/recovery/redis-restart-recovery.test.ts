import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateRedis, type PrivateRedis } from '../../../src/adapters/queue/private-redis.js';
import { BullMqJobQueue } from '../../../src/adapters/queue/bullmq-job-queue.js';
import { shouldRunRedisServerTests } from '../../support/redis.js';
import { ServiceHarness, buildService, freeLoopbackPort, type ServiceBuild } from '../../support/service-process.js';
import { Phases, ServiceClient, simulatorVmUids, streamProblems, streamSummary, until } from './recovery-kit.js';

const installed = await shouldRunRedisServerTests();

/**
 * Redis restarted under a running service: a private redis-server without persistence, so every job
 * it held (waiting, active, delayed) is lost when it stops. The event store still says which steps
 * are pending; once Redis is back, the process manager's retried batches and the reconciliation
 * (every second here) enqueue them again with the same ids, and every VM is built exactly once.
 */
(installed ? describe : describe.skip)('Redis restarted in the middle of CreateVM sagas (service as a child process)', () => { // skipped only outside CI (redis-server binary not installed); under CI=true it runs and fails
  let build: ServiceBuild | undefined;
  let redisDir: string;
  let redis: PrivateRedis | undefined;
  let harness: ServiceHarness | undefined;
  let client: ServiceClient | undefined;
  let queue: BullMqJobQueue | undefined;

  beforeAll(async () => {
    build = await buildService();
    redisDir = mkdtempSync(join(tmpdir(), 'virtplane-recovery-redis-'));
  });
  afterAll(async () => {
    await queue?.close({ force: true }).catch(() => undefined);
    await client?.close().catch(() => undefined);
    await harness?.cleanup();
    await redis?.stop();
    build?.remove();
    if (redisDir) rmSync(redisDir, { recursive: true, force: true });
  });

  it('given creates accepted with jobs in flight, when Redis stops and comes back empty on the same port, then the service stays up, /readyz is 503 on the job queue meanwhile, and every VM becomes ACTIVE with one VirtualMachine object', async () => {
    const phases = new Phases();
    const port = await freeLoopbackPort();
    redis = await startPrivateRedis({ dataDir: redisDir, port });
    // A slow cluster (each controller step 150 ms) keeps await-running jobs in flight.
    harness = new ServiceHarness({ build: build!, redisUrl: redis.url, env: { CLUSTER_BACKEND: 'simulator', SIM_PERSIST: 'true', SIM_STEP_MS: '150' } });
    const service = await harness.start({}, 'service');
    phases.mark('ready');
    client = await ServiceClient.open(harness);
    const diagnostics = () => `${harness!.diagnostics()}\nredis log dir: ${redisDir}`;

    const vmIds: string[] = [];
    for (let i = 0; i < 5; i++) vmIds.push((await client.createServer(`redis-${i}`)).vmId);
    // Stop Redis once the service has picked every create up and holds step jobs not yet done.
    queue = new BullMqJobQueue({ connection: { url: redis.url }, prefix: harness.prefix });
    const held = await until(
      'step jobs for every new VM in Redis',
      async () => {
        const perVm = await Promise.all(vmIds.map((serverId) => queue!.listJobs({ serverId })));
        const jobs = perVm.flat();
        return perVm.every((own) => own.length > 0) && jobs.some((j) => j.state !== 'completed') ? jobs : undefined;
      },
      10_000,
      diagnostics,
    );
    await queue.close({ force: true });
    queue = undefined;
    await redis.stop();
    phases.mark('redis stopped');
    const builtBefore = (await Promise.all(vmIds.map((id) => client!.vm(id)))).filter((vm) => vm?.vmState === 'active').length;

    // While Redis is down: the service keeps running, says so in its log, and is not ready.
    const notReady = await until(
      '/readyz to answer 503 with the job queue failing',
      async () => {
        const res = await service.readyz();
        return res.status === 503 && res.body?.checks?.jobQueue?.ok === false ? res : undefined;
      },
      10_000,
      diagnostics,
    );
    expect(notReady.body).toMatchObject({ status: 'not ready', checks: { jobQueue: { ok: false }, eventStore: { ok: true } } });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(service.exitStatus).toBeUndefined();
    expect((await service.readyz()).status).toBe(503);
    const downLog = service.stdout.toString() + service.stderr.toString();
    // Which connection error the client sees first depends on timing: refused, or a write to the closed socket.
    expect(downLog).toMatch(/job queue: .*(ECONNREFUSED|EPIPE|ECONNRESET)/);
    const warnings = downLog.split('\n').filter((line) => line.includes('"level":40')).length;
    phases.mark('down checked');

    redis = await startPrivateRedis({ dataDir: redisDir, port });
    phases.mark('redis started');
    await until('/readyz to answer 200 again', async () => (await service.readyz()).status === 200, 15_000, diagnostics);
    phases.mark('ready again');

    const context = async () => {
      const streams = await Promise.all(vmIds.map(async (id) => `${id}: ${streamSummary(await client!.vmStream(id)).join(', ')}`));
      return `${streams.join('\n')}\n${diagnostics()}`;
    };
    await until(
      'every VM to be ACTIVE',
      async () => (await Promise.all(vmIds.map((id) => client!.vm(id)))).every((vm) => vm?.vmState === 'active' && vm.task === null),
      20_000,
      context,
    );
    phases.mark('all active');
    await until(
      'the servers read model to show every VM ACTIVE',
      async () => (await Promise.all(vmIds.map((id) => client!.server(id)))).every((s) => s?.status === 'ACTIVE' && s.taskState === null),
      5_000,
      context,
    );

    for (const vmId of vmIds) {
      const events = await client.vmStream(vmId);
      expect({ vmId, problems: streamProblems(events) }).toEqual({ vmId, problems: [] });
      expect(streamSummary(events).filter((t) => t === 'VMBuilt')).toHaveLength(1);
      expect(streamSummary(events).filter((t) => /^Task(StepFailed|Failed|CompensationStarted)/.test(t))).toEqual([]);
      expect({ vmId, uids: simulatorVmUids(harness.dataDir, vmId).length }).toEqual({ vmId, uids: 1 });
    }
    expect(service.exitStatus).toBeUndefined();
    console.log(`redis restart: ${phases}; step jobs held when Redis stopped: ${JSON.stringify(countBy(held.map((j) => `${j.name}/${j.state}`)))}, ${builtBefore} of ${vmIds.length} VMs built before; ${warnings} warnings logged while Redis was down`);
  }, 60_000);
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

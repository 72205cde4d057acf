import { v7 as uuidv7 } from 'uuid';
import { AggregateExecutor } from '../../../src/handlers/shared/aggregate-executor.js';
import { SystemClock } from '../../../src/handlers/shared/clock.js';
import { UuidV7Generator } from '../../../src/handlers/shared/uuid-v7-generator.js';
import type { VirtualMachineCommand } from '../../../src/domain/virtual-machine/virtual-machine.commands.js';
import { virtualMachineDecider } from '../../../src/domain/virtual-machine/virtual-machine.decider.js';
import { VIRTUAL_MACHINE_EVENT_VERSIONS, vmStreamId } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import { TEST_REDIS_URL, shouldRunRedisTests } from '../../support/redis.js';
import { ServiceHarness, buildService, type ServiceBuild } from '../../support/service-process.js';
import { ACTOR, ServiceClient, streamProblems, streamSummary, until } from './recovery-kit.js';

const redisAvailable = await shouldRunRedisTests();

/**
 * Crash recovery of the hot resize and live migration sagas on CLUSTER_BACKEND=simulator (the
 * KubeVirt adapter against the cluster simulator, whose objects and guests persist under DATA_DIR):
 * the service is killed with SIGKILL right after a step's side effect, before its result is
 * recorded, and started again. The task must end as if nothing happened: the new size or host, each
 * step recorded once, no failure and no compensation.
 */
(redisAvailable ? describe : describe.skip)('live change crash recovery (service as a child process, SIGKILL)', () => { // skipped only outside CI (Redis at 127.0.0.1:6379 unreachable); under CI=true it runs and fails
  let building: Promise<ServiceBuild> | undefined;
  const build = () => (building ??= buildService());
  const harnesses: ServiceHarness[] = [];
  const clients: ServiceClient[] = [];

  beforeAll(async () => {
    await build();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await Promise.all(harnesses.map((h) => h.cleanup()));
    (await building?.catch(() => undefined))?.remove();
  });

  /** An installation with an ACTIVE server, the service then stopped so the next run can arm a failpoint. */
  async function activeServer(label: string) {
    const harness = new ServiceHarness({ build: await build(), redisUrl: TEST_REDIS_URL, env: { CLUSTER_BACKEND: 'simulator', SIM_PERSIST: 'true', SIM_STEP_MS: '10' } });
    harnesses.push(harness);
    const first = await harness.start({}, `${label}: first run`);
    const client = await ServiceClient.open(harness);
    clients.push(client);
    const { vmId } = await client.createServer(label);
    const context = async () => `stream: ${streamSummary(await client.vmStream(vmId)).join(', ')}\n${harness.diagnostics()}`;
    await until(`VM ${vmId} to be active`, async () => (await client.vm(vmId))?.vmState === 'active' && (await client.vm(vmId))?.task === null, 60_000, context);
    await first.kill('SIGTERM', 20_000);
    const executor = new AggregateExecutor(client.store, new SystemClock(), new UuidV7Generator());
    const execute = (command: VirtualMachineCommand) =>
      executor.execute(vmStreamId(vmId), virtualMachineDecider, command, { requestId: `req-${uuidv7()}`, actor: ACTOR }, VIRTUAL_MACHINE_EVENT_VERSIONS);
    return { harness, client, vmId, execute, context };
  }

  const results = (summary: string[]) => summary.filter((t) => t.startsWith('TaskStep'));

  it.concurrent('given a kill right after the vCPU hot-add, when the service restarts, then the hot resize completes with each step once', async () => {
    const { harness, client, vmId, execute, context } = await activeServer('crash-hot');
    const armed = await harness.start({ VIRTPLANE_FAILPOINTS: 'after-side-effect:hot-add-vcpus' }, 'crash-hot: armed');
    await execute({ type: 'HotResizeVM', data: { vmId, taskId: uuidv7(), vcpus: 2, ramMb: 1024 } });
    expect((await armed.waitForExit(60_000)).signal).toBe('SIGKILL');
    const beforeRestart = streamSummary(await client.vmStream(vmId));
    expect(beforeRestart.some((t) => t.includes('hot-add-vcpus'))).toBe(false);

    await harness.start({}, 'crash-hot: after restart');
    const vm = await until(`VM ${vmId} to end its hot resize`, async () => {
      const v = await client.vm(vmId);
      return v && v.task === null && v.endedTaskIds.length >= 2 ? v : undefined;
    }, 60_000, context);
    const events = await client.vmStream(vmId);
    expect(streamProblems(events)).toEqual([]);
    expect(streamSummary(events).filter((t) => /^Task(StepFailed|Failed|CompensationStarted)/.test(t))).toEqual([]);
    expect(events.filter((e) => e.type === 'VMHotResized')).toHaveLength(1);
    const steps = results(streamSummary(events)).filter((t) => /resize|hot-add|guest|record/.test(t));
    expect(new Set(steps).size).toBe(steps.length);
    expect({ vmState: vm.vmState, vcpus: vm.flavor.vcpus, ramMb: vm.flavor.ramMb }).toEqual({ vmState: 'active', vcpus: 2, ramMb: 1024 });
  }, 240_000);

  it.concurrent('given a kill right after the migration was created, when the service restarts, then the migration completes once and the VM is on another node', async () => {
    const { harness, client, vmId, execute, context } = await activeServer('crash-mig');
    const source = (await client.vm(vmId))!.host;
    const armed = await harness.start({ VIRTPLANE_FAILPOINTS: 'after-side-effect:start-migration' }, 'crash-mig: armed');
    await execute({ type: 'LiveMigrateVM', data: { vmId, taskId: uuidv7(), targetHost: null } });
    expect((await armed.waitForExit(60_000)).signal).toBe('SIGKILL');

    await harness.start({}, 'crash-mig: after restart');
    const vm = await until(`VM ${vmId} to end its migration`, async () => {
      const v = await client.vm(vmId);
      return v && v.task === null && v.endedTaskIds.length >= 2 ? v : undefined;
    }, 60_000, context);
    const events = await client.vmStream(vmId);
    expect(streamProblems(events)).toEqual([]);
    expect(streamSummary(events).filter((t) => /^Task(StepFailed|Failed|CompensationStarted)/.test(t))).toEqual([]);
    expect(events.filter((e) => e.type === 'VMLiveMigrated')).toHaveLength(1);
    expect(vm.vmState).toBe('active');
    expect(vm.host).not.toBe(source);
  }, 240_000);
});

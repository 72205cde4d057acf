import { v7 as uuidv7 } from 'uuid';
import { shouldRunRedisTests } from '../../support/redis.js';
import { streamProblems, streamSummary, until } from './recovery-kit.js';
import { stepResults, useActiveServerInstallations } from './active-server-installations.js';

const redisAvailable = await shouldRunRedisTests();

/**
 * Crash recovery of the hot resize and live migration sagas on CLUSTER_BACKEND=simulator (the
 * KubeVirt adapter against the cluster simulator, whose objects and guests persist under DATA_DIR):
 * the service is killed with SIGKILL right after a step's side effect, before its result is
 * recorded, and started again. The task must end as if nothing happened: the new size or host, each
 * step recorded once, no failure and no compensation.
 */
(redisAvailable ? describe : describe.skip)('live change crash recovery (service as a child process, SIGKILL)', () => { // skipped only outside CI (Redis at 127.0.0.1:6379 unreachable); under CI=true it runs and fails
  const { activeServer } = useActiveServerInstallations();

  it.concurrent('given a kill right after the vCPU hot-add, when the service restarts, then the hot resize completes with each step once', async () => {
    const { harness, client, vmId, execute, context } = await activeServer('crash-hot');
    const armed = await harness.start({ VIRTPLANE_FAILPOINTS: 'after-side-effect:hot-add-vcpus' }, 'crash-hot: armed');
    await execute({ type: 'HotResizeVM', data: { vmId, taskId: uuidv7(), vcpus: 2, ramMb: 1024 } });
    expect((await armed.waitForExit(60_000)).signal).toBe('SIGKILL');
    const beforeRestart = streamSummary(await client.vmStream(vmId));
    // Killed inside resize-guest, after the vCPUs and before the memory: its result is not recorded.
    expect(beforeRestart.some((t) => t.includes('resize-guest'))).toBe(false);

    await harness.start({}, 'crash-hot: after restart');
    const vm = await until(`VM ${vmId} to end its hot resize`, async () => {
      const v = await client.vm(vmId);
      return v && v.task === null && v.endedTaskIds.length >= 2 ? v : undefined;
    }, 60_000, context);
    const events = await client.vmStream(vmId);
    expect(streamProblems(events)).toEqual([]);
    expect(streamSummary(events).filter((t) => /^Task(StepFailed|Failed|CompensationStarted)/.test(t))).toEqual([]);
    expect(events.filter((e) => e.type === 'VMHotResized')).toHaveLength(1);
    const steps = stepResults(streamSummary(events)).filter((t) => /resize|hot-add|guest|record/.test(t));
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

import { CommandBus } from '@nestjs/cqrs';
import type { ClusterPort } from '../../../src/adapters/kubernetes/cluster.port.js';
import type { Infrastructure } from '../../../src/app/infrastructure.js';
import type { JobQueue } from '../../../src/adapters/queue/job-queue.port.js';
import { CLUSTER, INFRASTRUCTURE, JOB_QUEUE, READ_MODEL_DB } from '../../../src/app/tokens.js';
import type { Effect, SimulatorControl } from '../../../src/cluster-simulator/cluster-simulator.js';
import { DEFAULT_FLAVORS } from '../../../src/domain/flavor/default-flavors.js';
import { PowerState } from '../../../src/domain/virtual-machine/nova-states.js';
import { ExecuteFlavorCommand } from '../../../src/handlers/flavor/execute-flavor-command.command.js';
import { SYSTEM_ACTOR } from '../../../src/handlers/shared/command-metadata.js';
import { queryAuditLog } from '../../../src/projections/audit/audit-log.queries.js';
import { getInstanceAction, listInstanceActions } from '../../../src/projections/instance-actions/instance-actions.queries.js';
import { waitFor } from '../../support/redis.js';
import { ServerDriver } from '../../support/server-driver.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { FAST_SIMULATOR_ENV } from '../../support/fast-simulator-env.js';

/**
 * The lifecycle sagas' faults and side-effect counts on the embedded default: the KubeVirt adapter
 * over HTTP against the cluster simulator, whose control API injects the faults at the API server
 * (refuse, answer an error after the write, drop the reply, hang) and logs every client write it
 * carried out, so "created exactly once" is counted where it happens. The happy paths on the same
 * backend, with hot resize and the watch, are cluster-simulator-backend.saga.test.ts.
 */
describe('VM lifecycle sagas: faults and side effects at the cluster simulator', () => {
  let t: TestApp;
  let servers: ServerDriver;
  let cluster: ClusterPort;
  let control: SimulatorControl;

  /** Client writes the API server carried out on the VM's VirtualMachine (resource: 'virtualmachines', or an action such as 'virtualmachines/stop'). */
  const effects = (vmId: string, verb: Effect['verb'], resource = 'virtualmachines') => control.effectCount({ verb, resource, name: `vm-${vmId}` });

  beforeAll(async () => {
    t = await startTestApp({
      ...FAST_SIMULATOR_ENV,
      SIM_PERSIST: 'false',
      STEP_CONVERGENCE_TIMEOUT_MS: '2000',
      // Short, for the hung stop below, yet long enough that a create on a busy machine (the first
      // one starts the namespace and the simulator's nodes) is not cut off by it.
      TASK_DEADLINE_SECONDS: '8',
    });
    servers = new ServerDriver(t);
    cluster = t.app.get(CLUSTER);
    control = t.app.get<Infrastructure>(INFRASTRUCTURE).simulator!.control;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('given a create, when the saga runs, then the server goes BUILD to ACTIVE on a host, the VM is created once and the action has its steps', async () => {
    const { vmId } = await servers.create('web-1');
    const building = await servers.server(vmId);
    expect(building?.status ?? 'BUILD').toBe('BUILD');

    const active = await servers.settles(vmId, 'ACTIVE');
    expect(active.powerState).toBe(PowerState.RUNNING);
    expect(active.host).toMatch(/^node-/);
    expect(effects(vmId, 'create')).toBe(1);

    const db = t.app.get(READ_MODEL_DB);
    const [action] = await listInstanceActions(db, vmId);
    expect(action).toMatchObject({ action: 'create' });
    expect(action!.finishTime).not.toBeNull();
    const detail = await getInstanceAction(db, vmId, action!.requestId);
    expect(detail!.events.map((e) => [e.event, e.result])).toEqual([
      ['create-vm-object', 'Success'],
      ['await-running', 'Success'],
    ]);
  });

  it('given an active server, when stopped, started, soft and hard rebooted, paused and unpaused, then each settles and each action reached the cluster once', async () => {
    const { vmId } = await servers.create('web-2');
    await servers.settles(vmId, 'ACTIVE');

    await servers.act('StopVM', vmId);
    expect((await servers.settles(vmId, 'SHUTOFF')).powerState).toBe(PowerState.SHUTDOWN);
    await servers.act('StartVM', vmId);
    await servers.settles(vmId, 'ACTIVE');
    await servers.reboot(vmId, 'SOFT');
    await servers.settles(vmId, 'ACTIVE');
    await servers.reboot(vmId, 'HARD');
    await servers.settles(vmId, 'ACTIVE');
    await servers.act('PauseVM', vmId);
    expect((await servers.settles(vmId, 'PAUSED')).powerState).toBe(PowerState.PAUSED);
    await servers.act('UnpauseVM', vmId);
    await servers.settles(vmId, 'ACTIVE');

    expect(effects(vmId, 'update', 'virtualmachines/stop')).toBe(1);
    expect(effects(vmId, 'update', 'virtualmachines/start')).toBe(1);
    expect(effects(vmId, 'update', 'virtualmachines/restart')).toBe(2);
    expect(effects(vmId, 'update', 'virtualmachineinstances/pause')).toBe(1);
    expect(effects(vmId, 'update', 'virtualmachineinstances/unpause')).toBe(1);
    const actions = await listInstanceActions(t.app.get(READ_MODEL_DB), vmId);
    expect(actions.map((a) => a.action).reverse()).toEqual(['create', 'stop', 'start', 'reboot', 'reboot', 'pause', 'unpause']);
    expect(actions.every((a) => a.finishTime !== null)).toBe(true);
  });

  it('given a create refused twice by the API server (503), when the saga runs, then it is retried and the VM is created once', async () => {
    control.failNext({ verb: 'create', resource: 'virtualmachines', count: 2, status: 503, message: 'the API server is restarting' });
    const { vmId } = await servers.create('retry-1');
    await servers.settles(vmId, 'ACTIVE');
    expect(effects(vmId, 'create')).toBe(1);
    expect(control.pendingFaults().failures).toEqual([]);
  });

  it('given the reply to the create is lost (the object is made, the connection cut), when the saga retries, then it finds its VM and creates nothing twice', async () => {
    control.dropReplyNext({ verb: 'create', resource: 'virtualmachines' });
    const { vmId } = await servers.create('lost-1');
    await servers.settles(vmId, 'ACTIVE');
    expect(effects(vmId, 'create')).toBe(1);
    expect(control.pendingFaults().drops).toEqual([]);
    expect((await cluster.listVms()).filter((v) => v.vmId === vmId)).toHaveLength(1);
  });

  it('given a create whose VM object is made but answered 422, when the saga runs, then the object is removed again and the server is ERROR with the server\'s message', async () => {
    // when: 'after': the effect happens, the caller sees a permanent error (a misleading response).
    control.failNext({ verb: 'create', resource: 'virtualmachines', status: 422, message: 'admission webhook denied the request', when: 'after' });
    const { vmId } = await servers.create('doomed-1');
    const failed = await servers.settles(vmId, 'ERROR');
    const [created] = control.effects({ verb: 'create', resource: 'virtualmachines', name: `vm-${vmId}` });
    expect(created).toBeDefined();
    expect(failed.fault).toMatchObject({ code: 500, message: `ensure VirtualMachine ${created!.namespace}/vm-${vmId}: admission webhook denied the request` });
    expect(effects(vmId, 'create')).toBe(1);
    expect(effects(vmId, 'delete')).toBe(1);
    const db = t.app.get(READ_MODEL_DB);
    const [action] = await listInstanceActions(db, vmId);
    expect(action!.message).toBe('Error');
    const detail = await getInstanceAction(db, vmId, action!.requestId);
    expect(detail!.events.map((e) => [e.event, e.result])).toEqual([
      ['create-vm-object', 'Error'],
      ['delete-vm-object', 'Success'],
    ]);
    await waitFor(async () => ((await cluster.listVms()).some((v) => v.vmId === vmId) ? undefined : true), 5000, 'the VM object gone');
  });

  it('given no node with room, when created, then the build fails with NoValidHost and nothing is left in the cluster', async () => {
    const bus = t.app.get(CommandBus);
    const flavor = { ...DEFAULT_FLAVORS[0]!, id: 'giant', name: 'giant', vcpus: 512, maxVcpus: 512 };
    await bus.execute(new ExecuteFlavorCommand({ type: 'CreateFlavor', data: flavor }, { requestId: 'req-flavor', actor: SYSTEM_ACTOR }));
    const { vmId } = await servers.create('giant-1', 'giant');
    const failed = await servers.settles(vmId, 'ERROR');
    expect(failed.fault?.message).toBe('No valid host was found. There are not enough hosts available.');
    expect((await cluster.listVms()).some((v) => v.vmId === vmId)).toBe(false);
  });

  it('given a stop that hangs at the API server, when the deadline passes, then the stop fails with a timeout, the server is ACTIVE again and the stop never happened', async () => {
    const { vmId } = await servers.create('hang-1');
    await servers.settles(vmId, 'ACTIVE');
    const hang = control.hangNext({ verb: 'update', resource: 'virtualmachines/stop', name: `vm-${vmId}` });
    await servers.act('StopVM', vmId);
    await waitFor(async () => (await servers.server(vmId))?.taskState === 'powering-off', 5000, 'powering-off');
    await waitFor(async () => (control.pendingFaults().hangs.find((h) => h.id === hang.id)?.held === 1 ? true : undefined), 5000, 'the stop held');
    await servers.settles(vmId, 'ACTIVE', 20_000);
    hang.release();
    const [stop] = await listInstanceActions(t.app.get(READ_MODEL_DB), vmId);
    expect(stop).toMatchObject({ action: 'stop', message: 'Error' });
    expect(effects(vmId, 'update', 'virtualmachines/stop')).toBe(0);
    expect((await cluster.listVms()).find((v) => v.vmId === vmId)).toMatchObject({ runStrategy: 'Always', printableStatus: 'Running' });
  });

  it('given an active server, when the VM is stopped outside our control (virtctl stop), then the power-state sync records it SHUTOFF', async () => {
    const { vmId } = await servers.create('outside-1');
    await servers.settles(vmId, 'ACTIVE');
    const vm = (await cluster.listVms()).find((v) => v.vmId === vmId)!;
    await cluster.stopVm(vm.ref);
    const stopped = await servers.settles(vmId, 'SHUTOFF');
    expect(stopped.powerState).toBe(PowerState.SHUTDOWN);
    const audit = await queryAuditLog(t.app.get(READ_MODEL_DB), { serverId: vmId, action: 'power-state-sync' });
    expect(audit.items).toHaveLength(1);
  });
});

describe('VM lifecycle sagas: the API server unreachable for a while', () => {
  let t: TestApp;
  let servers: ServerDriver;
  let cluster: ClusterPort;
  let control: SimulatorControl;

  beforeAll(async () => {
    // Backoff long enough that the step's attempts outlast the outage (8 attempts, 100 ms doubling to 400 ms: over 2 s).
    t = await startTestApp({ CLUSTER_BACKEND: 'simulator', SIM_PERSIST: 'false', SIM_STEP_MS: '10', JOB_BACKOFF_BASE_MS: '100', JOB_BACKOFF_CAP_MS: '400', POWER_SYNC_INTERVAL_SECONDS: '600' });
    servers = new ServerDriver(t);
    cluster = t.app.get(CLUSTER);
    control = t.app.get<Infrastructure>(INFRASTRUCTURE).simulator!.control;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('given the API server refuses connections when a create starts, when it comes back, then the step has retried, the VM is created once and the watch reports again', async () => {
    control.makeUnreachable(1_000);
    const { vmId } = await servers.create('away-1');
    const active = await servers.settles(vmId, 'ACTIVE', 20_000);
    expect(active.host).toMatch(/^node-/);
    expect(control.effectCount({ verb: 'create', resource: 'virtualmachines', name: `vm-${vmId}` })).toBe(1);
    const createJob = (await t.app.get<JobQueue>(JOB_QUEUE).listJobs({ serverId: vmId })).find((j) => j.name === 'create-vm-object');
    expect(createJob).toMatchObject({ state: 'completed' });
    expect(createJob!.attempts).toBeGreaterThan(1);

    // The adapter's watch, cut with every other connection, came back: a stop behind our back is seen.
    const vm = (await cluster.listVms()).find((v) => v.vmId === vmId)!;
    await cluster.stopVm(vm.ref);
    await servers.settles(vmId, 'SHUTOFF');
  });
});

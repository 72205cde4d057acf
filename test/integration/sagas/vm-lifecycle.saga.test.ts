import type { SimulatedCluster } from '../../../src/adapters/kubernetes/simulated-cluster.js';
import { TransientAdapterError, PermanentAdapterError } from '../../../src/adapters/adapter-errors.js';
import { CLUSTER } from '../../../src/app/tokens.js';
import { PowerState } from '../../../src/domain/virtual-machine/nova-states.js';
import { listInstanceActions, getInstanceAction } from '../../../src/projections/instance-actions/instance-actions.queries.js';
import { queryAuditLog } from '../../../src/projections/audit/audit-log.queries.js';
import { READ_MODEL_DB } from '../../../src/app/tokens.js';
import { CommandBus } from '@nestjs/cqrs';
import { DEFAULT_FLAVORS } from '../../../src/domain/flavor/default-flavors.js';
import { ExecuteFlavorCommand } from '../../../src/handlers/flavor/execute-flavor-command.command.js';
import { SYSTEM_ACTOR } from '../../../src/handlers/shared/command-metadata.js';
import { ServerDriver } from '../../support/server-driver.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { waitFor } from '../../support/redis.js';

describe('VM lifecycle sagas end to end on the simulation', () => {
  let t: TestApp;
  let servers: ServerDriver;
  let cluster: SimulatedCluster;

  beforeAll(async () => {
    // The in-process simulation's port-level faults and effect counts; the same sagas on the cluster
    // simulator (the default) are cluster-simulator-backend.saga.test.ts.
    t = await startTestApp({ CLUSTER_BACKEND: 'in-process', JOB_BACKOFF_BASE_MS: '10', JOB_BACKOFF_CAP_MS: '50', STEP_CONVERGENCE_TIMEOUT_MS: '2000', SIM_PERSIST: 'false', TASK_DEADLINE_SECONDS: '3' });
    servers = new ServerDriver(t);
    cluster = t.app.get(CLUSTER);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('given a create, when the saga runs, then the server goes BUILD to ACTIVE on a host and the action has its steps', async () => {
    const { vmId } = await servers.create('web-1');
    const building = await servers.server(vmId);
    expect(building?.status ?? 'BUILD').toBe('BUILD');

    const active = await servers.settles(vmId, 'ACTIVE');
    expect(active.powerState).toBe(PowerState.RUNNING);
    expect(active.host).toMatch(/^node-/);
    expect(cluster.effects.count('createVm', vmId)).toBe(1);

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

  it('given an active server, when stopped, started, soft and hard rebooted, paused and unpaused, then each settles as Nova shows it', async () => {
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
    expect(cluster.effects.count('restartVm', vmId)).toBe(2);
    await servers.act('PauseVM', vmId);
    expect((await servers.settles(vmId, 'PAUSED')).powerState).toBe(PowerState.PAUSED);
    await servers.act('UnpauseVM', vmId);
    await servers.settles(vmId, 'ACTIVE');

    const actions = await listInstanceActions(t.app.get(READ_MODEL_DB), vmId);
    expect(actions.map((a) => a.action).reverse()).toEqual(['create', 'stop', 'start', 'reboot', 'reboot', 'pause', 'unpause']);
    expect(actions.every((a) => a.finishTime !== null)).toBe(true);
  });

  it('given an active server, when deleted, then it is DELETED and gone from the cluster', async () => {
    const { vmId } = await servers.create('web-3');
    const { ref } = (await waitFor(async () => (await cluster.listVms()).find((v) => v.vmId === vmId), 5000, 'vm object'))!;
    await servers.settles(vmId, 'ACTIVE');
    await servers.act('DeleteVM', vmId);
    await servers.settles(vmId, 'DELETED');
    expect(await cluster.getVm(ref)).toBeNull();
  });

  it('given a create step that fails transiently twice, when the saga runs, then it is retried and succeeds', async () => {
    cluster.faults.failNext('ensureVm', 2, new TransientAdapterError('Unavailable', 'the API server is restarting'));
    const { vmId } = await servers.create('retry-1');
    await servers.settles(vmId, 'ACTIVE');
    expect(cluster.effects.count('createVm', vmId)).toBe(1);
  });

  it('given a create whose VM object is made but answered with a permanent error, when the saga runs, then the object is removed again and the server is ERROR with a fault', async () => {
    // failAfterNext: the effect happens, the caller sees an error (a lost or misleading response).
    cluster.faults.failAfterNext('ensureVm', 1, new PermanentAdapterError('Invalid', 'admission webhook denied the request'));
    const { vmId } = await servers.create('doomed-1');
    const failed = await servers.settles(vmId, 'ERROR');
    expect(failed.fault).toMatchObject({ code: 500, message: 'admission webhook denied the request' });
    expect(cluster.effects.count('createVm', vmId)).toBe(1);
    expect(cluster.effects.count('deleteVm', vmId)).toBe(1);
    const db = t.app.get(READ_MODEL_DB);
    const [action] = await listInstanceActions(db, vmId);
    expect(action!.message).toBe('Error');
    const detail = await getInstanceAction(db, vmId, action!.requestId);
    expect(detail!.events.map((e) => [e.event, e.result])).toEqual([
      ['create-vm-object', 'Error'],
      ['delete-vm-object', 'Success'],
    ]);
    expect((await cluster.listVms()).some((v) => v.vmId === vmId)).toBe(false);
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

  it('given a stop that hangs, when the deadline passes, then the stop fails with a timeout and the server is ACTIVE again', async () => {
    const { vmId } = await servers.create('hang-1');
    await servers.settles(vmId, 'ACTIVE');
    const hang = cluster.faults.hang('stopVm', { count: 1 });
    await servers.act('StopVM', vmId);
    await waitFor(async () => (await servers.server(vmId))?.taskState === 'powering-off', 5000, 'powering-off');
    await servers.settles(vmId, 'ACTIVE', 20_000);
    hang.release(new TransientAdapterError('Timeout', 'the API server did not answer'));
    const [stop] = await listInstanceActions(t.app.get(READ_MODEL_DB), vmId);
    expect(stop).toMatchObject({ action: 'stop', message: 'Error' });
    expect(cluster.effects.count('stopVm', vmId)).toBe(0);
  });

  it('given an active server, when the VM is stopped outside our control, then the power-state sync records it SHUTOFF', async () => {
    const { vmId } = await servers.create('outside-1');
    await servers.settles(vmId, 'ACTIVE');
    const vm = (await cluster.listVms()).find((v) => v.vmId === vmId)!;
    cluster.simulateStopOutside(vm.ref);
    const stopped = await servers.settles(vmId, 'SHUTOFF');
    expect(stopped.powerState).toBe(PowerState.SHUTDOWN);
    const audit = await queryAuditLog(t.app.get(READ_MODEL_DB), { serverId: vmId, action: 'power-state-sync' });
    expect(audit.items).toHaveLength(1);
  });
});

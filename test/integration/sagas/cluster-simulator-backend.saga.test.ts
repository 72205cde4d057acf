import { CommandBus } from '@nestjs/cqrs';
import type { ClusterPort } from '../../../src/adapters/kubernetes/cluster.port.js';
import type { HypervisorPort } from '../../../src/adapters/libvirt/hypervisor.port.js';
import type { Infrastructure } from '../../../src/app/infrastructure.js';
import { CLUSTER, HYPERVISOR, INFRASTRUCTURE, READ_MODEL_DB } from '../../../src/app/tokens.js';
import type { SimulatorControl } from '../../../src/cluster-simulator/cluster-simulator.js';
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
 * The sagas on CLUSTER_BACKEND=simulator: the real KubeVirt adapter over HTTP against the cluster
 * simulator, and the real libvirt adapter through exec into the launcher pod (the simulator's guest
 * model answers virsh). Faults are the simulator's own, at the HTTP level.
 */
describe('sagas on the embedded cluster simulator through the KubeVirt and libvirt adapters', () => {
  let t: TestApp;
  let servers: ServerDriver;
  let cluster: ClusterPort;
  let control: SimulatorControl;

  const requests = (method: string, pathPart: string) => control.requests().filter((r) => r.method === method && r.path.includes(pathPart));

  beforeAll(async () => {
    t = await startTestApp({
      ...FAST_SIMULATOR_ENV,
      SIM_PERSIST: 'false',
    });
    servers = new ServerDriver(t);
    cluster = t.app.get(CLUSTER);
    control = t.app.get<Infrastructure>(INFRASTRUCTURE).simulator!.control;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('given a create, when the saga runs, then a VirtualMachine is created over HTTP and the server is ACTIVE on a simulated node', async () => {
    const { vmId } = await servers.create('sim-1');
    const active = await servers.settles(vmId, 'ACTIVE');
    expect(active.powerState).toBe(PowerState.RUNNING);
    expect(active.host).toMatch(/^node-/);
    expect(requests('POST', `/virtualmachines`).filter((r) => (r.body as { metadata?: { name?: string } }).metadata?.name === `vm-${vmId}`)).toHaveLength(1);
    const vm = (await cluster.listVms()).find((v) => v.vmId === vmId);
    expect(vm).toMatchObject({ printableStatus: 'Running', node: active.host });
  });

  it('given an active server, when stopped, started, soft and hard rebooted, paused and unpaused, then each settles as Nova shows it', async () => {
    const { vmId } = await servers.create('sim-life');
    await servers.settles(vmId, 'ACTIVE');
    await servers.act('StopVM', vmId);
    expect((await servers.settles(vmId, 'SHUTOFF')).powerState).toBe(PowerState.SHUTDOWN);
    await servers.act('StartVM', vmId);
    await servers.settles(vmId, 'ACTIVE');
    await servers.reboot(vmId, 'SOFT');
    await servers.settles(vmId, 'ACTIVE');
    await servers.reboot(vmId, 'HARD');
    await servers.settles(vmId, 'ACTIVE');
    expect(requests('PUT', `/virtualmachines/vm-${vmId}/restart`)).toHaveLength(2);
    await servers.act('PauseVM', vmId);
    expect((await servers.settles(vmId, 'PAUSED')).powerState).toBe(PowerState.PAUSED);
    await servers.act('UnpauseVM', vmId);
    await servers.settles(vmId, 'ACTIVE');
    const actions = await listInstanceActions(t.app.get(READ_MODEL_DB), vmId);
    expect(actions.map((a) => a.action).reverse()).toEqual(['create', 'stop', 'start', 'reboot', 'reboot', 'pause', 'unpause']);
    expect(actions.every((a) => a.finishTime !== null && a.message === null)).toBe(true);
  });

  it('given an active server, when deleted, then it is DELETED and gone from the cluster', async () => {
    const { vmId } = await servers.create('sim-delete');
    await servers.settles(vmId, 'ACTIVE');
    const { ref } = (await cluster.listVms()).find((v) => v.vmId === vmId)!;
    await servers.act('DeleteVM', vmId);
    await servers.settles(vmId, 'DELETED');
    expect(await cluster.getVm(ref)).toBeNull();
  });

  it('given no node with room, when created, then the build fails with NoValidHost and nothing is left in the cluster', async () => {
    const flavor = { ...DEFAULT_FLAVORS[0]!, id: 'sim-giant', name: 'sim-giant', vcpus: 512, maxVcpus: 512 };
    await t.app.get(CommandBus).execute(new ExecuteFlavorCommand({ type: 'CreateFlavor', data: flavor }, { requestId: 'req-sim-giant', actor: SYSTEM_ACTOR }));
    const { vmId } = await servers.create('sim-giant-1', 'sim-giant');
    const failed = await servers.settles(vmId, 'ERROR');
    expect(failed.fault?.message).toBe('No valid host was found. There are not enough hosts available.');
    expect((await cluster.listVms()).some((v) => v.vmId === vmId)).toBe(false);
  });

  it('given an ACTIVE server, when hot resized, then the launcher pod and the guest (virsh through exec) have the new size', async () => {
    const { vmId } = await servers.create('sim-hot');
    const active = await servers.settles(vmId, 'ACTIVE');
    await servers.execute({ type: 'HotResizeVM', data: { vmId, taskId: `hot-${vmId}`, vcpus: 2, ramMb: 1024 } });
    const resized = await waitFor(async () => {
      const s = await servers.server(vmId);
      return s && s.taskState === null && s.flavor.vcpus === 2 ? s : undefined;
    }, 20_000, 'the hot resize to finish');
    expect(resized).toMatchObject({ status: 'ACTIVE', flavor: { vcpus: 2, ramMb: 1024 } });

    const domain = await t.app.get<HypervisorPort>(HYPERVISOR).getDomain({ vmId, node: active.host! });
    expect(domain).toMatchObject({ state: 'running', vcpus: { current: 2 }, memoryMiB: { current: 1024 } });
    expect(requests('GET', '/pods/').some((r) => r.path.includes('/exec?'))).toBe(true);
  });

  it('given the API server fails the create twice with 503, when the saga runs, then the step is retried and succeeds', async () => {
    control.failNext({ verb: 'create', resource: 'virtualmachines', count: 2, status: 503 });
    const { vmId } = await servers.create('sim-retry');
    await servers.settles(vmId, 'ACTIVE');
    const creates = requests('POST', '/virtualmachines').filter((r) => (r.body as { metadata?: { name?: string } }).metadata?.name === `vm-${vmId}`);
    expect(creates).toHaveLength(3);
  });

  it('given the API server refuses the VM (422), when the saga runs, then the server is ERROR with the server\'s message and nothing is left', async () => {
    control.failNext({ verb: 'create', resource: 'virtualmachines', status: 422, message: 'admission webhook "virtualmachine-validator.kubevirt.io" denied the request' });
    const { vmId } = await servers.create('sim-doomed');
    const failed = await servers.settles(vmId, 'ERROR');
    expect(failed.fault?.message).toMatch(/denied the request/);
    const db = t.app.get(READ_MODEL_DB);
    const [action] = await listInstanceActions(db, vmId);
    const detail = await getInstanceAction(db, vmId, action!.requestId);
    expect(detail!.events.map((e) => [e.event, e.result])).toEqual([
      ['create-vm-object', 'Error'],
      ['delete-vm-object', 'Success'],
    ]);
    expect((await cluster.listVms()).some((v) => v.vmId === vmId)).toBe(false);
  });

  it('given an ACTIVE server, when the VM is stopped behind our back (virtctl stop), then the adapter\'s watch makes it SHUTOFF', async () => {
    const { vmId } = await servers.create('sim-outside');
    await servers.settles(vmId, 'ACTIVE');
    const vm = (await cluster.listVms()).find((v) => v.vmId === vmId)!;
    await cluster.stopVm(vm.ref);
    const stopped = await servers.settles(vmId, 'SHUTOFF');
    expect(stopped.powerState).toBe(PowerState.SHUTDOWN);
    const audit = await queryAuditLog(t.app.get(READ_MODEL_DB), { serverId: vmId, action: 'power-state-sync' });
    expect(audit.items).toHaveLength(1);
  });

  it('given the watches are dropped, when a VM is stopped behind our back, then the resumed watch still reports it', async () => {
    const { vmId } = await servers.create('sim-dropped');
    await servers.settles(vmId, 'ACTIVE');
    expect(control.dropWatches()).toBeGreaterThan(0);
    const vm = (await cluster.listVms()).find((v) => v.vmId === vmId)!;
    await cluster.stopVm(vm.ref);
    await servers.settles(vmId, 'SHUTOFF');
  });
});

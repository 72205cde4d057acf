import { createNamespace, eventually, ns, startFixture, vmManifest, type SimulatorFixture } from './simulator-fixture.js';

const vmPath = `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines`;
const vmiPath = `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachineinstances`;
const vmimPath = `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachineinstancemigrations`;

describe('cluster simulator: live migration', () => {
  let fixture: SimulatorFixture;
  beforeEach(async () => {
    fixture = await startFixture({ stepMs: 5 });
    await createNamespace(fixture);
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-01', { annotations: { 'ovn.kubernetes.io/ip_address': '10.16.0.15' } }) });
    await eventually(async () => (await (await fixture.api(`${vmPath}/web-01`)).json()).status?.printableStatus === 'Running', 10000, 'Running');
  });
  afterEach(async () => fixture.simulator.close());

  const vmi = async () => (await fixture.api(`${vmiPath}/web-01`)).json();
  const migration = async (name: string) => (await fixture.api(`${vmimPath}/${name}`)).json();
  const create = async () => (await fixture.api(vmimPath, { method: 'POST', json: { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstanceMigration', metadata: { generateName: 'web-01-mig-' }, spec: { vmiName: 'web-01' } } })).json();

  it('given a running VMI, when a migration is created, then it walks the phases to Succeeded and the VMI lands on the other node with its IP', async () => {
    const source = (await vmi()).status.nodeName;
    const created = await create();
    expect(created.metadata.name).toMatch(/^web-01-mig-[a-z0-9]{5}$/);
    const phases = new Set<string>();
    const done = await eventually(async () => {
      const now = await migration(created.metadata.name);
      if (now.status?.phase) phases.add(now.status.phase);
      return now.status?.phase === 'Succeeded' ? now : undefined;
    }, 10000, 'Succeeded');
    expect(done.status.phaseTransitionTimestamps.map((t: { phase: string }) => t.phase)).toEqual(['Pending', 'Scheduling', 'Scheduled', 'PreparingTarget', 'TargetReady', 'Running', 'Succeeded']);
    expect(done.metadata.labels['kubevirt.io/vmi-name']).toBe('web-01');
    const moved = await vmi();
    expect(moved.status.nodeName).not.toBe(source);
    expect(moved.status.migrationState).toMatchObject({ migrationUid: created.metadata.uid, sourceNode: source, targetNode: moved.status.nodeName, completed: true, failed: false });
    await eventually(async () => {
      const pods = await fixture.core.listNamespacedPod({ namespace: ns, labelSelector: 'vm.kubevirt.io/name=web-01' });
      return pods.items.length === 1 && pods.items[0]!.spec?.nodeName === moved.status.nodeName;
    }, 5000, 'source pod gone');
    expect((await vmi()).status.interfaces[0].ipAddress).toBe('10.16.0.15');
  });

  it('given the migrate subresource, when called, then 202 and a kubevirt-migrate-vm- migration runs', async () => {
    const response = await fixture.api(`/apis/subresources.kubevirt.io/v1/namespaces/${ns}/virtualmachines/web-01/migrate`, { method: 'PUT', json: {} });
    expect(response.status).toBe(202);
    const list = await (await fixture.api(vmimPath)).json();
    expect(list.items[0].metadata.name).toMatch(/^kubevirt-migrate-vm-/);
  });

  it('given an unfinished migration, when another is created, then the webhook refuses it with 400', async () => {
    await create();
    const response = await fixture.api(vmimPath, { method: 'POST', json: { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstanceMigration', metadata: { name: 'second' }, spec: { vmiName: 'web-01' } } });
    expect(response.status).toBe(400);
    expect((await response.json()).message).toContain('in-flight migration detected');
  });

  it('given an injected failure, when migrating, then Failed with migrationState.failed and the VMI stays on its node', async () => {
    const source = (await vmi()).status.nodeName;
    fixture.simulator.control.failNextMigration({ reason: 'Live migration failed: target unreachable' });
    const created = await create();
    const failed = await eventually(async () => {
      const now = await migration(created.metadata.name);
      return now.status?.phase === 'Failed' ? now : undefined;
    }, 10000, 'Failed');
    expect(failed.status.migrationState).toMatchObject({ failed: true, failureReason: 'Live migration failed: target unreachable' });
    const after = await vmi();
    expect(after.status.nodeName).toBe(source);
    expect(after.status.migrationState).toMatchObject({ completed: true, failed: true });
  });

  it('given a running migration, when its VMIM is deleted, then the abort succeeds, the target pod goes and the VMIM goes after its finalizer', async () => {
    // A migration that copies for minutes, so the delete lands mid-flight however busy the machine is.
    await fixture.simulator.close();
    fixture = await startFixture({ migrationTransferTicks: 100_000 });
    await createNamespace(fixture);
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-01') });
    await eventually(async () => (await (await fixture.api(`${vmPath}/web-01`)).json()).status?.printableStatus === 'Running', 10000, 'Running');
    const created = await create();
    await eventually(async () => ['PreparingTarget', 'TargetReady', 'Running'].includes((await migration(created.metadata.name)).status?.phase), 10000, 'in flight');
    const deleted = await (await fixture.api(`${vmimPath}/${created.metadata.name}`, { method: 'DELETE' })).json();
    expect(deleted.metadata.deletionTimestamp).toBeDefined();
    await eventually(async () => (await fixture.api(`${vmimPath}/${created.metadata.name}`)).status === 404, 10000, 'VMIM gone');
    const after = await vmi();
    expect(after.status.migrationState).toMatchObject({ abortRequested: true, abortStatus: 'Succeeded', failed: true });
    await eventually(async () => (await fixture.core.listNamespacedPod({ namespace: ns, labelSelector: 'vm.kubevirt.io/name=web-01' })).items.length === 1, 5000, 'target pod gone');
  });
});

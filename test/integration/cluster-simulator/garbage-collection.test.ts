import { createNamespace, eventually, ns, startFixture, vmManifest, type SimulatorFixture } from './simulator-fixture.js';

const vmPath = `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines`;
const secretPath = `/api/v1/namespaces/${ns}/secrets`;

describe('cluster simulator: garbage collection and namespace deletion', () => {
  let fixture: SimulatorFixture;
  beforeEach(async () => {
    fixture = await startFixture();
    await createNamespace(fixture);
  });
  afterEach(async () => fixture.simulator.close());

  const secretOwnedBy = (name: string, owner: { kind: string; apiVersion: string; name: string; uid: string }) => ({
    apiVersion: 'v1', kind: 'Secret', metadata: { name, ownerReferences: [{ ...owner, controller: true, blockOwnerDeletion: true }] }, data: {},
  });

  it('given a secret owned by a VM and one owned by that secret, when the VM is deleted, then both go (background propagation), and an unowned one stays', async () => {
    const vm = await (await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-01', { runStrategy: 'Halted' }) })).json();
    const first = await (await fixture.api(secretPath, { method: 'POST', json: secretOwnedBy('first', { kind: 'VirtualMachine', apiVersion: 'kubevirt.io/v1', name: 'web-01', uid: vm.metadata.uid }) })).json();
    await fixture.api(secretPath, { method: 'POST', json: secretOwnedBy('second', { kind: 'Secret', apiVersion: 'v1', name: 'first', uid: first.metadata.uid }) });
    await fixture.api(secretPath, { method: 'POST', json: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'loose' }, data: {} } });
    // an owner that is alive keeps its dependents
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fixture.api(`${secretPath}/second`)).status).toBe(200);

    await fixture.api(`${vmPath}/web-01`, { method: 'DELETE' });
    await eventually(async () => (await fixture.api(`${secretPath}/first`)).status === 404 && (await fixture.api(`${secretPath}/second`)).status === 404, 10000, 'dependents gone');
    expect((await fixture.api(`${secretPath}/loose`)).status).toBe(200);
  });

  it('given a secret whose owner never existed, when created, then it is collected', async () => {
    await fixture.api(secretPath, { method: 'POST', json: secretOwnedBy('orphan', { kind: 'VirtualMachine', apiVersion: 'kubevirt.io/v1', name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' }) });
    await eventually(async () => (await fixture.api(`${secretPath}/orphan`)).status === 404, 10000, 'orphan collected');
  });

  it('given a namespace with a running VM, when the namespace is deleted, then its objects go and the namespace after them', async () => {
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-01') });
    await eventually(async () => (await (await fixture.api(`${vmPath}/web-01`)).json()).status?.printableStatus === 'Running', 10000, 'running');
    await fixture.api(`/api/v1/namespaces/${ns}`, { method: 'DELETE' });
    await eventually(async () => (await fixture.api(`/api/v1/namespaces/${ns}`)).status === 404, 15000, 'namespace gone');
    expect((await (await fixture.api(`/api/v1/pods`)).json()).items.filter((p: { metadata: { namespace: string } }) => p.metadata.namespace === ns)).toEqual([]);
    expect((await (await fixture.api(`/apis/kubevirt.io/v1/virtualmachines`)).json()).items).toEqual([]);
  });
});

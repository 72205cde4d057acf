import { createNamespace, eventually, ns, startFixture, vmManifest, type SimulatorFixture } from './simulator-fixture.js';

const vmPath = `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines`;
const vmiPath = `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachineinstances`;
const actionPath = (plural: string, name: string, action: string) => `/apis/subresources.kubevirt.io/v1/namespaces/${ns}/${plural}/${name}/${action}`;

describe('cluster simulator: virt-controller lifecycle', () => {
  let fixture: SimulatorFixture;
  beforeEach(async () => {
    fixture = await startFixture();
    await createNamespace(fixture);
  });
  afterEach(async () => fixture.simulator.close());

  const vm = async (name: string) => (await fixture.api(`${vmPath}/${name}`)).json();
  const vmi = async (name: string) => {
    const response = await fixture.api(`${vmiPath}/${name}`);
    return response.status === 200 ? response.json() : undefined;
  };
  const put = (plural: string, name: string, action: string, body: unknown = {}) => fixture.api(actionPath(plural, name, action), { method: 'PUT', json: body });
  const running = (name: string) => eventually(async () => {
    const current = await vm(name);
    return current.status?.printableStatus === 'Running' && current.status.ready === true ? current : undefined;
  }, 10000, `${name} Running`);

  it('given a VM with runStrategy Always, when created, then VMI and launcher pod appear and the phases reach Running', async () => {
    const watched: string[] = [];
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-01', { annotations: { 'ovn.kubernetes.io/ip_address': '10.16.0.15', 'ovn.kubernetes.io/mac_address': '02:00:00:0a:10:0f' } }) });
    const current = await running('web-01');
    expect(current.status).toMatchObject({ created: true, ready: true, printableStatus: 'Running', runStrategy: 'Always' });
    expect(current.status.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True' }));
    expect(current.metadata.finalizers).toContain('kubevirt.io/virtualMachineControllerFinalize');
    const instance = await vmi('web-01');
    for (const t of instance.status.phaseTransitionTimestamps) watched.push(t.phase);
    expect(watched).toEqual(['Pending', 'Scheduling', 'Scheduled', 'Running']);
    expect(instance.status.conditions).toEqual(expect.arrayContaining([
      expect.objectContaining({ type: 'Ready', status: 'True' }), expect.objectContaining({ type: 'LiveMigratable', status: 'True' }),
    ]));
    expect(instance.status.interfaces).toEqual([expect.objectContaining({ name: 'default', ipAddress: '10.16.0.15', mac: '02:00:00:0a:10:0f', podInterfaceName: 'eth0' })]);
    expect(instance.metadata.ownerReferences[0]).toMatchObject({ kind: 'VirtualMachine', name: 'web-01', uid: current.metadata.uid, controller: true });
    const pods = await fixture.core.listNamespacedPod({ namespace: ns, labelSelector: 'kubevirt.io=virt-launcher,vm.kubevirt.io/name=web-01' });
    expect(pods.items).toHaveLength(1);
    const pod = pods.items[0]!;
    expect(pod.metadata?.name).toMatch(/^virt-launcher-web-01-[a-z0-9]{5}$/);
    expect(pod.metadata?.labels?.['kubevirt.io/created-by']).toBe(instance.metadata.uid);
    expect(pod.metadata?.annotations?.['ovn.kubernetes.io/ip_address']).toBe('10.16.0.15');
    expect(pod.status?.phase).toBe('Running');
    expect(pod.spec?.nodeName).toBe(instance.status.nodeName);
    expect(pod.status?.containerStatuses?.[0]?.name).toBe('compute');
  });

  it('given a running VM, when stopped, started and restarted through the subresources, then 202s and the VMI goes, comes back and is replaced', async () => {
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-01') });
    await running('web-01');
    const first = await vmi('web-01');
    const start = await put('virtualmachines', 'web-01', 'start');
    expect(start.status).toBe(409); // Always does not take manual start requests
    const stop = await put('virtualmachines', 'web-01', 'stop');
    expect(stop.status).toBe(202);
    expect(await stop.text()).toBe('');
    await eventually(async () => (await vmi('web-01')) === undefined && (await vm('web-01')).status?.printableStatus === 'Stopped', 10000, 'stopped');
    expect((await vm('web-01')).spec.runStrategy).toBe('Halted');
    const stopAgain = await put('virtualmachines', 'web-01', 'stop');
    expect(stopAgain.status).toBe(409);
    expect((await stopAgain.json()).message).toBe('VM is not running');
    expect((await put('virtualmachines', 'web-01', 'restart')).status).toBe(409);
    expect((await put('virtualmachines', 'web-01', 'start')).status).toBe(202);
    await running('web-01');
    const second = await vmi('web-01');
    expect(second.metadata.uid).not.toBe(first.metadata.uid);
    expect((await put('virtualmachines', 'web-01', 'restart')).status).toBe(202);
    await eventually(async () => {
      const now = await vmi('web-01');
      return now && now.metadata.uid !== second.metadata.uid && now.status?.phase === 'Running';
    }, 10000, 'restarted VMI');
  });

  it('given a running VMI, when paused and unpaused, then 200s, the Paused condition follows, and wrong states are 409', async () => {
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-01') });
    await running('web-01');
    expect((await put('virtualmachineinstances', 'web-01', 'unpause')).status).toBe(409);
    const pause = await put('virtualmachineinstances', 'web-01', 'pause');
    expect(pause.status).toBe(200);
    await eventually(async () => (await vm('web-01')).status?.printableStatus === 'Paused', 5000, 'Paused');
    const instance = await vmi('web-01');
    expect(instance.status.conditions).toContainEqual(expect.objectContaining({ type: 'Paused', status: 'True', reason: 'PausedByUser' }));
    const again = await put('virtualmachineinstances', 'web-01', 'pause');
    expect(again.status).toBe(409);
    expect((await again.json()).message).toBe('VMI is already paused');
    expect((await put('virtualmachineinstances', 'web-01', 'unpause')).status).toBe(200);
    await running('web-01');
    expect((await vmi('web-01')).status.conditions.find((c: { type: string }) => c.type === 'Paused')).toBeUndefined();
  });

  it('given a VM in Manual, when started and stopped, then state change requests drive it', async () => {
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-01', { runStrategy: 'Manual' }) });
    await eventually(async () => (await vm('web-01')).status?.printableStatus === 'Stopped', 5000, 'Stopped');
    expect((await put('virtualmachines', 'web-01', 'start')).status).toBe(202);
    await running('web-01');
    expect((await put('virtualmachines', 'web-01', 'stop')).status).toBe(202);
    await eventually(async () => (await vm('web-01')).status?.printableStatus === 'Stopped' && (await vmi('web-01')) === undefined, 5000, 'stopped again');
    expect((await vm('web-01')).spec.runStrategy).toBe('Manual');
  });

  it('given a VM that fits no node, when created, then ErrorUnschedulable, and it starts once room appears', async () => {
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('big', { guest: '12Gi', extraSpec: {} }) });
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('filler-1', { guest: '10Gi' }) });
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('filler-2', { guest: '10Gi' }) });
    // the fillers take both nodes before or after big: wait until one of the three is unschedulable
    const stuck = await eventually(async () => {
      for (const name of ['big', 'filler-1', 'filler-2']) if ((await vm(name)).status?.printableStatus === 'ErrorUnschedulable') return name;
      return undefined;
    }, 10000, 'an unschedulable VM');
    const pod = (await fixture.core.listNamespacedPod({ namespace: ns, labelSelector: `vm.kubevirt.io/name=${stuck}` })).items[0]!;
    expect(pod.status?.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: expect.stringContaining('Insufficient memory') }));
    const instance = await vmi(stuck);
    expect(instance.status.phase).toBe('Scheduling');
    expect(instance.status.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }));
    const other = ['big', 'filler-1', 'filler-2'].filter((n) => n !== stuck);
    for (const name of other) await fixture.api(`${vmPath}/${name}`, { method: 'DELETE' });
    await running(stuck);
  });

  it('given a VM, when deleted, then the VMI and pod go first and the VM after, with DELETED for the VM last', async () => {
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-01') });
    await running('web-01');
    const deleted = await (await fixture.api(`${vmPath}/web-01`, { method: 'DELETE' })).json();
    expect(deleted.metadata.deletionTimestamp).toBeDefined();
    await eventually(async () => (await fixture.api(`${vmPath}/web-01`)).status === 404, 10000, 'VM gone');
    expect(await vmi('web-01')).toBeUndefined();
    expect((await fixture.core.listNamespacedPod({ namespace: ns })).items).toHaveLength(0);
  });

  it('given a DataVolume template, when the VM is created, then the DV imports to Succeeded before the VMI starts', async () => {
    const manifest = vmManifest('web-01') as { spec: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    manifest.spec.dataVolumeTemplates = [{ metadata: { name: 'web-01-root' }, spec: { source: { registry: { url: 'docker://quay.io/containerdisks/fedora:41' } }, storage: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '20Gi' } } } } }];
    manifest.spec.template.spec.volumes = [{ name: 'root', dataVolume: { name: 'web-01-root' } }];
    await fixture.api(vmPath, { method: 'POST', json: manifest });
    await running('web-01');
    const dv = await (await fixture.api(`/apis/cdi.kubevirt.io/v1beta1/namespaces/${ns}/datavolumes/web-01-root`)).json();
    expect(dv.status.phase).toBe('Succeeded');
    expect(dv.metadata.ownerReferences[0].kind).toBe('VirtualMachine');
  });

  it('given a running VM, when sockets and guest memory grow within the maximums, then the VMI reports the new topology and memory', async () => {
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-01') });
    await running('web-01');
    await fixture.api(`${vmPath}/web-01`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { template: { spec: { domain: { cpu: { sockets: 3 }, memory: { guest: '2Gi' } } } } } }) });
    const instance = await eventually(async () => {
      const now = await vmi('web-01');
      return now.status.currentCPUTopology?.sockets === 3 && now.status.memory?.guestCurrent === '2048Mi' ? now : undefined;
    }, 10000, 'hotplug applied');
    expect(instance.status.conditions.find((c: { type: string }) => c.type === 'HotVCPUChange' || c.type === 'HotMemoryChange')).toBeUndefined();
    await fixture.api(`${vmPath}/web-01`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { template: { spec: { domain: { cpu: { sockets: 9 } } } } } }) });
    await eventually(async () => (await vm('web-01')).status.conditions.find((c: { type: string; status: string; message?: string }) => c.type === 'RestartRequired' && c.status === 'True' && c.message?.includes('higher')), 5000, 'RestartRequired');
  });

  it('given a template change refused with RestartRequired, when the template is changed again, then the answer carries that verdict with status.desiredGeneration behind metadata.generation until virt-controller syncs', async () => {
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-01') });
    await running('web-01');
    const patch = (sockets: number) => fixture.api(`${vmPath}/web-01`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { template: { spec: { domain: { cpu: { sockets } } } } } }) });
    await patch(9);
    await eventually(async () => (await vm('web-01')).status.conditions.find((c: { type: string; status: string }) => c.type === 'RestartRequired' && c.status === 'True'), 5000, 'RestartRequired');
    const answer = await (await patch(1)).json();
    // the write answers before virt-controller's next sync: the status is its verdict on sockets 9
    expect(answer.status.desiredGeneration).toBe(answer.metadata.generation - 1);
    expect(answer.status.conditions).toContainEqual(expect.objectContaining({ type: 'RestartRequired', status: 'True' }));
    await eventually(async () => {
      const now = await vm('web-01');
      return now.status.desiredGeneration === now.metadata.generation ? now : undefined;
    }, 5000, 'desiredGeneration caught up');
  });
});

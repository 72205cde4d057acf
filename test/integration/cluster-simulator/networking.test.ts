import { Watch } from '@kubernetes/client-node';
import { createNamespace, eventually, ns, startFixture, vmManifest, type SimulatorFixture } from './simulator-fixture.js';

const vmPath = `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachines`;
const vmiPath = `/apis/kubevirt.io/v1/namespaces/${ns}/virtualmachineinstances`;
const nadPath = `/apis/k8s.cni.cncf.io/v1/namespaces/${ns}/network-attachment-definitions`;

describe('cluster simulator: NIC hotplug and Kube-OVN addresses', () => {
  let fixture: SimulatorFixture;
  beforeEach(async () => {
    fixture = await startFixture();
    await createNamespace(fixture);
    const config = JSON.stringify({ cniVersion: '0.3.1', type: 'kube-ovn', server_socket: '/run/openvswitch/kube-ovn-daemon.sock', provider: `storage-net.${ns}.ovn` });
    expect((await fixture.api(nadPath, { method: 'POST', json: { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: { name: 'storage-net' }, spec: { config } } })).status).toBe(201);
  });
  afterEach(async () => fixture.simulator.close());

  const vm = async (name: string) => (await fixture.api(`${vmPath}/${name}`)).json();
  const vmi = async (name: string) => (await fixture.api(`${vmiPath}/${name}`)).json();
  const running = (name: string) => eventually(async () => ((await vm(name)).status?.printableStatus === 'Running' ? true : undefined), 10000, `${name} Running`);

  /** Adds NIC dyn1 (Multus storage-net) to the VM's template, guarded by the resourceVersion it read as the adapter must (the VM controller may write in between: re-read, retry). */
  const plugDyn1 = (name: string) =>
    eventually(async () => {
      const current = await vm(name);
      const response = await fixture.api(`${vmPath}/${name}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json-patch+json' }, body: JSON.stringify([
        { op: 'test', path: '/metadata/resourceVersion', value: current.metadata.resourceVersion },
        { op: 'add', path: '/spec/template/spec/domain/devices/interfaces/-', value: { name: 'dyn1', bridge: {} } },
        { op: 'add', path: '/spec/template/spec/networks/-', value: { name: 'dyn1', multus: { networkName: `${ns}/storage-net` } } },
      ]) });
      return response.status === 200;
    }, 5000, 'hotplug patch accepted');
  /** Marks dyn1 absent in the template (KubeVirt's unplug), guarded the same way. */
  const unplugDyn1 = (name: string) =>
    eventually(async () => {
      const withDyn = await vm(name);
      const interfaces = withDyn.spec.template.spec.domain.devices.interfaces.map((i: { name: string }) => (i.name === 'dyn1' ? { ...i, state: 'absent' } : i));
      const response = await fixture.api(`${vmPath}/${name}`, { method: 'PATCH', headers: { 'Content-Type': 'application/merge-patch+json' }, body: JSON.stringify({
        metadata: { resourceVersion: withDyn.metadata.resourceVersion }, spec: { template: { spec: { domain: { devices: { interfaces } } } } },
      }) });
      return response.status === 200;
    }, 5000, 'unplug patch accepted');

  it('given a running VM, when a Multus NIC is added to the template, then it appears in the VMI status with the annotated IP and MAC; state absent removes it from status and both specs', async () => {
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-01', { annotations: {
      [`storage-net.${ns}.ovn.kubernetes.io/ip_address`]: '172.30.0.15', [`storage-net.${ns}.ovn.kubernetes.io/mac_address`]: '02:00:00:1e:00:0f',
    } }) });
    await running('web-01');
    await plugDyn1('web-01');
    const attached = await eventually(async () => (await vmi('web-01')).status.interfaces?.find((i: { name: string }) => i.name === 'dyn1'), 10000, 'dyn1 in VMI status');
    expect(attached).toMatchObject({ ipAddress: '172.30.0.15', mac: '02:00:00:1e:00:0f', podInterfaceName: expect.stringMatching(/^pod[0-9a-f]{11}$/), infoSource: expect.stringContaining('multus-status') });
    const pod = (await fixture.core.listNamespacedPod({ namespace: ns, labelSelector: 'vm.kubevirt.io/name=web-01' })).items[0]!;
    expect(JSON.parse(pod.metadata!.annotations!['k8s.v1.cni.cncf.io/networks']!)).toEqual([{ name: 'storage-net', namespace: ns, interface: attached.podInterfaceName }]);

    await unplugDyn1('web-01');
    await eventually(async () => {
      const now = await vm('web-01');
      const names = now.spec.template.spec.networks.map((n: { name: string }) => n.name);
      return names.length === 1 && !(await vmi('web-01')).status.interfaces.some((i: { name: string }) => i.name === 'dyn1');
    }, 10000, 'dyn1 unplugged and cleared from the VM spec');
  });

  it('given a running VM, when a NIC is hotplugged and later unplugged, then the VMI lists it from multus-status before the domain has it, from domain once plugged, and loses domain before it leaves the list', async () => {
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-01') });
    await running('web-01');
    // every VMI write in order, as an informer sees them: dyn1's infoSource each time it changes
    const sources: string[] = [];
    const request = await new Watch(fixture.kubeConfig).watch(vmiPath, { fieldSelector: 'metadata.name=web-01' }, (_type, object) => {
      const listed = ((object as { status?: { interfaces?: Array<{ name: string; infoSource?: string }> } }).status?.interfaces ?? []).find((i) => i.name === 'dyn1');
      const now = listed ? (listed.infoSource ?? '') : sources.length > 0 ? 'gone' : undefined;
      if (now !== undefined && sources[sources.length - 1] !== now) sources.push(now);
    }, () => undefined);
    try {
      await plugDyn1('web-01');
      await eventually(() => sources.includes('domain, guest-agent, multus-status'), 10000, 'dyn1 in the domain');
      const plugged = (await vmi('web-01')).status.interfaces.find((i: { name: string }) => i.name === 'dyn1');
      expect(plugged).toMatchObject({ interfaceName: 'eth1', linkState: 'up', infoSource: 'domain, guest-agent, multus-status' });

      await unplugDyn1('web-01');
      await eventually(() => sources.includes('gone'), 10000, 'dyn1 gone from the VMI status');
    } finally {
      request.abort();
    }
    expect(sources).toEqual(['multus-status', 'domain, guest-agent, multus-status', 'multus-status', 'gone']);
    const pod = (await fixture.core.listNamespacedPod({ namespace: ns, labelSelector: 'vm.kubevirt.io/name=web-01' })).items[0]!;
    expect(pod.metadata!.annotations!['k8s.v1.cni.cncf.io/networks']).toBeUndefined();
  });

  it('given a fixed IP another VM holds, when a second VM is started with it, then the pod is refused and the VM reports the failure', async () => {
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-01', { annotations: { 'ovn.kubernetes.io/ip_address': '10.16.0.15' } }) });
    await running('web-01');
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-02', { annotations: { 'ovn.kubernetes.io/ip_address': '10.16.0.15' } }) });
    const failure = await eventually(async () => (await vm('web-02')).status?.conditions?.find((c: { type: string }) => c.type === 'Failure'), 10000, 'Failure condition');
    expect(failure).toMatchObject({ status: 'True', reason: 'FailedCreate', message: expect.stringContaining('10.16.0.15 is conflict') });
    expect((await vmi('web-02')).status.phase).toBe('Pending');
    const direct = await fixture.api(`/api/v1/namespaces/${ns}/pods`, { method: 'POST', json: {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'squatter', annotations: { 'ovn.kubernetes.io/ip_address': '10.16.0.15' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] },
    } });
    expect(direct.status).toBe(403);
    expect((await direct.json()).message).toMatch(/^admission webhook "pod-ip-validating.kube-ovn.io" denied the request/);
    // once web-01 is gone its address is released and web-02 starts
    await fixture.api(`${vmPath}/web-01`, { method: 'DELETE' });
    await running('web-02');
    expect((await vmi('web-02')).status.interfaces[0].ipAddress).toBe('10.16.0.15');
  });

  it('given no fixed address, when a VM restarts, then Kube-OVN keeps its IP', async () => {
    await fixture.api(vmPath, { method: 'POST', json: vmManifest('web-01') });
    await running('web-01');
    const first = (await vmi('web-01')).status.interfaces[0];
    expect(first.ipAddress).toMatch(/^10\.16\.\d+\.\d+$/);
    const uid = (await vmi('web-01')).metadata.uid;
    await fixture.api(`/apis/subresources.kubevirt.io/v1/namespaces/${ns}/virtualmachines/web-01/restart`, { method: 'PUT', json: {} });
    const second = await eventually(async () => {
      const now = await vmi('web-01');
      return now.metadata?.uid !== uid && now.status?.phase === 'Running' ? now.status.interfaces[0] : undefined;
    }, 10000, 'restarted');
    expect(second).toMatchObject({ ipAddress: first.ipAddress, mac: first.mac });
  });
});

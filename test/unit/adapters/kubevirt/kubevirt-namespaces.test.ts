import type { VmSpec } from '../../../../src/adapters/kubernetes/cluster.port.js';
import { useRecordingCluster } from '../../../support/kube/recording-cluster.js';

const spec = (overrides: Partial<VmSpec> = {}): VmSpec => ({
  ref: { namespace: 'vp-a', name: 'web-01' },
  vmId: 'id-1',
  projectId: 'a',
  cpu: { sockets: 1, maxSockets: 2 },
  memory: { guestMiB: 1024, maxGuestMiB: 2048 },
  image: 'docker://quay.io/containerdisks/fedora:41',
  userData: null,
  runStrategy: 'Halted',
  labels: {},
  ...overrides,
});

describe('KubevirtCluster: the namespace mapping', () => {
  const k = useRecordingCluster({ namespaceTemplate: 'prod-{namespace}' });

  it('given a template, when a VM is ensured and listed, then it lives in the mapped namespace and is reported under the port namespace; others are not ours', async () => {
    const { server, cluster } = k;
    const observed = await cluster.ensureVm(spec())
    expect(observed.ref).toEqual({ namespace: 'vp-a', name: 'web-01' });
    expect(server.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/api/v1/namespaces', '/apis/kubevirt.io/v1/namespaces/prod-vp-a/virtualmachines']);
    server.put('/apis/kubevirt.io/v1/namespaces/kube-system/virtualmachines/theirs', { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'theirs', namespace: 'kube-system' } });
    expect((await cluster.listVms()).map((vm) => vm.ref)).toEqual([{ namespace: 'vp-a', name: 'web-01' }]);
    expect((await cluster.getVm({ namespace: 'vp-a', name: 'web-01' }))?.vmId).toBe('id-1');
    // libvirt in the launcher pod names the domain after the cluster's namespace, not the port's
    expect(cluster.domainName({ namespace: 'vp-a', name: 'web-01' })).toBe('prod-vp-a_web-01');
  });

  it('given a template, when a network attachment is ensured and a VM boots with a NIC on it, then the NIC names the NAD and its Kube-OVN provider in the mapped namespace', async () => {
    const { server, cluster } = k;
    const network = { namespace: 'vp-a', name: 'net-1' };
    await cluster.ensureNetworkAttachment({ ref: network, networkId: '1', subnets: [{ cidr: '10.9.0.0/24', gatewayIp: '10.9.0.1', excludeIps: [] }] });
    await cluster.ensureVm(spec({ nics: [{ name: 'p1', network, macAddress: 'fa:16:3e:00:00:01', ipAddress: '10.9.0.5' }] }))
    const nad = server.get('/apis/k8s.cni.cncf.io/v1/namespaces/prod-vp-a/network-attachment-definitions/net-1')!;
    expect(JSON.parse((nad.spec as { config: string }).config).provider).toBe('net-1.prod-vp-a.ovn');
    const vm = server.get('/apis/kubevirt.io/v1/namespaces/prod-vp-a/virtualmachines/web-01')!;
    const template = (vm.spec as { template: { metadata: { annotations: Record<string, string> }; spec: { networks: unknown[] } } }).template;
    expect(template.spec.networks).toContainEqual({ name: 'p1', multus: { networkName: 'prod-vp-a/net-1' } });
    expect(template.metadata.annotations).toMatchObject({
      'net-1.prod-vp-a.ovn.kubernetes.io/ip_address': '10.9.0.5',
      'net-1.prod-vp-a.ovn.kubernetes.io/mac_address': 'fa:16:3e:00:00:01',
    });
  });
});

import type { NetworkAttachmentSpec } from '../../../../src/adapters/kubernetes/cluster.port.js';
import { expectGolden } from '../../../support/kube/golden.js';
import { useRecordingCluster } from '../../../support/kube/recording-cluster.js';
import { seedRunningVm } from '../../../support/kube/kubevirt-fixtures.js';

const NAMESPACE = 'vp-tenant-a';
const NETWORK = '0195f3a2-0000-7000-8000-00000000aa01';
const ref = { namespace: NAMESPACE, name: `net-${NETWORK}` };
const v4 = { cidr: '10.20.0.0/24', gatewayIp: '10.20.0.1', excludeIps: ['10.20.0.1', '10.20.0.2..10.20.0.9'] };
const v6 = { cidr: 'fd00:20::/64', gatewayIp: 'fd00:20::1', excludeIps: ['fd00:20::1'] };
const spec = (subnets: NetworkAttachmentSpec['subnets']): NetworkAttachmentSpec => ({ ref, networkId: NETWORK, subnets });

describe('KubevirtCluster network attachments: the exact requests (golden fixtures, reviewed against kubevirt-api.md §1)', () => {
  const k = useRecordingCluster();

  it('given a network without subnets, when ensured, then only its kube-ovn NAD is made; a second ensure changes nothing', async () => {
    await k.cluster.ensureNetworkAttachment(spec([]));
    await k.cluster.ensureNetworkAttachment(spec([]));
    expectGolden('network-attachment-create', k.server.requests);
    expect(k.server.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/v1/namespaces',
      `POST /apis/k8s.cni.cncf.io/v1/namespaces/${NAMESPACE}/network-attachment-definitions`,
    ]);
  });

  it('given an IPv4 subnet then an IPv6 one, when ensured each time, then the Kube-OVN Subnet is made then widened to dual stack with the provider of the NAD', async () => {
    await k.cluster.ensureNetworkAttachment(spec([v4]));
    await k.cluster.ensureNetworkAttachment(spec([v6, v4]));
    expectGolden('network-attachment-subnets', k.server.requests.filter((r) => r.method !== 'GET'));
    const subnet = k.server.get(`/apis/kubeovn.io/v1/subnets/${ref.name}`)!;
    expect(subnet.spec).toEqual({
      protocol: 'Dual',
      provider: `${ref.name}.${NAMESPACE}.ovn`,
      cidrBlock: '10.20.0.0/24,fd00:20::/64',
      gateway: '10.20.0.1,fd00:20::1',
      excludeIps: ['10.20.0.1', '10.20.0.2..10.20.0.9', 'fd00:20::1'],
    });
    const nad = k.server.get(`/apis/k8s.cni.cncf.io/v1/namespaces/${NAMESPACE}/network-attachment-definitions/${ref.name}`)!;
    expect(JSON.parse((nad.spec as { config: string }).config)).toMatchObject({ type: 'kube-ovn', provider: `${ref.name}.${NAMESPACE}.ovn` });
  });

  it('given a network with both, when deleted (twice), then the NAD and the Kube-OVN Subnet go and the second delete does nothing', async () => {
    await k.cluster.ensureNetworkAttachment(spec([v4]));
    k.server.requests.length = 0;
    await k.cluster.deleteNetworkAttachment(ref);
    await k.cluster.deleteNetworkAttachment(ref);
    expectGolden('network-attachment-delete', k.server.requests);
    expect(k.server.get(`/apis/kubeovn.io/v1/subnets/${ref.name}`)).toBeUndefined();
  });

  it('given a NAD of that name labelled for another network, when ensured, then AlreadyExists and nothing is replaced', async () => {
    await k.cluster.ensureNetworkAttachment({ ...spec([]), networkId: 'another' });
    await expect(k.cluster.ensureNetworkAttachment(spec([]))).rejects.toMatchObject({ code: 'AlreadyExists' });
  });

  it('given a running VM, when a NIC with a fixed dual-stack address is hot-plugged, then the live launcher pod and the VM template carry the Kube-OVN annotations before the NIC is added', async () => {
    await k.cluster.ensureVm({
      ref: { namespace: NAMESPACE, name: 'web-01' },
      vmId: '6f1c2a3e-0000-4000-8000-000000000001',
      projectId: 'tenant-a',
      cpu: { sockets: 2, maxSockets: 8 },
      memory: { guestMiB: 2048, maxGuestMiB: 8192 },
      image: 'docker://quay.io/containerdisks/fedora:41',
      userData: null,
      runStrategy: 'Always',
      labels: {},
    });
    seedRunningVm(k.server, NAMESPACE, 'web-01');
    k.server.requests.length = 0;
    const provider = `${ref.name}.${NAMESPACE}.ovn`;
    const nic = { name: 'pport1', network: ref, macAddress: 'fa:16:3e:00:00:01', ipAddress: '10.20.0.50,fd00:20::50' };
    await k.cluster.attachNic({ namespace: NAMESPACE, name: 'web-01' }, nic);
    expectGolden('nic-attach-fixed-ip', k.server.requests.filter((r) => r.method === 'PATCH'));
    const pod = k.server.get(`/api/v1/namespaces/${NAMESPACE}/pods/virt-launcher-web-01-abcde`)!;
    expect(pod.metadata.annotations).toEqual({ [`${provider}.kubernetes.io/ip_address`]: '10.20.0.50,fd00:20::50', [`${provider}.kubernetes.io/mac_address`]: 'fa:16:3e:00:00:01' });
    const vm = k.server.get(`/apis/kubevirt.io/v1/namespaces/${NAMESPACE}/virtualmachines/web-01`)!;
    const template = (vm.spec as { template: { metadata: { annotations: Record<string, string> }; spec: { networks: unknown[] } } }).template;
    expect(template.metadata.annotations).toMatchObject({ [`${provider}.kubernetes.io/ip_address`]: '10.20.0.50,fd00:20::50' });
    expect(template.spec.networks).toContainEqual({ name: 'pport1', multus: { networkName: `${NAMESPACE}/${ref.name}` } });
  });
});

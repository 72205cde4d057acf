import type { VmSpec } from '../../../../src/adapters/kubernetes/cluster.port.js';
import { expectGolden } from '../../../support/kube/golden.js';
import { seedRunningVm } from '../../../support/kube/kubevirt-fixtures.js';
import { useRecordingCluster } from '../../../support/kube/recording-cluster.js';

const NAMESPACE = 'vp-tenant-a';

const spec = (overrides: Partial<VmSpec> = {}): VmSpec => ({
  ref: { namespace: NAMESPACE, name: 'web-01' },
  vmId: '6f1c2a3e-0000-4000-8000-000000000001',
  projectId: 'tenant-a',
  cpu: { sockets: 2, maxSockets: 8 },
  memory: { guestMiB: 2048, maxGuestMiB: 8192 },
  image: 'docker://quay.io/containerdisks/fedora:41',
  userData: '#cloud-config\nhostname: web-01\n',
  runStrategy: 'Always',
  labels: { 'virtplane.io/flavor': 'm1.small' },
  podNetwork: { logicalSwitch: 'tenant-a-subnet', ipAddress: '10.20.0.15', macAddress: '02:00:00:0a:14:0f' },
  nics: [{ name: 'storage', network: { namespace: 'vp-tenant-a', name: 'storage-net' }, macAddress: '02:00:00:1e:00:0f', ipAddress: '172.30.0.15' }],
  ...overrides,
});

describe('KubevirtCluster: the exact requests (golden fixtures, reviewed against kubevirt-api.md)', () => {
  const k = useRecordingCluster();

  it('given no namespace, when a VM is ensured, then namespace, user-data Secret and VirtualMachine are created in that order', async () => {
    await k.cluster.ensureVm(spec());
    expectGolden('create-vm', k.server.requests);
  });

  it('given an oci-archive image with a root disk size, when ensured, then the root disk is a DataVolume template with a registry source', async () => {
    await k.cluster.ensureVm(spec({ image: 'oci-archive:///images/debian.tar', rootDiskGiB: 20, userData: null, nics: [], podNetwork: undefined }));
    expectGolden('create-vm-datavolume', k.server.requests.filter((r) => r.method === 'POST'));
  });

  it('given a running VM, when its launcher pod is resized, then a strategic merge patch goes to pods/{name}/resize with the resourceVersion', async () => {
    seedRunningVm(k.server, NAMESPACE, 'web-01');
    const result = await k.cluster.resizeLauncherPod({ namespace: NAMESPACE, name: 'web-01' }, { vcpus: 4, memoryMiB: 4608 });
    expect(result).toMatchObject({ pod: 'virt-launcher-web-01-abcde', desired: { vcpus: 4, memoryMiB: 4608 }, applied: { vcpus: 2, memoryMiB: 2560 } });
    expectGolden('hot-resize', k.server.requests);
  });

  it('given a VM, when a NIC is attached then detached, then merge patches carry the full lists and the resourceVersion', async () => {
    await k.cluster.ensureVm(spec({ nics: [] }));
    k.server.requests.length = 0;
    await k.cluster.attachNic({ namespace: NAMESPACE, name: 'web-01' }, { name: 'dyn1', network: { namespace: 'vp-tenant-a', name: 'storage-net' }, macAddress: '02:00:00:1e:00:10' });
    await k.cluster.attachNic({ namespace: NAMESPACE, name: 'web-01' }, { name: 'dyn1', network: { namespace: 'vp-tenant-a', name: 'storage-net' }, macAddress: '02:00:00:1e:00:10' });
    await k.cluster.detachNic({ namespace: NAMESPACE, name: 'web-01' }, 'dyn1');
    await k.cluster.detachNic({ namespace: NAMESPACE, name: 'web-01' }, 'dyn1');
    expectGolden('nic-attach-detach', k.server.requests);
  });

  it('given a running VM, when live-migrated, then a VirtualMachineInstanceMigration is created for its VMI', async () => {
    seedRunningVm(k.server, NAMESPACE, 'web-01');
    const migration = await k.cluster.startMigration({ namespace: NAMESPACE, name: 'web-01' }, { name: 'web-01-mig-1' });
    expect(migration).toMatchObject({ ref: { namespace: NAMESPACE, name: 'web-01-mig-1' }, vmiName: 'web-01', phase: 'Pending' });
    await k.cluster.abortMigration({ namespace: NAMESPACE, name: 'web-01-mig-1' });
    expectGolden('live-migrate', k.server.requests);
  });

  it('given a VM, when its template size is set twice, then one guarded merge patch writes sockets, memory and the CPU request', async () => {
    await k.cluster.ensureVm(spec({ nics: [] }));
    k.server.requests.length = 0;
    const size = { vcpus: 4, maxVcpus: 8, memoryMiB: 4096, maxMemoryMiB: 8192 };
    await k.cluster.setVmSize({ namespace: NAMESPACE, name: 'web-01' }, size);
    await k.cluster.setVmSize({ namespace: NAMESPACE, name: 'web-01' }, size);
    expectGolden('vm-size', k.server.requests);
  });

  it('given a target node, when live-migrated, then the migration narrows placement with addedNodeSelector', async () => {
    seedRunningVm(k.server, NAMESPACE, 'web-01');
    await k.cluster.startMigration({ namespace: NAMESPACE, name: 'web-01' }, { name: 'web-01-mig-2', targetNode: 'node-b' });
    expectGolden('live-migrate-to-node', k.server.requests.filter((r) => r.method === 'POST'));
  });

  it('given a VM, when started, stopped, paused and restarted, then the KubeVirt actions are PUTs on the subresources group', async () => {
    await k.cluster.ensureVm(spec({ runStrategy: 'Halted', nics: [] }));
    seedRunningVm(k.server, NAMESPACE, 'web-01');
    k.server.requests.length = 0;
    await k.cluster.startVm({ namespace: NAMESPACE, name: 'web-01' });
    k.server.put(`/apis/kubevirt.io/v1/namespaces/${NAMESPACE}/virtualmachines/web-01`, { ...k.server.get(`/apis/kubevirt.io/v1/namespaces/${NAMESPACE}/virtualmachines/web-01`)!, spec: { runStrategy: 'Always' } });
    await k.cluster.pauseVm({ namespace: NAMESPACE, name: 'web-01' });
    await k.cluster.restartVm({ namespace: NAMESPACE, name: 'web-01' }, { vmiUid: 'vmi-uid-web-01' });
    await k.cluster.stopVm({ namespace: NAMESPACE, name: 'web-01' });
    const actions = k.server.requests.filter((r) => r.path.startsWith('/apis/subresources.kubevirt.io/'));
    expectGolden('actions', actions);
  });
});

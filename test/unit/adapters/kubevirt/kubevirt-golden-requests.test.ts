import type { VmSpec } from '../../../../src/adapters/kubernetes/cluster.port.js';
import { KubevirtCluster } from '../../../../src/adapters/kubernetes/kubevirt/kubevirt-cluster.js';
import { loadKubeConfig } from '../../../../src/adapters/kubernetes/kubevirt/kube-config.js';
import { expectGolden } from '../../../support/kube/golden.js';
import { seedRunningVm } from '../../../support/kube/kubevirt-fixtures.js';
import { RecordingKubeServer } from '../../../support/kube/recording-kube-server.js';

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
  let server: RecordingKubeServer;
  let cluster: KubevirtCluster;

  beforeEach(async () => {
    server = new RecordingKubeServer();
    await server.start();
    cluster = new KubevirtCluster(loadKubeConfig({ kind: 'text', yaml: server.kubeconfig() }));
  });
  afterEach(() => server.stop());

  it('given no namespace, when a VM is ensured, then namespace, user-data Secret and VirtualMachine are created in that order', async () => {
    await cluster.ensureVm(spec());
    expectGolden('create-vm', server.requests);
  });

  it('given an oci-archive image with a root disk size, when ensured, then the root disk is a DataVolume template with a registry source', async () => {
    await cluster.ensureVm(spec({ image: 'oci-archive:///images/debian.tar', rootDiskGiB: 20, userData: null, nics: [], podNetwork: undefined }));
    expectGolden('create-vm-datavolume', server.requests.filter((r) => r.method === 'POST'));
  });

  it('given a running VM, when its launcher pod is resized, then a strategic merge patch goes to pods/{name}/resize with the resourceVersion', async () => {
    seedRunningVm(server, NAMESPACE, 'web-01');
    const result = await cluster.resizeLauncherPod({ namespace: NAMESPACE, name: 'web-01' }, { vcpus: 4, memoryMiB: 4608 });
    expect(result).toMatchObject({ pod: 'virt-launcher-web-01-abcde', desired: { vcpus: 4, memoryMiB: 4608 }, applied: { vcpus: 2, memoryMiB: 2560 } });
    expectGolden('hot-resize', server.requests);
  });

  it('given a VM, when a NIC is attached then detached, then merge patches carry the full lists and the resourceVersion', async () => {
    await cluster.ensureVm(spec({ nics: [] }));
    server.requests.length = 0;
    await cluster.attachNic({ namespace: NAMESPACE, name: 'web-01' }, { name: 'dyn1', network: { namespace: 'vp-tenant-a', name: 'storage-net' }, macAddress: '02:00:00:1e:00:10' });
    await cluster.attachNic({ namespace: NAMESPACE, name: 'web-01' }, { name: 'dyn1', network: { namespace: 'vp-tenant-a', name: 'storage-net' }, macAddress: '02:00:00:1e:00:10' });
    await cluster.detachNic({ namespace: NAMESPACE, name: 'web-01' }, 'dyn1');
    await cluster.detachNic({ namespace: NAMESPACE, name: 'web-01' }, 'dyn1');
    expectGolden('nic-attach-detach', server.requests);
  });

  it('given a running VM, when live-migrated, then a VirtualMachineInstanceMigration is created for its VMI', async () => {
    seedRunningVm(server, NAMESPACE, 'web-01');
    const migration = await cluster.startMigration({ namespace: NAMESPACE, name: 'web-01' }, { name: 'web-01-mig-1' });
    expect(migration).toMatchObject({ ref: { namespace: NAMESPACE, name: 'web-01-mig-1' }, vmiName: 'web-01', phase: 'Pending' });
    await cluster.abortMigration({ namespace: NAMESPACE, name: 'web-01-mig-1' });
    expectGolden('live-migrate', server.requests);
  });

  it('given a VM, when its template size is set twice, then one guarded merge patch writes sockets, memory and the CPU request', async () => {
    await cluster.ensureVm(spec({ nics: [] }));
    server.requests.length = 0;
    const size = { vcpus: 4, maxVcpus: 8, memoryMiB: 4096, maxMemoryMiB: 8192 };
    await cluster.setVmSize({ namespace: NAMESPACE, name: 'web-01' }, size);
    await cluster.setVmSize({ namespace: NAMESPACE, name: 'web-01' }, size);
    expectGolden('vm-size', server.requests);
  });

  it('given a target node, when live-migrated, then the migration narrows placement with addedNodeSelector', async () => {
    seedRunningVm(server, NAMESPACE, 'web-01');
    await cluster.startMigration({ namespace: NAMESPACE, name: 'web-01' }, { name: 'web-01-mig-2', targetNode: 'node-b' });
    expectGolden('live-migrate-to-node', server.requests.filter((r) => r.method === 'POST'));
  });

  it('given a VM, when started, stopped, paused and restarted, then the KubeVirt actions are PUTs on the subresources group', async () => {
    await cluster.ensureVm(spec({ runStrategy: 'Halted', nics: [] }));
    seedRunningVm(server, NAMESPACE, 'web-01');
    server.requests.length = 0;
    await cluster.startVm({ namespace: NAMESPACE, name: 'web-01' });
    server.put(`/apis/kubevirt.io/v1/namespaces/${NAMESPACE}/virtualmachines/web-01`, { ...server.get(`/apis/kubevirt.io/v1/namespaces/${NAMESPACE}/virtualmachines/web-01`)!, spec: { runStrategy: 'Always' } });
    await cluster.pauseVm({ namespace: NAMESPACE, name: 'web-01' });
    await cluster.restartVm({ namespace: NAMESPACE, name: 'web-01' }, { vmiUid: 'vmi-uid-web-01' });
    await cluster.stopVm({ namespace: NAMESPACE, name: 'web-01' });
    const actions = server.requests.filter((r) => r.path.startsWith('/apis/subresources.kubevirt.io/'));
    expectGolden('actions', actions);
  });
});

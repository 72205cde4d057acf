import { startClusterSimulator, type ClusterSimulator } from '../../../src/cluster-simulator/cluster-simulator.js';
import type { VmRef, VmSpec } from '../../../src/adapters/kubernetes/cluster.port.js';
import { loadKubeConfig } from '../../../src/adapters/kubernetes/kubevirt/kube-config.js';
import { rawRequest } from '../../../src/adapters/kubernetes/kubevirt/kube-raw-request.js';
import { KubevirtCluster } from '../../../src/adapters/kubernetes/kubevirt/kubevirt-cluster.js';
import { namespaceManifest } from '../../../src/adapters/kubernetes/kubevirt/kubevirt-manifests.js';
import { eventually } from '../../support/eventually.js';

const NAMESPACE = 'tenant-s';
const REF: VmRef = { namespace: NAMESPACE, name: 'web-01' };
const WAIT_MS = 15_000;

const spec: VmSpec = {
  ref: REF,
  vmId: 'vm-id-schema',
  projectId: 'tenant-s',
  cpu: { sockets: 2, maxSockets: 8 },
  memory: { guestMiB: 2048, maxGuestMiB: 8192 },
  image: 'docker://quay.io/containerdisks/fedora:41',
  userData: '#cloud-config\nhostname: web-01\n',
  runStrategy: 'Always',
  labels: { app: 'schema' },
  podNetwork: { ipAddress: '10.16.0.50', macAddress: '02:00:00:10:00:32' },
  nics: [{ name: 'storage', network: { namespace: NAMESPACE, name: 'storage-net' }, ipAddress: '172.30.0.15' }],
};

/**
 * Every object the adapter writes in a VM's life (namespace, Secret, VirtualMachine with a fixed
 * IP and a Multus NIC, pod resize, NIC hotplug and unplug edits, a migration) passes the
 * simulator's schema validation, which answers 422 as KubeVirt's webhook would: a 422 would
 * surface as a PermanentAdapterError 'Invalid' and fail the step here.
 */
describe('KubevirtCluster against the cluster simulator: a whole VM life, schema-valid', () => {
  let simulator: ClusterSimulator;
  let cluster: KubevirtCluster;

  beforeAll(async () => {
    simulator = await startClusterSimulator({
      nodes: [
        { name: 'node-a', cpu: 16, memoryMiB: 32768 },
        { name: 'node-b', cpu: 16, memoryMiB: 32768 },
      ],
      stepMs: 5,
    });
    const config = loadKubeConfig({ kind: 'text', yaml: simulator.kubeconfig() });
    cluster = new KubevirtCluster(config);
    // The tenant's secondary network, as the fabric adapter would have created it.
    await cluster.api.createNamespace(namespaceManifest(NAMESPACE));
    const nadConfig = { cniVersion: '0.3.1', type: 'kube-ovn', server_socket: '/run/openvswitch/kube-ovn-daemon.sock', provider: `storage-net.${NAMESPACE}.ovn` };
    await rawRequest(config, 'POST', `/apis/k8s.cni.cncf.io/v1/namespaces/${NAMESPACE}/network-attachment-definitions`, {
      apiVersion: 'k8s.cni.cncf.io/v1',
      kind: 'NetworkAttachmentDefinition',
      metadata: { name: 'storage-net', namespace: NAMESPACE },
      spec: { config: JSON.stringify(nadConfig) },
    }, 5000);
  });
  afterAll(() => simulator.close());

  it('given a VM with a fixed IP and a Multus NIC, when created, resized, given a NIC, stripped of it and migrated, then every write is accepted and lands', async () => {
    await cluster.ensureVm(spec);
    const vmi = await eventually(async () => {
      const current = await cluster.getVmi(REF);
      expect(current?.phase).toBe('Running');
      return current!;
    }, WAIT_MS);
    expect(vmi.interfaces).toContainEqual(expect.objectContaining({ name: 'default', ipAddress: '10.16.0.50' }));
    expect(vmi.interfaces).toContainEqual(expect.objectContaining({ name: 'storage', ipAddress: '172.30.0.15' }));

    // Hot resize: the launcher pod's compute container, then the kubelet applies it.
    await cluster.resizeLauncherPod(REF, { vcpus: 4, memoryMiB: 4096 });
    await eventually(async () => expect(await cluster.getPodResize(REF)).toMatchObject({ state: 'Done', applied: { vcpus: 4, memoryMiB: 4096 } }), WAIT_MS);

    // The template follows, for the next boot.
    await cluster.setVmSize(REF, { vcpus: 4, maxVcpus: 8, memoryMiB: 4096, maxMemoryMiB: 8192 });
    const sized = (await cluster.getVm(REF))!;
    expect(sized.printableStatus).toBe('Running');
    expect(sized.conditions).not.toContainEqual(expect.objectContaining({ type: 'RestartRequired', status: 'True' }));

    // NIC hotplug and unplug through the VM template.
    await cluster.attachNic(REF, { name: 'dyn1', network: { namespace: NAMESPACE, name: 'storage-net' }, macAddress: '02:00:00:1e:00:10' });
    await eventually(async () => expect((await cluster.getVmi(REF))?.interfaces.map((i) => i.name)).toContain('dyn1'), WAIT_MS);
    await cluster.detachNic(REF, 'dyn1');
    await eventually(async () => expect((await cluster.getVmi(REF))?.interfaces.map((i) => i.name)).not.toContain('dyn1'), WAIT_MS);

    // Live migration keeps the IP and moves the VM.
    const before = (await cluster.getVmi(REF))!.node;
    const target = before === 'node-a' ? 'node-b' : 'node-a';
    await cluster.startMigration(REF, { name: 'web-01-mig-1', targetNode: target });
    const done = await eventually(async () => {
      const migration = await cluster.getMigration({ namespace: NAMESPACE, name: 'web-01-mig-1' });
      expect(migration?.phase).toBe('Succeeded');
      return migration!;
    }, WAIT_MS);
    expect(done.migrationState).toMatchObject({ completed: true, failed: false, targetNode: target });
    const after = (await cluster.getVmi(REF))!;
    expect(after.node).toBe(target);
    expect(after.interfaces).toContainEqual(expect.objectContaining({ name: 'default', ipAddress: '10.16.0.50' }));

    const writes = simulator.control.requests().filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method));
    expect(writes.map((r) => `${r.method} ${r.path.split('?')[0]!.replace(/\/[^/]*-[a-z0-9]{5}\//, '/<pod>/')}`)).toEqual(
      expect.arrayContaining([
        `POST /apis/kubevirt.io/v1/namespaces/${NAMESPACE}/virtualmachines`,
        `POST /api/v1/namespaces/${NAMESPACE}/secrets`,
        `PATCH /apis/kubevirt.io/v1/namespaces/${NAMESPACE}/virtualmachines/web-01`,
        `POST /apis/kubevirt.io/v1/namespaces/${NAMESPACE}/virtualmachineinstancemigrations`,
      ]),
    );
    expect(writes.some((r) => r.path.includes('/resize'))).toBe(true);
  });
});

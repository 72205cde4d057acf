import type { VmChange, VmSpec } from '../../../../src/adapters/kubernetes/cluster.port.js';
import { KubevirtCluster } from '../../../../src/adapters/kubernetes/kubevirt/kubevirt-cluster.js';
import { loadKubeConfig } from '../../../../src/adapters/kubernetes/kubevirt/kube-config.js';
import { eventually } from '../../../support/eventually.js';
import { RecordingKubeServer } from '../../../support/kube/recording-kube-server.js';

const NAMESPACE = 'tenant-a';
const vmPath = (name: string) => `/apis/kubevirt.io/v1/namespaces/${NAMESPACE}/virtualmachines/${name}`;
const vmiPath = (name: string) => `/apis/kubevirt.io/v1/namespaces/${NAMESPACE}/virtualmachineinstances/${name}`;

const spec = (name: string): VmSpec => ({
  ref: { namespace: NAMESPACE, name },
  vmId: `id-${name}`,
  projectId: 'tenant-a',
  cpu: { sockets: 1, maxSockets: 4 },
  memory: { guestMiB: 1024, maxGuestMiB: 4096 },
  image: 'docker://quay.io/containerdisks/fedora:41',
  userData: null,
  runStrategy: 'Always',
  labels: {},
});

/** What virt-controller would write: the VM's status and its VMI in a phase. */
function controllerRuns(server: RecordingKubeServer, name: string, phase: string, printableStatus: string): void {
  const vm = server.get(vmPath(name))!;
  server.put(vmPath(name), { ...vm, status: { printableStatus } });
  server.put(vmiPath(name), { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', metadata: { name, namespace: NAMESPACE }, status: { phase, nodeName: 'node-a' } });
}

describe('KubevirtCluster.watchVms: an informer that resumes and relists', () => {
  let server: RecordingKubeServer;
  let cluster: KubevirtCluster;
  let changes: VmChange[];
  let watch: { stop(): void };

  beforeEach(async () => {
    server = new RecordingKubeServer();
    await server.start();
    cluster = new KubevirtCluster(loadKubeConfig({ kind: 'text', yaml: server.kubeconfig() }), { watch: { retryDelayMs: 20 } });
    changes = [];
  });
  afterEach(async () => {
    watch?.stop();
    await server.stop();
  });

  const start = () => {
    watch = cluster.watchVms((change) => changes.push(change));
  };
  const watchRequests = (plural: string) => server.requests.filter((r) => r.query.watch === 'true' && r.path.endsWith(`/${plural}`));

  it('given existing VMs, when a watch starts, then each is ADDED first, and watches ask from the list version with bookmarks', async () => {
    await cluster.ensureVm(spec('a'));
    await cluster.ensureVm(spec('b'));
    start();
    await eventually(() => expect(changes.map((c) => `${c.type} ${c.vm.ref.name}`)).toEqual(['ADDED a', 'ADDED b']));
    await eventually(() => expect(watchRequests('virtualmachineinstances')).toHaveLength(1));
    expect(watchRequests('virtualmachines')[0]!.query).toMatchObject({ resourceVersion: server.resourceVersion, allowWatchBookmarks: 'true' });
  });

  it('given a watch, when the VMI progresses and the VM is deleted, then MODIFIED changes carry the VMI and DELETED ends it', async () => {
    start();
    await eventually(() => expect(watchRequests('virtualmachineinstances')).toHaveLength(1));
    await cluster.ensureVm(spec('a'));
    controllerRuns(server, 'a', 'Running', 'Running');
    await eventually(() => expect(changes.some((c) => c.type === 'MODIFIED' && c.vm.vmiPhase === 'Running' && c.vm.printableStatus === 'Running')).toBe(true));
    server.remove(vmiPath('a'));
    server.remove(vmPath('a'));
    await eventually(() => expect(changes.at(-1)?.type).toBe('DELETED'));
    expect(changes[0]).toMatchObject({ type: 'ADDED', vm: { vmId: 'id-a' } });
  });

  it('given a dropped watch, when it reconnects, then it resumes from the last resourceVersion seen and misses nothing', async () => {
    await cluster.ensureVm(spec('a'));
    start();
    await eventually(() => expect(watchRequests('virtualmachines')).toHaveLength(1));
    controllerRuns(server, 'a', 'Scheduling', 'Starting');
    await eventually(() => expect(changes.some((c) => c.vm.vmiPhase === 'Scheduling')).toBe(true));
    const seen = server.resourceVersion;
    server.dropWatches();
    controllerRuns(server, 'a', 'Running', 'Running');
    await eventually(() => expect(changes.some((c) => c.vm.vmiPhase === 'Running')).toBe(true));
    const resumed = watchRequests('virtualmachineinstances').slice(1);
    expect(resumed.length).toBeGreaterThan(0);
    expect(Number(resumed[0]!.query.resourceVersion)).toBeLessThanOrEqual(Number(seen));
    expect(Number(resumed[0]!.query.resourceVersion)).toBeGreaterThan(Number(watchRequests('virtualmachineinstances')[0]!.query.resourceVersion));
    const lists = server.requests.filter((r) => r.method === 'GET' && r.query.watch === undefined && r.path === '/apis/kubevirt.io/v1/virtualmachines');
    expect(lists).toHaveLength(1);
  });

  it('given history compacted while the watch was down, when it reconnects and gets 410, then it relists and reports what it missed', async () => {
    await cluster.ensureVm(spec('a'));
    start();
    await eventually(() => expect(watchRequests('virtualmachines')).toHaveLength(1));
    await server.stop();
    const port = server.port;
    // While nobody watched: a new VM and a deleted one, then the history is gone.
    server.put(vmPath('b'), { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'b', namespace: NAMESPACE, labels: { 'virtplane.io/vm-id': 'id-b' } }, spec: { runStrategy: 'Halted' } });
    server.remove(vmPath('a'));
    server.compact();
    await server.start(port);
    await eventually(() => expect(changes.map((c) => `${c.type} ${c.vm.ref.name}`)).toEqual(expect.arrayContaining(['ADDED a', 'ADDED b', 'DELETED a'])), 10_000);
    const lists = server.requests.filter((r) => r.method === 'GET' && r.query.watch === undefined && r.path === '/apis/kubevirt.io/v1/virtualmachines');
    expect(lists.length).toBeGreaterThanOrEqual(2);
  });

  it('given a change the watch never delivered, when the periodic resync relists, then it is reported once as MODIFIED', async () => {
    cluster = new KubevirtCluster(loadKubeConfig({ kind: 'text', yaml: server.kubeconfig() }), { watch: { retryDelayMs: 20, resyncMs: 50 } });
    await cluster.ensureVm(spec('a'));
    start();
    await eventually(() => expect(changes).toHaveLength(1));
    const vm = server.get(vmPath('a'))!;
    server.putUnseen(vmPath('a'), { ...vm, status: { printableStatus: 'Stopped' } });
    await eventually(() => expect(changes.filter((c) => c.type === 'MODIFIED' && c.vm.printableStatus === 'Stopped')).toHaveLength(1));
    const lists = () => server.requests.filter((r) => r.query.watch === undefined && r.path === '/apis/kubevirt.io/v1/virtualmachines').length;
    const listed = lists();
    await eventually(() => expect(lists()).toBeGreaterThan(listed + 1));
    expect(changes.filter((c) => c.type === 'MODIFIED')).toHaveLength(1);
    expect(changes.filter((c) => c.type === 'ADDED')).toHaveLength(1);
  });

  it('given a stopped watch, when VMs change, then nothing more is reported', async () => {
    start();
    watch.stop();
    await cluster.ensureVm(spec('a'));
    controllerRuns(server, 'a', 'Running', 'Running');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(changes).toEqual([]);
  });
});

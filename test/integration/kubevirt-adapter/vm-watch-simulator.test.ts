import type { VmChange, VmSpec } from '../../../src/adapters/kubernetes/cluster.port.js';
import { loadKubeConfig } from '../../../src/adapters/kubernetes/kubevirt/kube-config.js';
import { KubevirtCluster } from '../../../src/adapters/kubernetes/kubevirt/kubevirt-cluster.js';
import { startClusterSimulator, type ClusterSimulator } from '../../../src/cluster-simulator/cluster-simulator.js';
import { eventually } from '../../support/eventually.js';

const NAMESPACE = 'tenant-w';
const spec = (name: string, runStrategy: VmSpec['runStrategy'] = 'Halted'): VmSpec => ({
  ref: { namespace: NAMESPACE, name }, vmId: `id-${name}`, projectId: 'w', cpu: { sockets: 1, maxSockets: 2 }, memory: { guestMiB: 512, maxGuestMiB: 1024 },
  image: 'docker://quay.io/containerdisks/fedora:41', userData: null, runStrategy, labels: {},
});

/**
 * The adapter's VM watch against the cluster simulator's watch cache: a dropped stream resumes from
 * the last resourceVersion, and one whose resourceVersion fell out of the history gets 410 Gone,
 * relists and reports what it missed.
 */
describe('the KubeVirt adapter\'s VM watch against the cluster simulator', () => {
  let simulator: ClusterSimulator;
  let cluster: KubevirtCluster;
  let changes: VmChange[];
  let watch: { stop(): void } | undefined;

  beforeEach(async () => {
    simulator = await startClusterSimulator({ nodes: [{ name: 'node-a', cpu: 8, memoryMiB: 16384 }], stepMs: 5 });
    cluster = new KubevirtCluster(loadKubeConfig({ kind: 'text', yaml: simulator.kubeconfig() }), { watch: { retryDelayMs: 300 } });
    changes = [];
  });
  afterEach(async () => {
    watch?.stop();
    await simulator.close();
  });

  const seen = () => changes.map((c) => `${c.type} ${c.vm.ref.name}`);
  const lists = () => simulator.control.requests().filter((r) => r.method === 'GET' && r.path.split('?')[0] === '/apis/kubevirt.io/v1/virtualmachines' && !r.path.includes('watch=')).length;
  const watches = () => simulator.control.requests().filter((r) => r.path.startsWith('/apis/kubevirt.io/v1/virtualmachines?') && r.path.includes('watch=true'));
  /** Until the adapter's two streams (VMs and VMIs) are open: the first ADDED comes from the list, before them. */
  const bothWatching = async () => {
    await eventually(async () => {
      const paths = simulator.control.requests().filter((r) => r.path.includes('watch=true')).map((r) => r.path.split('?')[0]);
      expect(paths).toEqual(expect.arrayContaining(['/apis/kubevirt.io/v1/virtualmachines', '/apis/kubevirt.io/v1/virtualmachineinstances']));
    });
    // a logged request registers its stream a few turns of the event loop later
    await new Promise((resolve) => setTimeout(resolve, 200));
  };
  const dropBothWatches = () => expect(simulator.control.dropWatches()).toBeGreaterThanOrEqual(2);

  it('given a dropped watch, when it reconnects, then it resumes from the last resourceVersion with bookmarks and misses nothing, without relisting', async () => {
    await cluster.ensureVm(spec('a'));
    watch = cluster.watchVms((change) => changes.push(change));
    await eventually(async () => expect(seen()).toEqual(['ADDED a']));
    const listed = lists();
    await bothWatching();
    dropBothWatches();
    await cluster.ensureVm(spec('b'));
    await eventually(async () => expect(seen()).toContain('ADDED b'), 10_000);
    expect(lists()).toBe(listed);
    const resumed = watches().at(-1)!.path;
    expect(resumed).toMatch(/resourceVersion=\d+/);
    expect(resumed).toContain('allowWatchBookmarks=true');
  });

  it('given the history compacted past the watch while it was down, when it reconnects and gets 410, then it relists and reports the VM added and the one deleted meanwhile', async () => {
    await cluster.ensureVm(spec('a'));
    watch = cluster.watchVms((change) => changes.push(change));
    await eventually(async () => expect(seen()).toEqual(['ADDED a']));
    const listed = lists();
    // The VM watch's reconnection is held while more changes happen than the history holds.
    await bothWatching();
    const hang = simulator.control.hangNext({ verb: 'watch', resource: 'virtualmachines' });
    dropBothWatches();
    await eventually(async () => expect(simulator.control.pendingFaults().hangs[0]?.held).toBe(1));
    simulator.control.setWatchHistorySize(1);
    await cluster.ensureVm(spec('b'));
    await cluster.deleteVm(spec('a').ref);
    expect(seen()).toEqual(['ADDED a']);
    hang.release({ proceed: true });
    await eventually(async () => expect(seen()).toEqual(['ADDED a', 'ADDED b', 'DELETED a']), 10_000);
    expect(lists()).toBeGreaterThan(listed);
    expect((await cluster.listVms()).map((vm) => vm.ref.name)).toEqual(['b']);
  });
});

import { GroupIndex, groupsOf, WorkQueue } from '../../../src/cluster-simulator/controllers/work-queue.js';
import { ObjectStore, type StoreChange } from '../../../src/cluster-simulator/store/object-store.js';
import type { KubeObject } from '../../../src/cluster-simulator/store/kube-object.js';
import { resourceTypeByKind } from '../../../src/cluster-simulator/resources.js';

const podType = resourceTypeByKind('Pod');
const vmType = resourceTypeByKind('VirtualMachine');
const nadType = resourceTypeByKind('NetworkAttachmentDefinition');
const secretType = resourceTypeByKind('Secret');
const meta = (namespace: string, name: string, labels: Record<string, string> = {}) => ({ name, namespace, labels, uid: '', resourceVersion: '', creationTimestamp: '' });
const launcher = (name: string, vm: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta('ns', name, { 'vm.kubevirt.io/name': vm }), spec: { containers: [] } });

/** A store whose changes go to an index and a queue, as the simulator wires its controllers. */
function wired() {
  const store = new ObjectStore();
  const index = new GroupIndex();
  const queue = new WorkQueue();
  const changes: StoreChange[] = [];
  store.onChange((change) => {
    changes.push(change);
    index.apply(change);
    queue.add(groupsOf(change));
  });
  return { store, index, queue, changes };
}

describe('controller work queues', () => {
  it('given a fresh queue, when taken, then everything (the first step looks at all), and after that nothing until a change', () => {
    const { queue } = wired();
    expect(queue.take()).toBeNull();
    expect([...queue.take()!]).toEqual([]);
  });

  it("given a VM's launcher pod and an unrelated pod, when changed, then each queues its own VM's group and the index finds the pod there", () => {
    const { store, index, queue } = wired();
    queue.take();
    store.insert(vmType, { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: meta('ns', 'web-01'), spec: {} });
    store.insert(podType, launcher('virt-launcher-web-01-abcde', 'web-01'));
    store.insert(podType, { apiVersion: 'v1', kind: 'Pod', metadata: meta('ns', 'loose'), spec: { containers: [] } });
    store.insert(secretType, { apiVersion: 'v1', kind: 'Secret', metadata: meta('ns', 'cloud-init') });

    expect([...queue.take()!].sort()).toEqual(['ns/pod:loose', 'ns/web-01']);
    expect(index.namesIn('ns/web-01', 'pods')).toEqual([{ plural: 'pods', namespace: 'ns', name: 'virt-launcher-web-01-abcde' }]);
    expect(index.namesIn('ns/web-01', 'virtualmachines').map((m) => m.name)).toEqual(['web-01']);
  });

  it('given a pod relabelled to another VM, when changed, then both groups are queued and the index moves it', () => {
    const { store, index, queue } = wired();
    const stored = store.insert(podType, launcher('p', 'a'));
    queue.take();
    store.replace(podType, { ...stored, metadata: { ...stored.metadata, labels: { 'vm.kubevirt.io/name': 'b' } } });
    expect([...queue.take()!].sort()).toEqual(['ns/a', 'ns/b']);
    expect(index.namesIn('ns/a', 'pods')).toEqual([]);
    expect(index.namesIn('ns/b', 'pods').map((m) => m.name)).toEqual(['p']);
    store.remove(podType, 'ns', 'p');
    expect(index.namesIn('ns/b', 'pods')).toEqual([]);
  });

  it('given a NAD (read by every pod), when created, then the queue asks for everything', () => {
    const { store, queue } = wired();
    queue.take();
    store.insert(nadType, { apiVersion: 'k8s.cni.cncf.io/v1', kind: 'NetworkAttachmentDefinition', metadata: meta('ns', 'net'), spec: { config: '{}' } });
    expect(queue.take()).toBeNull();
  });

  it('given a step that failed, when put back, then what it took comes again with what was requeued meanwhile', () => {
    const { store, queue } = wired();
    queue.take();
    store.insert(podType, launcher('p', 'a'));
    const taken = queue.take();
    queue.requeue('ns/waiting');
    queue.putBack(taken);
    expect([...queue.take()!].sort()).toEqual(['ns/a', 'ns/waiting']);
  });
});

import { resourceTypeByKind } from '../../../src/cluster-simulator/resources.js';
import type { KubeObject } from '../../../src/cluster-simulator/store/kube-object.js';
import { ObjectStore } from '../../../src/cluster-simulator/store/object-store.js';
import { parseFieldSelector, parseLabelSelector } from '../../../src/cluster-simulator/store/selectors.js';
import { ResourceVersionTooOld, WatchHub, type WatchEvent } from '../../../src/cluster-simulator/store/watch-hub.js';

const secrets = resourceTypeByKind('Secret');
const secret = (name: string, labels: Record<string, string> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'a', labels, uid: '', resourceVersion: '', creationTimestamp: '' } });

function setup(historySize: number) {
  const store = new ObjectStore();
  const hub = new WatchHub(historySize);
  store.onChange((change) => hub.record(change));
  const filter = (labels = '') => ({ resource: secrets, namespace: 'a', labels: parseLabelSelector(labels), fields: parseFieldSelector(null) });
  return { store, hub, filter };
}

describe('watch hub', () => {
  it('given history, when resuming from a revision, then replays only later changes, and the global revision counts every write', () => {
    const { store, hub, filter } = setup(10);
    const first = store.insert(secrets, secret('s1'));
    store.insert(secrets, secret('s2'));
    store.remove(secrets, 'a', 's1');
    const { replay } = hub.subscribe(filter(), Number(first.metadata.resourceVersion), () => undefined, () => undefined);
    expect(replay.map((e) => [e.type, (e.object as KubeObject).metadata.name, (e.object as KubeObject).metadata.resourceVersion])).toEqual([['ADDED', 's2', '2'], ['DELETED', 's1', '3']]);
  });

  it('given a revision older than the window, when resuming, then ResourceVersionTooOld', () => {
    const { store, hub, filter } = setup(2);
    for (const n of ['a', 'b', 'c', 'd']) store.insert(secrets, secret(n));
    expect(() => hub.subscribe(filter(), 1, () => undefined, () => undefined)).toThrow(ResourceVersionTooOld);
    expect(hub.subscribe(filter(), 2, () => undefined, () => undefined).replay).toHaveLength(2);
  });

  it('given a label selector, when an object gains or loses the label, then the watcher sees ADDED or DELETED', () => {
    const { store, hub, filter } = setup(10);
    const events: WatchEvent[] = [];
    store.insert(secrets, secret('s1'));
    hub.subscribe(filter('app=web'), null, (e) => events.push(e), () => undefined);
    const labelled = store.replace(secrets, { ...store.get(secrets, 'a', 's1')!, metadata: { ...store.get(secrets, 'a', 's1')!.metadata, labels: { app: 'web' } } });
    store.replace(secrets, { ...labelled, metadata: { ...labelled.metadata, labels: {} } });
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
  });

  it('given open subscribers, when dropped, then each close runs once', () => {
    const { hub, filter } = setup(10);
    const closed: number[] = [];
    hub.subscribe(filter(), null, () => undefined, () => closed.push(1));
    hub.subscribe(filter(), null, () => undefined, () => closed.push(2));
    expect(hub.dropAll()).toBe(2);
    expect(closed).toEqual([1, 2]);
    expect(hub.openWatches).toBe(0);
  });
});

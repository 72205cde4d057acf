import { ObjectStore } from '../../../src/cluster-simulator/store/object-store.js';
import { cloneObject, type KubeObject } from '../../../src/cluster-simulator/store/kube-object.js';
import { resourceTypes } from '../../../src/cluster-simulator/resources.js';

const podType = resourceTypes.find((t) => t.kind === 'Pod')!;
const secretType = resourceTypes.find((t) => t.kind === 'Secret')!;
const pod = (namespace: string, name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels, uid: '', resourceVersion: '', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { containers: [] },
});

describe('ObjectStore', () => {
  it('given objects of several kinds, when listed with a filter, then only that kind and namespace, only the matches, sorted, and each a copy', () => {
    const store = new ObjectStore();
    store.insert(podType, pod('b', 'p2', { app: 'x' }));
    store.insert(podType, pod('a', 'p1', { app: 'x' }));
    store.insert(podType, pod('a', 'p0', { app: 'y' }));
    store.insert(secretType, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'p1', namespace: 'a', uid: '', resourceVersion: '', creationTimestamp: '' } });

    expect(store.list(podType).map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['a/p0', 'a/p1', 'b/p2']);
    const seen: string[] = [];
    const matching = store.list(podType, 'a', (o) => (seen.push(o.metadata.name), o.metadata.labels?.app === 'x'));
    expect(matching.map((o) => o.metadata.name)).toEqual(['p1']);
    expect(seen.sort()).toEqual(['p0', 'p1']);
    matching[0]!.metadata.labels!.app = 'changed';
    expect(store.get(podType, 'a', 'p1')?.metadata.labels?.app).toBe('x');
    expect(store.get(secretType, 'a', 'p1')?.kind).toBe('Secret');
  });

  it('given a snapshot, when restored into another store and cleared selectively, then the objects and revision come back and the kept ones stay', () => {
    const store = new ObjectStore();
    store.insert(podType, pod('a', 'keep'));
    store.insert(podType, pod('a', 'drop'));
    const restored = new ObjectStore();
    restored.restore(store.snapshot(), (resource) => resourceTypes.find((t) => `${t.group}/${t.plural}` === resource));
    expect(restored.currentRevision).toBe(2);
    expect(restored.list(podType).map((o) => o.metadata.name)).toEqual(['drop', 'keep']);
    restored.clear((resource, object) => resource === '/pods' && object.metadata.name === 'keep');
    expect(restored.list(podType).map((o) => o.metadata.name)).toEqual(['keep']);
  });
});

describe('cloneObject', () => {
  it('given JSON-like data with undefined fields, when copied, then it is what a JSON round trip gives, sharing nothing', () => {
    const value = { a: 1, b: undefined, c: [1, undefined, { d: 'x', e: undefined }], f: null, g: { h: [true] }, when: new Date('2026-01-02T03:04:05Z') };
    const copy = cloneObject(value);
    expect(copy).toEqual(JSON.parse(JSON.stringify(value)));
    expect(Object.keys(copy)).toEqual(['a', 'c', 'f', 'g', 'when']);
    copy.g.h.push(false);
    expect(value.g.h).toEqual([true]);
  });
});

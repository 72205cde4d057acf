import { randomUUID } from 'node:crypto';
import type { ResourceType } from '../resources.js';
import { cloneObject, type KubeObject } from './kube-object.js';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreChange {
  type: ChangeType;
  resource: ResourceType;
  object: KubeObject;
  /** The object before this change (MODIFIED, DELETED). */
  previous?: KubeObject;
  revision: number;
}

export interface StoreSnapshot {
  revision: number;
  objects: Array<{ resource: string; object: KubeObject }>;
}

export const resourceKey = (type: Pick<ResourceType, 'group' | 'plural'>): string => `${type.group}/${type.plural}`;
const nameKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}|${name}`;

/** Looks at a stored object without copying it; must not change it. */
export type ObjectFilter = (object: Readonly<KubeObject>) => boolean;

/**
 * Every object, by resource and then by namespace and name, and the one global resourceVersion
 * counter etcd gives a real API server. It only stores; API rules live in ResourceService. Callers
 * get copies; a list filters before copying, as the controllers list often and want few.
 */
export class ObjectStore {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private revision = 0;
  private readonly listeners: Array<(change: StoreChange) => void> = [];

  get currentRevision(): number {
    return this.revision;
  }

  onChange(listener: (change: StoreChange) => void): void {
    this.listeners.push(listener);
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.objects.get(resourceKey(type))?.get(nameKey(namespace, name));
    return found ? cloneObject(found) : undefined;
  }

  /** The stored object itself, not a copy: for readers that only look (controllers' bookkeeping); must not change it. */
  peek(type: ResourceType, namespace: string | undefined, name: string): Readonly<KubeObject> | undefined {
    return this.objects.get(resourceKey(type))?.get(nameKey(namespace, name));
  }

  /** Every stored object of a type (in one namespace), uncopied and unsorted; must not be changed. */
  *scan(type: ResourceType, namespace?: string): Iterable<Readonly<KubeObject>> {
    for (const object of this.objects.get(resourceKey(type))?.values() ?? []) {
      if (namespace === undefined || object.metadata.namespace === namespace) yield object;
    }
  }

  /** Sorted by namespace then name, so controllers see a deterministic order; `where` picks before anything is copied. */
  list(type: ResourceType, namespace?: string, where?: ObjectFilter): KubeObject[] {
    const found: KubeObject[] = [];
    for (const object of this.objects.get(resourceKey(type))?.values() ?? []) {
      if (namespace !== undefined && object.metadata.namespace !== namespace) continue;
      if (where && !where(object)) continue;
      found.push(cloneObject(object));
    }
    return found.sort((a, b) => `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`));
  }

  insert(type: ResourceType, object: KubeObject): KubeObject {
    const stored = cloneObject(object);
    stored.metadata.uid ||= randomUUID();
    stored.metadata.resourceVersion = String(++this.revision);
    this.of(type).set(nameKey(stored.metadata.namespace, stored.metadata.name), stored);
    this.emit({ type: 'ADDED', resource: type, object: cloneObject(stored), revision: this.revision });
    return cloneObject(stored);
  }

  replace(type: ResourceType, object: KubeObject): KubeObject {
    const key = nameKey(object.metadata.namespace, object.metadata.name);
    const previous = this.of(type).get(key);
    if (!previous) throw new Error(`replace of a missing object ${resourceKey(type)}|${key}`);
    const stored = cloneObject(object);
    stored.metadata.resourceVersion = String(++this.revision);
    this.of(type).set(key, stored);
    this.emit({ type: 'MODIFIED', resource: type, object: cloneObject(stored), previous: cloneObject(previous), revision: this.revision });
    return cloneObject(stored);
  }

  remove(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const key = nameKey(namespace, name);
    const previous = this.of(type).get(key);
    if (!previous) return undefined;
    this.of(type).delete(key);
    const last = cloneObject(previous);
    // A DELETED event carries a resourceVersion of its own, as etcd's delete revision.
    last.metadata.resourceVersion = String(++this.revision);
    this.emit({ type: 'DELETED', resource: type, object: cloneObject(last), previous: cloneObject(previous), revision: this.revision });
    return last;
  }

  snapshot(): StoreSnapshot {
    return {
      revision: this.revision,
      objects: [...this.objects].flatMap(([resource, objects]) => [...objects.values()].map((object) => ({ resource, object: cloneObject(object) }))),
    };
  }

  restore(snapshot: StoreSnapshot, typeOf: (resource: string) => ResourceType | undefined): void {
    this.objects.clear();
    for (const { resource, object } of snapshot.objects) {
      const type = typeOf(resource);
      if (type) this.of(type).set(nameKey(object.metadata.namespace, object.metadata.name), cloneObject(object));
    }
    this.revision = Math.max(this.revision, snapshot.revision);
  }

  /** Forgets every object without events (control API reset); the revision keeps counting up. */
  clear(keep: (resource: string, object: KubeObject) => boolean): void {
    for (const [resource, objects] of this.objects) {
      for (const [key, object] of [...objects]) if (!keep(resource, object)) objects.delete(key);
    }
  }

  private of(type: ResourceType): Map<string, KubeObject> {
    const key = resourceKey(type);
    let objects = this.objects.get(key);
    if (!objects) this.objects.set(key, (objects = new Map()));
    return objects;
  }

  private emit(change: StoreChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

import { resourceTypes, type ResourceType } from '../resources.js';
import type { KubeObject } from '../store/kube-object.js';
import type { StoreChange } from '../store/object-store.js';
import { isTerminating, types, type ClusterContext } from './cluster-context.js';

/**
 * The garbage collector and the namespace controller: objects whose owner (by uid) is gone are
 * deleted (background propagation); a terminating namespace empties, then goes.
 */
export class GarbageCollector {
  /** Every stored object's uid, kept from the store's changes. */
  private readonly uids = new Set<string>();
  /** Owner uid → the objects that name it. */
  private readonly dependents = new Map<string, Map<string, Candidate>>();
  /** Objects that may have lost every owner since the last step: new or re-owned ones, dependents of the deleted. */
  private candidates = new Map<string, Candidate>();
  /** A namespace changed, or one is terminating: the namespace controller looks (namespace deletion is rare). */
  private namespacesDue = true;
  /** Deleted while this step runs: still owners for this step, as the step's view is the cluster at its start. */
  private goneThisStep: Set<string> | undefined;

  constructor(private readonly context: ClusterContext) {
    for (const type of resourceTypes) for (const object of context.service.scan(type)) this.track(type, object, undefined);
    context.service.onChange((change) => this.observe(change));
  }

  reconcile(): void {
    const taken = this.candidates;
    this.candidates = new Map();
    try {
      this.collect(taken);
      if (this.namespacesDue) {
        this.namespacesDue = false;
        this.emptyNamespaces();
      }
    } catch (error) {
      for (const [key, candidate] of taken) this.candidates.set(key, candidate);
      this.namespacesDue = true;
      this.goneThisStep = undefined;
      throw error;
    }
  }

  private observe(change: StoreChange): void {
    const { resource: type, object } = change;
    if (type === types.namespace) this.namespacesDue = true;
    if (change.type === 'DELETED') {
      this.uids.delete(object.metadata.uid);
      this.goneThisStep?.add(object.metadata.uid);
      this.untrack(type, object);
      for (const [key, dependent] of this.dependents.get(object.metadata.uid) ?? []) this.candidates.set(key, dependent);
      return;
    }
    this.track(type, object, change.previous);
  }

  private track(type: ResourceType, object: Readonly<KubeObject>, previous: Readonly<KubeObject> | undefined): void {
    this.uids.add(object.metadata.uid);
    const owners = object.metadata.ownerReferences ?? [];
    const before = previous?.metadata.ownerReferences ?? [];
    if (previous && JSON.stringify(owners) === JSON.stringify(before)) return;
    const candidate: Candidate = { type, namespace: object.metadata.namespace, name: object.metadata.name };
    const key = candidateKey(candidate);
    if (previous) this.untrack(type, previous);
    for (const owner of owners) {
      let set = this.dependents.get(owner.uid);
      if (!set) this.dependents.set(owner.uid, (set = new Map()));
      set.set(key, candidate);
    }
    if (owners.length > 0) this.candidates.set(key, candidate);
  }

  private untrack(type: ResourceType, object: Readonly<KubeObject>): void {
    const key = candidateKey({ type, namespace: object.metadata.namespace, name: object.metadata.name });
    for (const owner of object.metadata.ownerReferences ?? []) {
      const set = this.dependents.get(owner.uid);
      set?.delete(key);
      if (set?.size === 0) this.dependents.delete(owner.uid);
    }
  }

  /** Background propagation: a candidate whose owners are all gone is deleted (in list order: kind, then namespace and name). */
  private collect(taken: Map<string, Candidate>): void {
    if (taken.size === 0) return;
    const { service } = this.context;
    const order = new Map(resourceTypes.map((type, index) => [type, index]));
    const objects = [...taken.values()]
      .map((c) => ({ type: c.type, object: service.peek(c.type, c.namespace, c.name) }))
      .filter((c): c is { type: ResourceType; object: Readonly<KubeObject> } => c.object !== undefined)
      .sort((a, b) => (order.get(a.type)! - order.get(b.type)!) || byName(a.object, b.object));
    this.goneThisStep = new Set();
    try {
      for (const { type, object } of objects) {
        const owners = object.metadata.ownerReferences ?? [];
        if (owners.length === 0 || isTerminating(object as KubeObject)) continue;
        if (owners.every((o) => !this.uids.has(o.uid) && !this.goneThisStep!.has(o.uid))) service.delete(type, object.metadata.namespace, object.metadata.name);
      }
    } finally {
      this.goneThisStep = undefined;
    }
  }

  /** The namespace controller: a terminating namespace's objects are deleted, then, once it is empty, the namespace. */
  private emptyNamespaces(): void {
    const { service } = this.context;
    for (const namespace of [...service.scan(types.namespace)].sort(byName)) {
      if (!isTerminating(namespace as KubeObject)) continue;
      // emptying a namespace takes steps (finalizers, pods' grace): look again next step until it is gone
      this.namespacesDue = true;
      const name = namespace.metadata.name;
      const inside = resourceTypes.filter((type) => type.namespaced).flatMap((type) => [...service.scan(type, name)].sort(byName).map((object) => ({ type, object })));
      for (const { type, object } of inside) if (!isTerminating(object as KubeObject)) service.delete(type, name, object.metadata.name);
      if (inside.length === 0) service.purge(types.namespace, undefined, name);
    }
  }
}

interface Candidate {
  type: ResourceType;
  namespace: string | undefined;
  name: string;
}

const candidateKey = (c: Candidate) => `${c.type.group}/${c.type.plural}|${c.namespace ?? ''}|${c.name}`;

const byName = (a: Readonly<KubeObject>, b: Readonly<KubeObject>) =>
  `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`);

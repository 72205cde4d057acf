import { resourceTypes } from '../resources.js';
import type { KubeObject } from '../store/kube-object.js';
import { isTerminating, types, type ClusterContext } from './cluster-context.js';

/**
 * The garbage collector and the namespace controller: objects whose owner (by uid) is gone are
 * deleted (background propagation); a terminating namespace empties, then goes.
 */
export class GarbageCollector {
  /**
   * Something may have lost its owner or a namespace may be emptying: an object arrived with owner
   * references or had them changed, something was deleted, a namespace changed (and at the start).
   * Otherwise a step has nothing to collect and looks at nothing.
   */
  private due = true;

  constructor(private readonly context: ClusterContext) {
    context.service.onChange((change) => {
      if (this.due) return;
      if (change.type === 'DELETED' || change.resource === types.namespace) this.due = true;
      else if ((change.object.metadata.ownerReferences?.length ?? 0) > 0
        && (change.type === 'ADDED' || JSON.stringify(change.object.metadata.ownerReferences) !== JSON.stringify(change.previous?.metadata.ownerReferences))) this.due = true;
    });
  }

  reconcile(): void {
    if (!this.due) return;
    this.due = false;
    try {
      this.collect();
    } catch (error) {
      this.due = true;
      throw error;
    }
  }

  /** Looks at the stored objects without copying them (the store replaces, never changes, what it holds); deletes go by name. */
  private collect(): void {
    const { service } = this.context;
    const uids = new Set<string>();
    const all = resourceTypes.flatMap((type) => [...service.scan(type)].sort(byName).map((object) => ({ type, object: object as KubeObject })));
    for (const { object } of all) uids.add(object.metadata.uid);
    for (const { type, object } of all) {
      const owners = object.metadata.ownerReferences ?? [];
      if (owners.length === 0 || isTerminating(object)) continue;
      if (owners.every((o) => !uids.has(o.uid))) service.delete(type, object.metadata.namespace, object.metadata.name);
    }
    for (const namespace of [...service.scan(types.namespace)].sort(byName)) {
      if (!isTerminating(namespace as KubeObject)) continue;
      // emptying a namespace takes steps (finalizers, pods' grace): look again next step until it is gone
      this.due = true;
      const name = namespace.metadata.name;
      const inside = all.filter(({ type, object }) => type.namespaced && object.metadata.namespace === name);
      for (const { type, object } of inside) if (!isTerminating(object)) service.delete(type, name, object.metadata.name);
      if (inside.length === 0) service.purge(types.namespace, undefined, name);
    }
  }
}

const byName = (a: Readonly<KubeObject>, b: Readonly<KubeObject>) =>
  `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`);

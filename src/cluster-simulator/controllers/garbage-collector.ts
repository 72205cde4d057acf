import { resourceTypes } from '../resources.js';
import { isTerminating, types, type ClusterContext } from './cluster-context.js';

/**
 * The garbage collector and the namespace controller: objects whose owner (by uid) is gone are
 * deleted (background propagation); a terminating namespace empties, then goes.
 */
export class GarbageCollector {
  constructor(private readonly context: ClusterContext) {}

  reconcile(): void {
    const { service } = this.context;
    const uids = new Set<string>();
    const all = resourceTypes.flatMap((type) => service.list(type).map((object) => ({ type, object })));
    for (const { object } of all) uids.add(object.metadata.uid);
    for (const { type, object } of all) {
      const owners = object.metadata.ownerReferences ?? [];
      if (owners.length === 0 || isTerminating(object)) continue;
      if (owners.every((o) => !uids.has(o.uid))) service.delete(type, object.metadata.namespace, object.metadata.name);
    }
    for (const namespace of service.list(types.namespace)) {
      if (!isTerminating(namespace)) continue;
      const name = namespace.metadata.name;
      const inside = all.filter(({ type, object }) => type.namespaced && object.metadata.namespace === name);
      for (const { type, object } of inside) if (!isTerminating(object)) service.delete(type, name, object.metadata.name);
      if (inside.length === 0) service.purge(types.namespace, undefined, name);
    }
  }
}

import type { KubeObject } from '../store/kube-object.js';
import type { StoreChange } from '../store/object-store.js';

/** Every object of the VM named so in that namespace: "<namespace>/<vm name>". */
export type GroupKey = string;

/**
 * The VM an object belongs to, which is what the simulated controllers reconcile together: the VM
 * and its VMI (same name), its launcher pods (label vm.kubevirt.io/name), its migrations
 * (spec.vmiName) and the DataVolumes it owns. 'all' for the objects many VMs read (NADs, Subnets, a
 * DataVolume no VM owns); null for kinds no controller here reads (the garbage collector has its own
 * trigger).
 */
export function groupOf(object: Readonly<KubeObject>, plural: string): GroupKey | 'all' | null {
  const namespace = object.metadata.namespace ?? '';
  switch (plural) {
    case 'virtualmachines':
    case 'virtualmachineinstances':
      return `${namespace}/${object.metadata.name}`;
    case 'virtualmachineinstancemigrations':
      return `${namespace}/${String(object.spec?.vmiName ?? '')}`;
    case 'pods': {
      const vm = object.metadata.labels?.['vm.kubevirt.io/name'];
      return vm ? `${namespace}/${vm}` : `${namespace}/pod:${object.metadata.name}`;
    }
    case 'datavolumes': {
      const owner = (object.metadata.ownerReferences ?? []).find((o) => o.kind === 'VirtualMachine' && o.controller);
      return owner ? `${namespace}/${owner.name}` : 'all';
    }
    case 'network-attachment-definitions':
    case 'subnets':
      return 'all';
    default:
      return null;
  }
}

/** The groups a change touches: the object's now and, when that moved (a relabelled pod), before. */
export function groupsOf(change: StoreChange): GroupKey[] | 'all' {
  const plural = change.resource.plural;
  const now = groupOf(change.object, plural);
  const before = change.previous ? groupOf(change.previous, plural) : null;
  if (now === 'all' || before === 'all') return 'all';
  const groups: GroupKey[] = [];
  if (now !== null) groups.push(now);
  if (before !== null && before !== now) groups.push(before);
  return groups;
}

/**
 * One controller's work queue, fed by the store's change notifications as an informer feeds a
 * Kubernetes controller: the groups changed since the controller last ran, plus those it asked to
 * see again next step (requeue-after one step: a migration copying memory, a pod waiting for room).
 * Starts with everything, so the first step looks at what a state file brought back.
 */
export class WorkQueue {
  private pending = new Set<GroupKey>();
  private everything = true;

  add(groups: GroupKey[] | 'all'): void {
    if (groups === 'all') this.everything = true;
    else for (const group of groups) this.pending.add(group);
  }

  requeue(group: GroupKey): void {
    this.pending.add(group);
  }

  /** What to look at this step (null: everything); the queue starts over empty. */
  take(): Set<GroupKey> | null {
    const taken = this.everything ? null : this.pending;
    this.pending = new Set();
    this.everything = false;
    return taken;
  }

  /** A step that failed part way: everything it took is looked at again next step, as before it had queues. */
  putBack(taken: Set<GroupKey> | null): void {
    if (taken === null) this.everything = true;
    else for (const group of taken) this.pending.add(group);
  }
}

interface Member {
  plural: string;
  namespace: string | undefined;
  name: string;
}

const memberKey = (m: Member) => `${m.plural}|${m.namespace ?? ''}|${m.name}`;

/**
 * Which objects each group holds (by kind), kept from the store's changes: the index a controller
 * uses to find a VM's pods or migrations without going through every pod in the cluster.
 */
export class GroupIndex {
  private readonly groups = new Map<GroupKey, Map<string, Member>>();

  apply(change: StoreChange): void {
    const plural = change.resource.plural;
    const member: Member = { plural, namespace: change.object.metadata.namespace, name: change.object.metadata.name };
    const key = memberKey(member);
    const before = change.previous ? groupOf(change.previous, plural) : null;
    const now = change.type === 'DELETED' ? null : groupOf(change.object, plural);
    if (before !== null && before !== 'all' && before !== now) this.remove(before, key);
    if (change.type === 'DELETED') {
      const last = groupOf(change.object, plural);
      if (last !== null && last !== 'all') this.remove(last, key);
    } else if (now !== null && now !== 'all') {
      let members = this.groups.get(now);
      if (!members) this.groups.set(now, (members = new Map()));
      members.set(key, member);
    }
  }

  /** Indexes what the store already held (a state file reloaded before the index listened). */
  load(plural: string, objects: Iterable<Readonly<KubeObject>>): void {
    for (const object of objects) {
      const group = groupOf(object, plural);
      if (group === null || group === 'all') continue;
      const member: Member = { plural, namespace: object.metadata.namespace, name: object.metadata.name };
      let members = this.groups.get(group);
      if (!members) this.groups.set(group, (members = new Map()));
      members.set(memberKey(member), member);
    }
  }

  /** Names of the objects of this kind in the group. */
  namesIn(group: GroupKey, plural: string): Array<{ namespace: string | undefined; name: string }> {
    const found: Array<{ namespace: string | undefined; name: string }> = [];
    for (const member of this.groups.get(group)?.values() ?? []) if (member.plural === plural) found.push(member);
    return found;
  }

  private remove(group: GroupKey, key: string): void {
    const members = this.groups.get(group);
    if (!members) return;
    members.delete(key);
    if (members.size === 0) this.groups.delete(group);
  }
}

export const groupKeyOf = (namespace: string | undefined, vmName: string): GroupKey => `${namespace ?? ''}/${vmName}`;

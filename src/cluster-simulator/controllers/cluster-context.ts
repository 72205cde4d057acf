import { resourceTypeByKind, type ResourceType } from '../resources.js';
import { kubeTime, type KubeObject } from '../store/kube-object.js';
import type { ResourceService } from '../store/resource-service.js';
import type { GuestDomains } from '../exec/guest-domains.js';
import { groupKeyOf, type GroupIndex, type GroupKey, type WorkQueue } from './work-queue.js';

export interface SimulatorNode {
  name: string;
  cpu: number;
  memoryMiB: number;
}

/** What every simulated controller works with. */
export interface ClusterContext {
  service: ResourceService;
  nodes: SimulatorNode[];
  domains: GuestDomains;
  /**
   * The node whose VMIs run as real QEMU guests: their secondary NICs get into the domain when the
   * real-guest launcher has plugged them into libvirt's (it records them in `domains`), not when a
   * controller here decides so.
   */
  realGuestNode?: string;
  random: () => number;
  /** Control API: migrations still to fail, and why. */
  migrationFailures: { remaining: number; reason: string };
  /** Each VM's objects, kept from the store's changes. */
  groups: GroupIndex;
  /** A work queue the store's changes feed from now on (one per controller). */
  workQueue(): WorkQueue;
}

export const types = {
  vm: resourceTypeByKind('VirtualMachine'),
  vmi: resourceTypeByKind('VirtualMachineInstance'),
  vmim: resourceTypeByKind('VirtualMachineInstanceMigration'),
  dv: resourceTypeByKind('DataVolume'),
  pod: resourceTypeByKind('Pod'),
  nad: resourceTypeByKind('NetworkAttachmentDefinition'),
  namespace: resourceTypeByKind('Namespace'),
  node: resourceTypeByKind('Node'),
} satisfies Record<string, ResourceType>;

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string | null;
  lastProbeTime?: string | null;
  observedGeneration?: number;
}

/** Sets (or with status null removes) a condition, keeping lastTransitionTime when the status is unchanged. */
export function setCondition(conditions: Condition[] | undefined, next: Omit<Condition, 'lastTransitionTime' | 'lastProbeTime'> | { type: string; status: null }): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === next.type);
  if (next.status === null) {
    if (index >= 0) list.splice(index, 1);
    return list;
  }
  const existing = index >= 0 ? list[index] : undefined;
  const condition: Condition = {
    ...next,
    lastTransitionTime: existing && existing.status === next.status ? existing.lastTransitionTime ?? kubeTime() : kubeTime(),
  } as Condition;
  if (index >= 0) list[index] = condition;
  else list.push(condition);
  return list;
}

export const conditionOf = (object: KubeObject, type: string): Condition | undefined =>
  ((object.status?.conditions ?? []) as Condition[]).find((c) => c.type === type);

export const isTerminating = (object: KubeObject): boolean => Boolean(object.metadata.deletionTimestamp);

/** The VMI's virt-launcher pods (source and migration targets), oldest first. */
export function launcherPods(context: ClusterContext, vmi: KubeObject): KubeObject[] {
  const found: KubeObject[] = [];
  for (const { namespace, name } of context.groups.namesIn(groupKeyOf(vmi.metadata.namespace, vmi.metadata.name), types.pod.plural)) {
    if (context.service.peek(types.pod, namespace, name)?.metadata.labels?.['kubevirt.io/created-by'] !== vmi.metadata.uid) continue;
    found.push(context.service.get(types.pod, namespace, name));
  }
  return found.sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
}

const byNamespaceAndName = (a: KubeObject, b: KubeObject) =>
  `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name}`);

/**
 * The objects of `type` a controller looks at this step, copied and in the order a list gives
 * (namespace, then name): all of them when the queue asked for everything (null), else those of the
 * groups it took.
 */
export function objectsToReconcile(context: ClusterContext, type: ResourceType, taken: Set<GroupKey> | null): KubeObject[] {
  if (taken === null) return context.service.list(type);
  const found: KubeObject[] = [];
  for (const group of taken) {
    for (const { namespace, name } of context.groups.namesIn(group, type.plural)) {
      const object = context.service.find(type, namespace, name);
      if (object) found.push(object);
    }
  }
  return found.sort(byNamespaceAndName);
}

/** Runs one controller step over what its queue took; a step that throws leaves all of it queued for the next. */
export function drain(queue: WorkQueue, step: (taken: Set<GroupKey> | null) => void): void {
  const taken = queue.take();
  try {
    step(taken);
  } catch (error) {
    queue.putBack(taken);
    throw error;
  }
}

/** Writes status (through the status subresource where the kind has one). */
export function writeStatus(context: ClusterContext, type: ResourceType, object: KubeObject, status: unknown): KubeObject {
  const next = { ...object, status };
  return context.service.replace(type, object.metadata.namespace, object.metadata.name, next, type.statusSubresource ? { subresource: 'status' } : {});
}

export function writeObject(context: ClusterContext, type: ResourceType, object: KubeObject): KubeObject {
  return context.service.replace(type, object.metadata.namespace, object.metadata.name, object);
}

export function removeFinalizer(context: ClusterContext, type: ResourceType, object: KubeObject, finalizer: string): void {
  const finalizers = (object.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  if (finalizers.length === (object.metadata.finalizers ?? []).length) return;
  writeObject(context, type, { ...object, metadata: { ...object.metadata, finalizers } });
}

export function addFinalizer(context: ClusterContext, type: ResourceType, object: KubeObject, finalizer: string): KubeObject {
  if ((object.metadata.finalizers ?? []).includes(finalizer)) return object;
  return writeObject(context, type, { ...object, metadata: { ...object.metadata, finalizers: [...(object.metadata.finalizers ?? []), finalizer] } });
}

import { resourceTypeByKind, type ResourceType } from '../resources.js';
import { kubeTime, type KubeObject } from '../store/kube-object.js';
import type { ResourceService } from '../store/resource-service.js';
import type { GuestDomains } from '../exec/guest-domains.js';

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
  random: () => number;
  /** Control API: migrations still to fail, and why. */
  migrationFailures: { remaining: number; reason: string };
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
  return context.service.list(types.pod, vmi.metadata.namespace, (p) => p.metadata.labels?.['kubevirt.io/created-by'] === vmi.metadata.uid)
    .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
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

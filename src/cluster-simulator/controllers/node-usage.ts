import type { KubeObject } from '../store/kube-object.js';
import type { SimulatorNode } from './cluster-context.js';
import { cpuMillis, memoryBytes } from './quantities.js';

export interface Resources {
  cpuMillis: number;
  memoryBytes: number;
}

/** What a pod holds on its node: the resources the kubelet admitted (allocated), else its spec requests. */
export function podHolds(pod: KubeObject): Resources {
  let cpu = 0;
  let memory = 0;
  for (const container of (pod.spec?.containers ?? []) as Array<{ name: string; resources?: { requests?: Record<string, unknown> } }>) {
    const allocated = ((pod.status?.containerStatuses ?? []) as Array<{ name: string; allocatedResources?: Record<string, unknown> }>).find((s) => s.name === container.name)?.allocatedResources;
    const source = allocated ?? container.resources?.requests ?? {};
    cpu += cpuMillis(source.cpu ?? 0);
    memory += memoryBytes(source.memory ?? 0);
  }
  return { cpuMillis: cpu, memoryBytes: memory };
}

export function podRequests(pod: KubeObject): Resources {
  let cpu = 0;
  let memory = 0;
  for (const container of (pod.spec?.containers ?? []) as Array<{ resources?: { requests?: Record<string, unknown> } }>) {
    cpu += cpuMillis(container.resources?.requests?.cpu ?? 0);
    memory += memoryBytes(container.resources?.requests?.memory ?? 0);
  }
  return { cpuMillis: cpu, memoryBytes: memory };
}

export const capacityOf = (node: SimulatorNode): Resources => ({ cpuMillis: node.cpu * 1000, memoryBytes: node.memoryMiB * 2 ** 20 });

const active = (pod: KubeObject) => !['Succeeded', 'Failed'].includes(pod.status?.phase);

/** Resources held on `node` by bound, unfinished pods (except `exclude`). */
export function usedOn(node: string, pods: KubeObject[], exclude?: string): Resources {
  const used = { cpuMillis: 0, memoryBytes: 0 };
  for (const pod of pods) {
    if (pod.spec?.nodeName !== node || !active(pod) || pod.metadata.uid === exclude) continue;
    const holds = podHolds(pod);
    used.cpuMillis += holds.cpuMillis;
    used.memoryBytes += holds.memoryBytes;
  }
  return used;
}

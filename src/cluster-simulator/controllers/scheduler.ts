import { cloneObject, type KubeObject } from '../store/kube-object.js';
import { conditionOf, isTerminating, setCondition, types, writeObject, writeStatus, type ClusterContext, type SimulatorNode } from './cluster-context.js';
import { capacityOf, podRequests, usedOn } from './node-usage.js';

interface NodeSelectorRequirement { key: string; operator: string; values?: string[] }

function nodeLabels(node: SimulatorNode): Record<string, string> {
  return { 'kubernetes.io/hostname': node.name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubevirt.io/schedulable': 'true' };
}

function requirementHolds(labels: Record<string, string>, r: NodeSelectorRequirement): boolean {
  const value = labels[r.key];
  switch (r.operator) {
    case 'In': return value !== undefined && (r.values ?? []).includes(value);
    case 'NotIn': return value === undefined || !(r.values ?? []).includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    default: return true;
  }
}

/** nodeSelector and required node affinity; other affinity rules are not modelled. */
function placementAllows(pod: KubeObject, node: SimulatorNode): boolean {
  const labels = nodeLabels(node);
  for (const [key, value] of Object.entries((pod.spec.nodeSelector ?? {}) as Record<string, string>)) if (labels[key] !== value) return false;
  const terms = (pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) as Array<{ matchExpressions?: NodeSelectorRequirement[] }>;
  if (terms.length === 0) return true;
  return terms.some((term) => (term.matchExpressions ?? []).every((r) => requirementHolds(labels, r)));
}

/**
 * kube-scheduler over the configured nodes: the first node (in the configured order) whose free
 * CPU and memory hold the pod's requests; none → PodScheduled=False Unschedulable with the
 * scheduler's message, retried every tick so the pod starts once room appears.
 */
export class Scheduler {
  constructor(private readonly context: ClusterContext) {}

  reconcile(): void {
    const { service, nodes } = this.context;
    for (const pod of service.list(types.pod)) {
      if (pod.spec.nodeName || isTerminating(pod)) continue;
      const pods = service.list(types.pod);
      const wanted = podRequests(pod);
      const reasons = new Map<string, number>();
      let chosen: SimulatorNode | undefined;
      for (const node of nodes) {
        if (!placementAllows(pod, node)) {
          reasons.set("node(s) didn't match Pod's node affinity/selector", (reasons.get("node(s) didn't match Pod's node affinity/selector") ?? 0) + 1);
          continue;
        }
        const capacity = capacityOf(node);
        const used = usedOn(node.name, pods);
        const cpuShort = used.cpuMillis + wanted.cpuMillis > capacity.cpuMillis;
        const memoryShort = used.memoryBytes + wanted.memoryBytes > capacity.memoryBytes;
        if (cpuShort) reasons.set('Insufficient cpu', (reasons.get('Insufficient cpu') ?? 0) + 1);
        if (memoryShort) reasons.set('Insufficient memory', (reasons.get('Insufficient memory') ?? 0) + 1);
        if (!cpuShort && !memoryShort) {
          chosen = node;
          break;
        }
      }
      if (chosen) {
        // the binding subresource: spec.nodeName, then PodScheduled=True
        const bound = writeObject(this.context, types.pod, { ...pod, spec: { ...pod.spec, nodeName: chosen.name } });
        const status = cloneObject(bound.status ?? {});
        status.phase = status.phase ?? 'Pending';
        status.conditions = setCondition(status.conditions, { type: 'PodScheduled', status: 'True' });
        writeStatus(this.context, types.pod, bound, status);
        continue;
      }
      const detail = [...reasons.entries()].sort().map(([reason, count]) => `${count} ${reason}`).join(', ');
      const message = `0/${nodes.length} nodes are available: ${detail}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} No preemption victims found for incoming pod.`;
      if (conditionOf(pod, 'PodScheduled')?.message === message && pod.status?.phase === 'Pending') continue;
      const status = cloneObject(pod.status ?? {});
      status.phase = 'Pending';
      status.conditions = setCondition(status.conditions, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message });
      writeStatus(this.context, types.pod, pod, status);
    }
  }
}

export { nodeLabels };

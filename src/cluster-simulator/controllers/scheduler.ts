import { cloneObject, type KubeObject } from '../store/kube-object.js';
import { conditionOf, drain, isTerminating, objectsToReconcile, setCondition, types, writeObject, writeStatus, type ClusterContext, type SimulatorNode } from './cluster-context.js';
import { capacityOf, podHolds, podRequests, usedOn, type Resources } from './node-usage.js';
import { groupOf, type GroupKey } from './work-queue.js';

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
  private readonly queue;

  constructor(private readonly context: ClusterContext) {
    this.queue = context.workQueue();
  }

  reconcile(): void {
    drain(this.queue, (taken) => this.schedule(taken));
  }

  private schedule(taken: Set<GroupKey> | null): void {
    const { service, nodes } = this.context;
    // what the bound, unfinished pods hold on each node: counted once a step, then kept up to date as pods are bound
    let usage: Map<string, Resources> | undefined;
    const usedOnNode = (node: string): Resources => {
      if (!usage) {
        const pods = [...service.scan(types.pod)] as KubeObject[];
        usage = new Map(nodes.map((n) => [n.name, usedOn(n.name, pods)]));
      }
      return usage.get(node) ?? { cpuMillis: 0, memoryBytes: 0 };
    };
    for (const pod of objectsToReconcile(this.context, types.pod, taken)) {
      if (pod.spec.nodeName || isTerminating(pod)) continue;
      // a pending pod is tried again every step (room may appear anywhere), as before the queue
      const group = groupOf(pod, types.pod.plural);
      if (group !== null && group !== 'all') this.queue.requeue(group);
      const wanted = podRequests(pod);
      const reasons = new Map<string, number>();
      let chosen: SimulatorNode | undefined;
      for (const node of nodes) {
        if (!placementAllows(pod, node)) {
          reasons.set("node(s) didn't match Pod's node affinity/selector", (reasons.get("node(s) didn't match Pod's node affinity/selector") ?? 0) + 1);
          continue;
        }
        const capacity = capacityOf(node);
        const used = usedOnNode(node.name);
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
        const stored = writeStatus(this.context, types.pod, bound, status);
        if (usage && !['Succeeded', 'Failed'].includes(stored.status?.phase)) {
          const holds = podHolds(stored);
          const used = usedOnNode(chosen.name);
          usage.set(chosen.name, { cpuMillis: used.cpuMillis + holds.cpuMillis, memoryBytes: used.memoryBytes + holds.memoryBytes });
        }
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

import type { NodeInfo } from './cluster.port.js';

export type Placement = { node: string } | { unschedulable: string };

/**
 * Picks the ready node with the most free memory that fits the request (kube-scheduler's
 * LeastAllocated in small), or says why none fits in kube-scheduler's words.
 */
export function placeVm(nodes: NodeInfo[], request: { cpu: number; memoryMiB: number }): Placement {
  const fits = nodes.filter(
    (n) => n.ready && n.cpu.capacity - n.cpu.allocated >= request.cpu && n.memoryMiB.capacity - n.memoryMiB.allocated >= request.memoryMiB,
  );
  if (fits.length > 0) {
    const free = (n: NodeInfo): number => n.memoryMiB.capacity - n.memoryMiB.allocated;
    const best = fits.reduce((a, b) => (free(b) > free(a) ? b : a));
    return { node: best.name };
  }
  const reasons: string[] = [];
  const notReady = nodes.filter((n) => !n.ready).length;
  const ready = nodes.filter((n) => n.ready);
  const cpu = ready.filter((n) => n.cpu.capacity - n.cpu.allocated < request.cpu).length;
  const memory = ready.filter((n) => n.memoryMiB.capacity - n.memoryMiB.allocated < request.memoryMiB).length;
  if (cpu) reasons.push(`${cpu} Insufficient cpu`);
  if (memory) reasons.push(`${memory} Insufficient memory`);
  if (notReady) reasons.push(`${notReady} node(s) had untolerated taint {node.kubernetes.io/not-ready: }`);
  return { unschedulable: `0/${nodes.length} nodes are available: ${reasons.join(', ')}.` };
}

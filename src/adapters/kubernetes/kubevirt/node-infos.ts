import type { NodeInfo } from '../cluster.port.js';
import type { CustomObject, KubeApi } from './kube-api.js';
import { quantityCpu, quantityMiB } from './quantities.js';

/**
 * Nodes with what the VMs placed on them take: each live VMI counts its vCPUs (sockets x cores x
 * threads) and guest memory, as the port's accounting does, not the launcher pods' overheads.
 */
export async function listNodeInfos(api: KubeApi): Promise<NodeInfo[]> {
  const [nodes, vmis] = await Promise.all([api.listNodes(), api.listCustom('virtualmachineinstances')]);
  return nodes.map((node) => {
    const name = node.metadata?.name ?? '';
    const placed = vmis.items.filter((vmi) => placedOn(vmi, name));
    const capacity = node.status?.allocatable ?? node.status?.capacity ?? {};
    return {
      name,
      cpu: { capacity: quantityCpu(capacity.cpu) ?? 0, allocated: placed.reduce((sum, vmi) => sum + vcpusOf(vmi), 0) },
      memoryMiB: { capacity: quantityMiB(capacity.memory) ?? 0, allocated: placed.reduce((sum, vmi) => sum + guestMiBOf(vmi), 0) },
      ready: node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    };
  });
}

type Domain = { cpu?: { sockets?: number; cores?: number; threads?: number }; memory?: { guest?: string } };

function domainOf(vmi: CustomObject): Domain {
  return ((vmi.spec as { domain?: Domain } | undefined)?.domain ?? {}) as Domain;
}

function placedOn(vmi: CustomObject, node: string): boolean {
  const status = (vmi.status ?? {}) as { nodeName?: string; phase?: string };
  return status.nodeName === node && status.phase !== 'Succeeded' && status.phase !== 'Failed';
}

function vcpusOf(vmi: CustomObject): number {
  const cpu = domainOf(vmi).cpu ?? {};
  return (cpu.sockets ?? 1) * (cpu.cores ?? 1) * (cpu.threads ?? 1);
}

function guestMiBOf(vmi: CustomObject): number {
  return quantityMiB(domainOf(vmi).memory?.guest) ?? 0;
}

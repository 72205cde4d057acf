import { createHash } from 'node:crypto';
import type { NodeInfo } from '../../../adapters/kubernetes/cluster.port.js';
import { isAtLeast, type Microversion } from '../microversion.js';

/** A cluster node as Nova's hypervisor: its place in name order (the integer id before 2.53) and its VMs. */
export interface HypervisorNode {
  node: NodeInfo;
  index: number;
  runningVms: number;
}

/** A UUID (RFC 4122 version 5 layout) derived from the node name: the same on every replica and restart. */
export function hypervisorUuid(nodeName: string): string {
  const h = createHash('sha1').update(`virtplane-hypervisor\u0000${nodeName}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export function hypervisorId(h: HypervisorNode, version: Microversion): number | string {
  return isAtLeast(version, '2.53') ? hypervisorUuid(h.node.name) : h.index + 1;
}

const serviceId = (h: HypervisorNode, version: Microversion): number | string =>
  isAtLeast(version, '2.53') ? hypervisorUuid(`service\u0000${h.node.name}`) : h.index + 1;

export function hypervisorSummary(h: HypervisorNode, version: Microversion) {
  return { hypervisor_hostname: h.node.name, id: hypervisorId(h, version), state: h.node.ready ? 'up' : 'down', status: 'enabled' };
}

const CPU_INFO = { arch: 'x86_64', model: 'host-model', vendor: 'unknown', features: [] as string[], topology: { cores: 1, threads: 1, sockets: 1 } };

/** Nova's hypervisor detail; 2.28 makes cpu_info an object, 2.88 drops the resource fields (placement has them) and adds uptime. */
export function hypervisorDetail(h: HypervisorNode, version: Microversion) {
  const { node } = h;
  const base = {
    ...hypervisorSummary(h, version),
    host_ip: null,
    hypervisor_type: 'QEMU',
    hypervisor_version: 8002000,
    service: { host: node.name, id: serviceId(h, version), disabled_reason: null },
  };
  if (isAtLeast(version, '2.88')) return { ...base, uptime: null };
  const free = node.memoryMiB.capacity - node.memoryMiB.allocated;
  return {
    ...base,
    cpu_info: isAtLeast(version, '2.28') ? { ...CPU_INFO, topology: { ...CPU_INFO.topology, sockets: node.cpu.capacity } } : JSON.stringify(CPU_INFO),
    current_workload: 0,
    disk_available_least: 0,
    free_disk_gb: 0,
    free_ram_mb: free,
    local_gb: 0,
    local_gb_used: 0,
    memory_mb: node.memoryMiB.capacity,
    memory_mb_used: node.memoryMiB.allocated,
    running_vms: h.runningVms,
    vcpus: node.cpu.capacity,
    vcpus_used: node.cpu.allocated,
  };
}

export function hypervisorStatistics(nodes: HypervisorNode[]) {
  const sum = (f: (h: HypervisorNode) => number) => nodes.reduce((n, h) => n + f(h), 0);
  return {
    count: nodes.length,
    current_workload: 0,
    disk_available_least: 0,
    free_disk_gb: 0,
    free_ram_mb: sum((h) => h.node.memoryMiB.capacity - h.node.memoryMiB.allocated),
    local_gb: 0,
    local_gb_used: 0,
    memory_mb: sum((h) => h.node.memoryMiB.capacity),
    memory_mb_used: sum((h) => h.node.memoryMiB.allocated),
    running_vms: sum((h) => h.runningVms),
    vcpus: sum((h) => h.node.cpu.capacity),
    vcpus_used: sum((h) => h.node.cpu.allocated),
  };
}

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SimulatedNode } from '../adapters/kubernetes/simulated-cluster-state.js';
import { SimulatedCluster } from '../adapters/kubernetes/simulated-cluster.js';
import { SimulatedHypervisor } from '../adapters/libvirt/simulated-hypervisor.js';
import type { AppConfig } from '../config/config.schema.js';

export interface Simulation {
  cluster: SimulatedCluster;
  hypervisor: SimulatedHypervisor;
  close(): Promise<void>;
}

export function parseSimNodes(spec: string): SimulatedNode[] {
  return spec.split(',').map((entry) => {
    const [name, cpu, memoryMiB] = entry.split(':');
    return { name: name!, cpu: Number(cpu), memoryMiB: Number(memoryMiB), ready: true };
  });
}

/**
 * CLUSTER_BACKEND=in-process, like Nova's fake driver: a simulated cluster and hypervisor in memory,
 * without live changes. Kept only for the tests that count its side effects; the embedded default is
 * the cluster simulator (infrastructure.ts). Its state is kept under DATA_DIR so that after a restart
 * the cluster still holds the VMs the event store says exist.
 */
export function openSimulation(config: AppConfig): Simulation {
  const dir = join(config.DATA_DIR, 'simulation');
  if (config.SIM_PERSIST) mkdirSync(dir, { recursive: true });
  const file = (name: string) => (config.SIM_PERSIST ? join(dir, name) : undefined);
  const hypervisor = new SimulatedHypervisor({ stateFile: file('hypervisor.json') });
  const cluster = new SimulatedCluster({
    nodes: parseSimNodes(config.SIM_NODES),
    latency: config.SIM_LATENCY_MS,
    domains: hypervisor,
    stateFile: file('cluster.json'),
  });
  return {
    cluster,
    hypervisor,
    async close() {
      cluster.close();
      hypervisor.close();
    },
  };
}

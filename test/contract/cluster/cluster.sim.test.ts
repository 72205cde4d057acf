import { SimulatedCluster } from '../../../src/adapters/kubernetes/simulated-cluster.js';
import { clusterContract } from './cluster.contract.js';

clusterContract('simulation', async ({ nodes }) => {
  const sim = new SimulatedCluster({ nodes: nodes.map((node) => ({ ...node, ready: true })) });
  return {
    cluster: sim,
    namespace: 'tenant-a',
    faults: sim.faults,
    stopOutsideOurControl: async (ref) => sim.simulateStopOutside(ref),
    crash: async (ref) => sim.simulateCrash(ref),
    dispose: async () => sim.close(),
  };
});

clusterContract('simulation with latency', async ({ nodes }) => {
  const sim = new SimulatedCluster({
    nodes: nodes.map((node) => ({ ...node, ready: true })),
    latency: { api: 1, createVmi: 3, schedule: 2, bind: 2, boot: 5, stopVmi: 3, delete: 3 },
  });
  return {
    cluster: sim,
    namespace: 'tenant-b',
    faults: sim.faults,
    stopOutsideOurControl: async (ref) => sim.simulateStopOutside(ref),
    crash: async (ref) => sim.simulateCrash(ref),
    dispose: async () => sim.close(),
  };
});

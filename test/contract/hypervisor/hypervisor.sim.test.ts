import { SimulatedHypervisor } from '../../../src/adapters/libvirt/simulated-hypervisor.js';
import { hypervisorContract } from './hypervisor.contract.js';

const harness = (sim: SimulatedHypervisor) => ({
  hypervisor: sim,
  node: 'node-a',
  faults: sim.faults,
  startDomain: async (definition: Parameters<SimulatedHypervisor['defineDomain']>[0]) => sim.defineDomain(definition),
  shutOffDomain: async (ref: { vmId: string; node: string }) => sim.setDomainState(ref, 'shutoff'),
  removeDomain: async (ref: { vmId: string; node: string }) => sim.undefineDomain(ref),
  setMigrationJob: async (ref: { vmId: string; node: string }, job: Parameters<SimulatedHypervisor['setMigrationJob']>[1]) => sim.setMigrationJob(ref, job),
  dispose: async () => sim.close(),
});

hypervisorContract('simulation', async () => harness(new SimulatedHypervisor()));
hypervisorContract('simulation with latency', async () =>
  harness(new SimulatedHypervisor({ latency: { api: 1, guest: 5 } })),
);

import { SimulatedFabric } from '../../../src/adapters/ovs/simulated-fabric.js';
import { fabricContract } from './fabric.contract.js';

const harness = (sim: SimulatedFabric) => ({ fabric: sim, faults: sim.faults, dispose: async () => sim.close() });

fabricContract('simulation', async () => harness(new SimulatedFabric()));
fabricContract('simulation with latency', async () => harness(new SimulatedFabric({ latency: 1 })));

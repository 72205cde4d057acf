import { SimulatedNodeVif } from '../../../src/adapters/ovs/simulated-node-vif.js';
import { nodeVifContract } from './node-vif.contract.js';

nodeVifContract('simulation', async () => ({ vifs: new SimulatedNodeVif({ bridges: ['br-int', 'br-ex'] }), dispose: async () => undefined }));

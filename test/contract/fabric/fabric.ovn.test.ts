import { OvnFabric } from '../../../src/adapters/ovs/ovn/ovn-fabric.js';
import { OvsdbClient } from '../../../src/adapters/ovs/ovsdb/ovsdb-client.js';
import { OvsdbServers, shouldRunOvsdbTests } from '../../support/ovsdb-servers.js';
import { fabricContract } from './fabric.contract.js';
import { FaultInjectingFabric } from './fault-injecting-fabric.js';

// One pair of private ovsdb-servers for the file; each test starts from an empty northbound database
// (the contract counts every port), emptied by deleting every switch (their ports go with them).
if (shouldRunOvsdbTests()) {
  let servers: OvsdbServers;
  beforeAll(async () => {
    servers = await OvsdbServers.start();
  });
  afterAll(() => servers?.dispose());

  const harness = async (endpoint: () => string) => {
    const admin = await OvsdbClient.connect({ endpoint: servers.socket('nb') });
    await admin.transact('OVN_Northbound', [{ op: 'delete', table: 'Logical_Switch', where: [], mustMatch: false }]);
    admin.close();
    const ovn = await OvnFabric.connect({ endpoint: endpoint() });
    const fabric = new FaultInjectingFabric(ovn);
    return {
      fabric,
      faults: fabric.faults,
      dispose: async () => {
        fabric.faults.clear();
        ovn.close();
      },
    };
  };

  fabricContract('OVN northbound over a unix socket', () => harness(() => servers.socket('nb')));
  fabricContract('OVN northbound over TCP', () => harness(() => servers.tcp('nb')));
} else {
  it.skip('OVN fabric contract: ovsdb-server or ovn-nbctl is not installed, skipped only outside CI (under CI=true it runs and fails)', () => undefined);
}

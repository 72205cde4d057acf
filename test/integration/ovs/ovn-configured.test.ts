import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OvnFabric } from '../../../src/adapters/ovs/ovn/ovn-fabric.js';
import { SimulatedFabric } from '../../../src/adapters/ovs/simulated-fabric.js';
import { openInfrastructure } from '../../../src/app/infrastructure.js';
import { InvalidConfigError, loadConfig } from '../../../src/config/load-config.js';
import { OvsdbServers, shouldRunOvsdbTests } from '../../support/ovsdb-servers.js';

describe('choosing the fabric by configuration', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'virtplane-fabric-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('given no OVN_NB_URL, then the fabric is the in-process simulation', async () => {
    const infrastructure = await openInfrastructure(loadConfig({ DATA_DIR: dataDir, SIM_PERSIST: 'false' }));
    try {
      expect(infrastructure.fabric).toBeInstanceOf(SimulatedFabric);
    } finally {
      await infrastructure.close();
    }
  });

  it('given an OVN_NB_URL that is not an OVSDB endpoint, then the configuration is refused naming it', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir, OVN_NB_URL: 'http://ovn:6641' })).toThrow(InvalidConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir, OVN_NB_URL: 'http://ovn:6641' })).toThrow(/OVN_NB_URL/);
  });

  if (shouldRunOvsdbTests()) {
    describe('with a real OVN northbound', () => {
      let servers: OvsdbServers;
      beforeAll(async () => {
        servers = await OvsdbServers.start();
      });
      afterAll(() => servers?.dispose());

      it('given OVN_NB_URL, then the service drives that database: a switch it ensures is what ovn-nbctl lists', async () => {
        const infrastructure = await openInfrastructure(
          loadConfig({ DATA_DIR: dataDir, SIM_PERSIST: 'false', OVN_NB_URL: servers.socket('nb') }),
        );
        try {
          expect(infrastructure.fabric).toBeInstanceOf(OvnFabric);
          const id = randomUUID();
          await infrastructure.fabric.ensureLogicalSwitch({ id, name: 'configured', cidrs: ['10.40.0.0/24'], excludeIps: [] });

          expect(await servers.nbctl('--bare', '--columns=name', 'list', 'Logical_Switch')).toContain(id);
        } finally {
          await infrastructure.close();
        }
      });
    });
  }
});

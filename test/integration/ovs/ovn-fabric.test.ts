import { randomUUID } from 'node:crypto';
import type { LogicalSwitchSpec, PortSpec } from '../../../src/adapters/ovs/fabric.port.js';
import { OvnFabric } from '../../../src/adapters/ovs/ovn/ovn-fabric.js';
import { OvsdbClient, type TableUpdates } from '../../../src/adapters/ovs/ovsdb/ovsdb-client.js';
import { decodeStringMap, decodeStringSet } from '../../../src/adapters/ovs/ovsdb/ovsdb-encoding.js';
import { eventually } from '../../support/eventually.js';
import { OvsdbServers, shouldRunOvsdbTests } from '../../support/ovsdb-servers.js';

/** What ovn-nbctl (an independent reader) sees of one row: column -> value in its JSON notation. */
async function nbRow(servers: OvsdbServers, table: string, record: string, columns: string[]): Promise<Record<string, unknown>> {
  const out = JSON.parse(await servers.nbctl('--format=json', `--columns=${columns.join(',')}`, 'list', table, record)) as { data: unknown[][]; headings: string[] };
  expect(out.data).toHaveLength(1);
  return Object.fromEntries(out.headings.map((h, i) => [h, out.data[0]![i]]));
}

if (shouldRunOvsdbTests()) {
  describe('OVN fabric against a real OVN northbound ovsdb-server', () => {
    let servers: OvsdbServers;
    let fabric: OvnFabric;
    let network: LogicalSwitchSpec;
    beforeAll(async () => {
      servers = await OvsdbServers.start();
    });
    afterAll(() => servers?.dispose());
    beforeEach(async () => {
      fabric = await OvnFabric.connect({ endpoint: servers.socket('nb'), requestTimeoutMs: 5_000 });
      network = { id: randomUUID(), name: 'tenant-net', cidrs: ['10.30.0.0/24', 'fd00:30::/64'], excludeIps: ['10.30.0.1', '10.30.0.200..10.30.0.254'] };
      await fabric.ensureLogicalSwitch(network);
    });
    afterEach(() => fabric.close());

    const port = (overrides: Partial<PortSpec> = {}): PortSpec => ({
      portId: randomUUID(),
      switchId: network.id,
      mac: '02:00:00:30:00:05',
      ips: ['10.30.0.5', 'fd00:30::5'],
      vmId: randomUUID(),
      chassis: 'node-a',
      ...overrides,
    });

    it('given a dual-stack network, when ensured, then ovn-nbctl sees subnet, ipv6_prefix, exclude_ips and our id', async () => {
      const row = await nbRow(servers, 'Logical_Switch', `vp-${network.id}`, ['other_config', 'external_ids']);
      expect(decodeStringMap(row.other_config)).toEqual({ subnet: '10.30.0.0/24', ipv6_prefix: 'fd00:30::', exclude_ips: '10.30.0.1 10.30.0.200..10.30.0.254' });
      expect(decodeStringMap(row.external_ids)).toMatchObject({ 'virtplane:network-id': network.id, 'virtplane:network-name': 'tenant-net' });
    });

    it('given the subnet changed from outside by ovn-nbctl, when the network is ensured again, then it is repaired and other keys stay', async () => {
      await servers.nbctl('set', 'Logical_Switch', `vp-${network.id}`, 'other_config:subnet=192.168.0.0/16', 'other_config:mcast_snoop=true');
      await fabric.ensureLogicalSwitch(network);
      const row = await nbRow(servers, 'Logical_Switch', `vp-${network.id}`, ['other_config']);
      expect(decodeStringMap(row.other_config)).toMatchObject({ subnet: '10.30.0.0/24', mcast_snoop: 'true' });
    });

    it('given a port, when created, updated, moved and deleted, then ovn-nbctl sees each state', async () => {
      const spec = port();
      await fabric.ensurePort(spec);
      let row = await nbRow(servers, 'Logical_Switch_Port', spec.portId, ['addresses', 'port_security', 'options', 'external_ids']);
      expect(decodeStringSet(row.addresses)).toEqual(['02:00:00:30:00:05 10.30.0.5 fd00:30::5']);
      expect(decodeStringSet(row.port_security)).toEqual(['02:00:00:30:00:05 10.30.0.5 fd00:30::5']);
      expect(decodeStringMap(row.options)).toEqual({ 'requested-chassis': 'node-a' });
      expect(decodeStringMap(row.external_ids)).toEqual({ 'virtplane:port-id': spec.portId, 'virtplane:network-id': network.id, 'virtplane:vm-id': spec.vmId });
      expect((await servers.nbctl('lsp-list', `vp-${network.id}`)).trim()).toContain(spec.portId);

      await fabric.ensurePort({ ...spec, mac: '02:00:00:30:00:06', ips: ['10.30.0.6'] });
      row = await nbRow(servers, 'Logical_Switch_Port', spec.portId, ['addresses', 'port_security']);
      expect(decodeStringSet(row.addresses)).toEqual(['02:00:00:30:00:06 10.30.0.6']);
      expect(decodeStringSet(row.port_security)).toEqual(['02:00:00:30:00:06 10.30.0.6']);

      // Live migration moves the binding; an option set by someone else stays.
      await servers.nbctl('lsp-set-options', spec.portId, 'requested-chassis=node-a', 'mcast_flood=true');
      await fabric.setPortChassis(spec.portId, 'node-b');
      expect((await servers.nbctl('get', 'Logical_Switch_Port', spec.portId, 'options:requested-chassis')).trim()).toBe('node-b');
      expect((await servers.nbctl('get', 'Logical_Switch_Port', spec.portId, 'options:mcast_flood')).trim()).toBe('"true"');
      await fabric.setPortChassis(spec.portId, null);
      expect(decodeStringMap((await nbRow(servers, 'Logical_Switch_Port', spec.portId, ['options'])).options)).toEqual({ mcast_flood: 'true' });

      await fabric.deletePort(spec.portId);
      expect((await servers.nbctl('lsp-list', `vp-${network.id}`)).trim()).toBe('');
      await expect(servers.nbctl('list', 'Logical_Switch_Port', spec.portId)).rejects.toThrow(/no row/);
    });

    it('given a live migration, when begun and finished, then ovn-nbctl sees both nodes with rarp activation, then the target alone', async () => {
      const spec = port();
      await fabric.ensurePort(spec);
      await fabric.beginPortMigration(spec.portId, 'node-b');
      expect(decodeStringMap((await nbRow(servers, 'Logical_Switch_Port', spec.portId, ['options'])).options)).toEqual({
        'requested-chassis': 'node-a,node-b',
        'activation-strategy': 'rarp',
      });
      await fabric.setPortChassis(spec.portId, 'node-b');
      expect(decodeStringMap((await nbRow(servers, 'Logical_Switch_Port', spec.portId, ['options'])).options)).toEqual({ 'requested-chassis': 'node-b' });
    });

    it('given every operation repeated, when run twice, then the second changes nothing (the transaction count stays)', async () => {
      const spec = port();
      const client = await OvsdbClient.connect({ endpoint: servers.socket('nb') });
      const changes: TableUpdates[] = [];
      await client.monitor('OVN_Northbound', { Logical_Switch: { columns: ['ports', 'other_config'] }, Logical_Switch_Port: { columns: ['addresses', 'options'] } }, (u, initial) => {
        if (!initial) changes.push(u);
      });
      try {
        await fabric.ensureLogicalSwitch(network);
        await fabric.ensurePort(spec);
        await fabric.setPortChassis(spec.portId, 'node-b');
        await eventually(() => expect(changes).toHaveLength(2));
        await fabric.ensureLogicalSwitch(network);
        await fabric.ensurePort({ ...spec, chassis: 'node-b' });
        await fabric.setPortChassis(spec.portId, 'node-b');
        await client.request('list_dbs', []);
        expect(changes).toHaveLength(2);
      } finally {
        client.close();
      }
    });

    it('given a port changed from outside by ovn-nbctl, when ensured again, then the drift is repaired', async () => {
      const spec = port();
      await fabric.ensurePort(spec);
      await servers.nbctl('lsp-set-addresses', spec.portId, '02:00:00:99:99:99 10.30.0.99', '--', 'lsp-set-port-security', spec.portId);
      expect((await fabric.getPort(spec.portId))?.mac).toBe('02:00:00:99:99:99');
      await fabric.ensurePort(spec);
      const row = await nbRow(servers, 'Logical_Switch_Port', spec.portId, ['addresses', 'port_security']);
      expect(decodeStringSet(row.addresses)).toEqual(['02:00:00:30:00:05 10.30.0.5 fd00:30::5']);
      expect(decodeStringSet(row.port_security)).toEqual(['02:00:00:30:00:05 10.30.0.5 fd00:30::5']);
    });

    it('given the server restarts mid-test, when the next operations run, then the client has reconnected and they apply', async () => {
      const spec = port();
      await fabric.ensurePort(spec);
      await servers.restartServer('nb');
      await fabric.setPortChassis(spec.portId, 'node-c');
      expect(await fabric.getPort(spec.portId)).toMatchObject({ chassis: 'node-c' });
      await fabric.deletePort(spec.portId);
      expect(await fabric.getPort(spec.portId)).toBeNull();
    });

    it('given many ports ensured at once on one switch, when they race, then each exists once with its own addresses', async () => {
      const specs = Array.from({ length: 20 }, (_, i) => port({ mac: `02:00:00:31:00:${(i + 16).toString(16)}`, ips: [`10.30.0.${i + 20}`] }));
      await Promise.all(specs.map((s) => fabric.ensurePort(s)));
      const listed = await fabric.listPorts(network.id);
      expect(listed.map((p) => p.portId).sort()).toEqual(specs.map((s) => s.portId).sort());
      expect((await servers.nbctl('lsp-list', `vp-${network.id}`)).trim().split('\n')).toHaveLength(20);
    });
  });
} else {
  it.skip('OVN fabric integration: ovsdb-server or ovn-nbctl is not installed, skipped only outside CI (under CI=true it runs and fails)', () => undefined);
}

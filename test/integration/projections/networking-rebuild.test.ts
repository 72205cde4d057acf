import { ProjectionRunner } from '../../../src/projections/projection-runner.js';
import { NetworksProjection, PortsProjection, SubnetsProjection } from '../../../src/projections/networking/networks.projection.js';
import { getNetwork, getNetworkIpAvailability, getPort, listPorts, listSubnets } from '../../../src/projections/networking/networking.queries.js';
import { rebuildProjections } from '../../../src/projections/rebuild.js';
import { appendEventLog } from '../../fixtures/event-log.js';
import { networkingEventLog } from './networking-event-log.js';
import { backends, type Backend } from './read-model-harness.js';

const projections = () => [new NetworksProjection(), new SubnetsProjection(), new PortsProjection()];

async function dump(backend: Backend): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of ['networks', 'subnets', 'ports']) out[table] = await backend.db.query(`SELECT * FROM ${table} ORDER BY id`);
  return out;
}

describe.each(await backends())('networking read models (%s)', (_dialect, open) => {
  let backend: Backend;
  beforeEach(async () => {
    backend = await open();
  });
  afterEach(async () => {
    await backend.close();
  });

  it('given networks, subnets and ports folded live in small batches, when rebuilt from position 0, then every row is identical', async () => {
    const log = networkingEventLog();
    const runner = new ProjectionRunner({ db: backend.db, store: backend.store, projections: projections(), batchSize: 3, retryDelayMs: 10 });
    await runner.start();
    for (let i = 0; i < log.length; i += 4) {
      await appendEventLog(backend.store, log.slice(i, i + 4));
      await runner.waitForPosition(Math.min(i + 4, log.length) - 1, 2000);
    }
    const head = await backend.store.headPosition();
    expect(await runner.waitForPosition(head, 5000)).toBe(true);
    await runner.stop();
    const incremental = await dump(backend);
    expect(incremental.networks).toHaveLength(2);
    expect(incremental.subnets).toHaveLength(3);
    expect(incremental.ports).toHaveLength(3);

    await rebuildProjections({ db: backend.db, store: backend.store, projections: projections(), names: 'all', batchSize: 1000 });

    expect(await dump(backend)).toEqual(incremental);
  });

  it('given the log, then the read models show what Neutron would: counts, phases, status, vif types, and deleted ones hidden', async () => {
    const runner = new ProjectionRunner({ db: backend.db, store: backend.store, projections: projections(), batchSize: 1000, retryDelayMs: 10 });
    await runner.start();
    await appendEventLog(backend.store, networkingEventLog());
    expect(await runner.waitForPosition(await backend.store.headPosition(), 5000)).toBe(true);
    await runner.stop();

    expect(await getNetwork(backend.db, 'net-2')).toBeUndefined();
    expect(await getNetwork(backend.db, 'net-1')).toMatchObject({ name: 'edge', shared: true, mtu: 1400, portCount: 2, subnets: [{ subnetId: 's4' }, { subnetId: 's6' }] });
    expect((await listSubnets(backend.db, { networkId: 'net-1' })).map((s) => [s.id, s.usedIps, s.totalIps])).toEqual([
      ['s4', 2, '190'],
      ['s6', 2, (2n ** 64n - 2n).toString()],
    ]);
    expect(await getNetworkIpAvailability(backend.db, 'net-1')).toMatchObject({ usedIps: 4, totalIps: (2n ** 64n - 2n + 190n).toString() });
    expect(await getPort(backend.db, 'pa')).toMatchObject({ name: 'nic0', phase: 'bound', status: 'ACTIVE', vifType: 'ovs', deviceId: 'vm-1', hostId: 'node-2', securityGroups: ['sg-1'] });
    expect(await getPort(backend.db, 'pb')).toMatchObject({ phase: 'unbound', status: 'DOWN', vifType: 'unbound', deviceId: '', fixedIps: [{ subnetId: 's4', ipAddress: '10.0.0.100' }, { subnetId: 's6', ipAddress: '2001:db8::3' }] });
    expect(await getPort(backend.db, 'pc')).toBeUndefined();
    expect((await listPorts(backend.db, { deviceId: 'vm-1' })).map((p) => p.id)).toEqual(['pa']);
  });
});

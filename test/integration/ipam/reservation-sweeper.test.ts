import { ReservationSweeper } from '../../../src/handlers/networking/reservation-sweeper.js';
import { NetworkingStreams } from '../../../src/handlers/networking/networking-streams.js';
import { SYSTEM_ACTOR } from '../../../src/handlers/shared/command-metadata.js';
import { READ_MODEL_DB } from '../../../src/app/tokens.js';
import type { SqlDatabase } from '../../../src/adapters/sql/sql-database.js';
import { startCatalogueApp, type CatalogueApp } from '../flavors/catalogue-app.js';

const meta = { requestId: 'req-00000000-0000-4000-8000-0000000000bb', actor: SYSTEM_ACTOR };

/**
 * The sweeper frees what a port create that died between its reservations and CreatePort left held
 * (the state a crash there leaves: MAC and address reserved under a port id with no stream), after
 * its grace period, and what a delete cut short after PortDeleted left held, at once; a live port's
 * and a create in flight (within the grace) are left alone.
 */
describe('reservation sweeper', () => {
  let c: CatalogueApp;
  let streams: NetworkingStreams;
  let clock = 0;
  let sweeper: ReservationSweeper;
  let net: { id: string; project_id: string };
  let sub: { id: string };
  beforeAll(async () => {
    c = await startCatalogueApp();
    streams = c.t.app.get(NetworkingStreams);
    sweeper = new ReservationSweeper({ db: c.t.app.get<SqlDatabase>(READ_MODEL_DB), streams, graceMs: 60_000, now: () => clock, meta: () => meta });
    net = (await c.call('POST', '/network/v2.0/networks', c.demo, { network: { name: 'swept' } })).json().network;
    sub = (await c.call('POST', '/network/v2.0/subnets', c.demo, { subnet: { network_id: net.id, cidr: '10.95.0.0/24', ip_version: 4 } })).json().subnet;
  });
  afterAll(async () => {
    await c?.close();
  });

  const holders = async () => ({
    ips: [...(await streams.loadSubnet(sub.id))!.byPort.entries()].map(([portId, ips]) => `${portId}=${ips.join(',')}`).sort(),
    macs: [...(await streams.loadNetwork(net.id))!.macs.entries()].map(([mac, h]) => `${h.portId}=${mac}`).sort(),
  });

  it('given a create that died after its reservations, a delete cut short and a live port, when swept before and after the grace, then only the dead ones are freed, each in its time', async () => {
    const live = (await c.call('POST', '/network/v2.0/ports', c.demo, { port: { network_id: net.id, fixed_ips: [{ ip_address: '10.95.0.10' }] } })).json().port;
    const halfDeleted = (await c.call('POST', '/network/v2.0/ports', c.demo, { port: { network_id: net.id, fixed_ips: [{ ip_address: '10.95.0.11' }] } })).json().port;
    await streams.port({ type: 'DeletePort', data: { portId: halfDeleted.id } }, meta);
    const crashed = '0f5e3c1a-7b2d-4e8f-9a6c-00000000dead';
    await streams.network({ type: 'ReserveMac', data: { networkId: net.id, portId: crashed, projectId: net.project_id, macAddress: 'fa:16:3e:de:ad:01' } }, meta);
    await streams.subnet({ type: 'AllocateIp', data: { subnetId: sub.id, portId: crashed, ipAddress: '10.95.0.12' } }, meta);

    clock = 1_000;
    expect(await sweeper.sweep()).toEqual({ releasedIps: 1, releasedMacs: 1 });
    expect(await holders()).toEqual({
      ips: [`${crashed}=10.95.0.12`, `${live.id}=10.95.0.10`].sort(),
      macs: [`${crashed}=fa:16:3e:de:ad:01`, `${live.id}=${live.mac_address}`].sort(),
    });

    clock = 30_000;
    expect(await sweeper.sweep()).toEqual({ releasedIps: 0, releasedMacs: 0 });
    clock = 61_001;
    expect(await sweeper.sweep()).toEqual({ releasedIps: 1, releasedMacs: 1 });
    expect(await holders()).toEqual({ ips: [`${live.id}=10.95.0.10`], macs: [`${live.id}=${live.mac_address}`] });
    // Both addresses can be taken again.
    for (const ip of ['10.95.0.11', '10.95.0.12']) {
      expect((await c.call('POST', '/network/v2.0/ports', c.demo, { port: { network_id: net.id, fixed_ips: [{ ip_address: ip }] } })).status).toBe(201);
    }
    expect(await sweeper.sweep()).toEqual({ releasedIps: 0, releasedMacs: 0 });
  });

  it('given an orphan that its create completes within the grace, then it is never freed', async () => {
    const portId = '0f5e3c1a-7b2d-4e8f-9a6c-00000000a11e';
    await streams.network({ type: 'ReserveMac', data: { networkId: net.id, portId, projectId: net.project_id, macAddress: 'fa:16:3e:de:ad:02' } }, meta);
    clock = 100_000;
    await sweeper.sweep();
    await streams.port({ type: 'CreatePort', data: { portId, networkId: net.id, projectId: net.project_id, macAddress: 'fa:16:3e:de:ad:02', fixedIps: [] } }, meta);
    clock = 500_000;
    expect(await sweeper.sweep()).toEqual({ releasedIps: 0, releasedMacs: 0 });
    expect((await streams.loadNetwork(net.id))!.macs.get('fa:16:3e:de:ad:02')).toEqual({ portId, projectId: net.project_id });
  });
});

import { createHash } from 'node:crypto';
import { CommandWriter } from '../../../src/api/shared/command-writer.js';
import { generatedMac } from '../../../src/domain/ip/mac-address.js';
import { CreatePortCommand, DeletePortCommand } from '../../../src/handlers/networking/networking-flows.command.js';
import { NetworkingStreams } from '../../../src/handlers/networking/networking-streams.js';
import { SYSTEM_ACTOR } from '../../../src/handlers/shared/command-metadata.js';
import { startCatalogueApp, type CatalogueApp } from '../flavors/catalogue-app.js';

const meta = { requestId: 'req-00000000-0000-4000-8000-0000000000aa', actor: SYSTEM_ACTOR };

/** What a crash in the middle of port create or delete leaves, and how the next attempt finishes it. */
describe('port create and delete cut short', () => {
  let c: CatalogueApp;
  let streams: NetworkingStreams;
  let writer: CommandWriter;
  let net: { id: string; project_id: string };
  let sub: { id: string };
  beforeAll(async () => {
    c = await startCatalogueApp();
    streams = c.t.app.get(NetworkingStreams);
    writer = c.t.app.get(CommandWriter);
    net = (await c.call('POST', '/network/v2.0/networks', c.demo, { network: { name: 'recovery' } })).json().network;
    sub = (await c.call('POST', '/network/v2.0/subnets', c.demo, { subnet: { network_id: net.id, cidr: '10.90.0.0/24', ip_version: 4 } })).json().subnet;
  });
  afterAll(async () => {
    await c?.close();
  });

  const used = async () => (await streams.loadSubnet(sub.id))!.allocations.size;

  it('given a create that reserved its MAC and address and then died, when it is retried with the same port id, then the same port completes with nothing taken twice', async () => {
    const portId = '0f5e3c1a-7b2d-4e8f-9a6c-1d2e3f4a5b6c';
    const digest = createHash('sha256').update(portId).digest();
    const mac = generatedMac([digest[0]!, digest[1]!, digest[2]!]);
    // The first attempt: the MAC and a pool address reserved, then the process died before CreatePort.
    await streams.network({ type: 'ReserveMac', data: { networkId: net.id, portId, projectId: net.project_id, macAddress: mac } }, meta);
    await streams.subnet({ type: 'AllocateIp', data: { subnetId: sub.id, portId, ipAddress: null } }, meta);
    const before = await used();

    await writer.execute(new CreatePortCommand({ portId, networkId: net.id, projectId: net.project_id }, meta));

    const port = (await c.call('GET', `/network/v2.0/ports/${portId}`, c.demo)).json().port;
    expect(port.mac_address).toBe(mac);
    expect(port.fixed_ips).toEqual([{ subnet_id: sub.id, ip_address: '10.90.0.2' }]);
    expect(await used()).toBe(before);
    expect((await streams.loadNetwork(net.id))!.macs.size).toBe(1);
  });

  it('given a delete that recorded PortDeleted and then died, when the port is deleted again, then its address and MAC are released and the answer is 404', async () => {
    const created = (await c.call('POST', '/network/v2.0/ports', c.demo, { port: { network_id: net.id } })).json().port;
    const before = await used();
    // The first attempt: only PortDeleted was appended.
    await streams.port({ type: 'DeletePort', data: { portId: created.id } }, meta);
    expect(await used()).toBe(before);

    await expect(writer.execute(new DeletePortCommand(created.id, meta))).rejects.toThrow(/could not be found/);

    expect(await used()).toBe(before - 1);
    expect((await streams.loadNetwork(net.id))!.macs.get(created.mac_address)).toBeUndefined();
  });

  it('given a port delete cut short, when the network is deleted, then it forgets the dead port\'s MAC and the deleted subnet and deletes', async () => {
    const other = (await c.call('POST', '/network/v2.0/networks', c.demo, { network: { name: 'recovery-2' } })).json().network;
    const s = (await c.call('POST', '/network/v2.0/subnets', c.demo, { subnet: { network_id: other.id, cidr: '10.91.0.0/24', ip_version: 4 } })).json().subnet;
    const p = (await c.call('POST', '/network/v2.0/ports', c.demo, { port: { network_id: other.id, fixed_ips: [] } })).json().port;
    await streams.port({ type: 'DeletePort', data: { portId: p.id } }, meta);
    await streams.subnet({ type: 'DeleteSubnet', data: { subnetId: s.id } }, meta);

    expect((await c.call('DELETE', `/network/v2.0/networks/${other.id}`, c.demo)).status).toBe(204);
  });
});

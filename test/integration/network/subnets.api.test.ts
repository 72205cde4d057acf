import { startCatalogueApp, type CatalogueApp } from '../flavors/catalogue-app.js';

const NETWORKS = '/network/v2.0/networks';
const SUBNETS = '/network/v2.0/subnets';
const PORTS = '/network/v2.0/ports';

describe('network API: subnets (the IPAM)', () => {
  let c: CatalogueApp;
  beforeAll(async () => {
    c = await startCatalogueApp();
  });
  afterAll(async () => {
    await c?.close();
  });

  const network = async (as: Record<string, string>, name: string) => (await c.call('POST', NETWORKS, as, { network: { name } })).json().network as { id: string; project_id: string };
  const subnet = (as: Record<string, string>, body: Record<string, unknown>) => c.call('POST', SUBNETS, as, { subnet: body });

  it('given a network, when an IPv4 subnet is created with defaults, then gateway is the first host and the pool the rest; the network lists it', async () => {
    const net = await network(c.demo, 'v4-net');
    const res = await subnet(c.demo, { network_id: net.id, cidr: '10.20.0.0/24', ip_version: 4, name: 's4' });
    expect(res.status).toBe(201);
    const s = res.json().subnet;
    expect(s).toMatchObject({
      name: 's4', network_id: net.id, cidr: '10.20.0.0/24', ip_version: 4, gateway_ip: '10.20.0.1', allocation_pools: [{ start: '10.20.0.2', end: '10.20.0.254' }],
      host_routes: [], dns_nameservers: [], enable_dhcp: true, ipv6_ra_mode: null, ipv6_address_mode: null, subnetpool_id: null, tags: [], project_id: net.project_id,
    });
    expect((await c.call('GET', `${NETWORKS}/${net.id}`, c.demo)).json().network.subnets).toEqual([s.id]);
    expect((await c.call('GET', `${SUBNETS}/${s.id}`, c.reader)).json().subnet).toEqual(s);
    expect((await c.call('GET', `${SUBNETS}?network_id=${net.id}`, c.demo)).json().subnets.map((x: { id: string }) => x.id)).toEqual([s.id]);
    expect((await c.call('GET', `${SUBNETS}?ip_version=6&network_id=${net.id}`, c.demo)).json().subnets).toEqual([]);
  });

  it('given one network, when an IPv4 and an IPv6 subnet are created, then dual stack; a second IPv4 subnet is 409', async () => {
    const net = await network(c.demo, 'dual');
    expect((await subnet(c.demo, { network_id: net.id, cidr: '10.30.0.0/24', ip_version: 4 })).status).toBe(201);
    const v6 = await subnet(c.demo, { network_id: net.id, cidr: 'fd00:30::/64', ip_version: 6, dns_nameservers: ['fd00:30::53'] });
    expect(v6.status).toBe(201);
    expect(v6.json().subnet).toMatchObject({ ip_version: 6, gateway_ip: 'fd00:30::1', dns_nameservers: ['fd00:30::53'] });
    const second = await subnet(c.demo, { network_id: net.id, cidr: '10.31.0.0/24', ip_version: 4 });
    expect(second.status).toBe(409);
    expect(second.json().NeutronError.type).toBe('SubnetVersionTaken');
  });

  it('given bad subnet bodies, then 400 (bad CIDR, version mismatch, gateway outside, unknown attribute) or 409 (gateway inside the pools)', async () => {
    const net = await network(c.demo, 'bad-bodies');
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ network_id: net.id, cidr: '10.40.0.5/24', ip_version: 4 }, 400, 'InvalidInput'],
      [{ network_id: net.id, cidr: 'fd00::/64', ip_version: 4 }, 400, 'InvalidInput'],
      [{ network_id: net.id, cidr: '10.40.0.0/24', ip_version: 4, gateway_ip: '10.41.0.1' }, 400, 'InvalidInput'],
      [{ network_id: net.id, cidr: '10.40.0.0/24', ip_version: 4, colour: 'red' }, 400, 'HTTPBadRequest'],
      [{ network_id: net.id, cidr: '10.40.0.0/24', ip_version: 5 }, 400, 'HTTPBadRequest'],
      [{ network_id: net.id, cidr: '10.40.0.0/24', ip_version: 4, gateway_ip: '10.40.0.10', allocation_pools: [{ start: '10.40.0.2', end: '10.40.0.100' }] }, 409, 'GatewayConflictWithAllocationPools'],
    ];
    for (const [body, status, type] of cases) {
      const res = await subnet(c.demo, body);
      expect({ body, status: res.status, type: res.json().NeutronError?.type }).toEqual({ body, status, type });
    }
    expect((await c.call('GET', `${NETWORKS}/${net.id}`, c.demo)).json().network.subnets).toEqual([]);
  });

  it('given another project\'s network, when a subnet is put on it, then 404; a reader is 403; another project\'s subnet is 404', async () => {
    const other = await network(c.demo2, 'demo2-net');
    const res = await subnet(c.demo, { network_id: other.id, cidr: '10.50.0.0/24', ip_version: 4 });
    expect(res.status).toBe(404);
    expect(res.json().NeutronError.type).toBe('NetworkNotFound');
    const own = await network(c.demo, 'reader-target');
    expect((await subnet(c.reader, { network_id: own.id, cidr: '10.51.0.0/24', ip_version: 4 })).status).toBe(403);
    const s2 = (await subnet(c.demo2, { network_id: other.id, cidr: '10.52.0.0/24', ip_version: 4 })).json().subnet;
    const hidden = await c.call('GET', `${SUBNETS}/${s2.id}`, c.demo);
    expect(hidden.status).toBe(404);
    expect(hidden.json().NeutronError).toEqual({ type: 'SubnetNotFound', message: `Subnet ${s2.id} could not be found.`, detail: '' });
  });

  it('given a subnet, when updated, then name and nameservers change; an excluded gateway move into the pools is 409', async () => {
    const net = await network(c.demo, 'update-net');
    const s = (await subnet(c.demo, { network_id: net.id, cidr: '10.60.0.0/24', ip_version: 4 })).json().subnet;
    const res = await c.call('PUT', `${SUBNETS}/${s.id}`, c.demo, { subnet: { name: 'renamed', dns_nameservers: ['1.1.1.1'] } });
    expect(res.status).toBe(200);
    expect(res.json().subnet).toMatchObject({ name: 'renamed', dns_nameservers: ['1.1.1.1'] });
    const clash = await c.call('PUT', `${SUBNETS}/${s.id}`, c.demo, { subnet: { gateway_ip: '10.60.0.20' } });
    expect(clash.status).toBe(409);
  });

  it('given a subnet with a port, when the subnet or its network is deleted, then 409; after the port goes, the network deletes with its subnet (as Neutron)', async () => {
    const net = await network(c.demo, 'in-use');
    const s = (await subnet(c.demo, { network_id: net.id, cidr: '10.70.0.0/24', ip_version: 4 })).json().subnet;
    const port = (await c.call('POST', PORTS, c.demo, { port: { network_id: net.id } })).json().port;
    const subnetInUse = await c.call('DELETE', `${SUBNETS}/${s.id}`, c.demo);
    expect(subnetInUse.status).toBe(409);
    expect(subnetInUse.json().NeutronError.type).toBe('SubnetInUse');
    const networkInUse = await c.call('DELETE', `${NETWORKS}/${net.id}`, c.demo);
    expect(networkInUse.status).toBe(409);
    expect(networkInUse.json().NeutronError.type).toBe('NetworkInUse');
    expect((await c.call('DELETE', `${PORTS}/${port.id}`, c.demo)).status).toBe(204);
    expect((await c.call('DELETE', `${NETWORKS}/${net.id}`, c.demo)).status).toBe(204);
    expect((await c.call('GET', `${SUBNETS}/${s.id}`, c.demo)).status).toBe(404);
    expect((await c.call('GET', `${SUBNETS}?network_id=${net.id}`, c.admin)).json().subnets).toEqual([]);
  });

  it('given a subnet without ports, when deleted, then 204 and the network no longer lists it', async () => {
    const net = await network(c.demo, 'subnet-delete');
    const s = (await subnet(c.demo, { network_id: net.id, cidr: '10.71.0.0/24', ip_version: 4 })).json().subnet;
    expect((await c.call('DELETE', `${SUBNETS}/${s.id}`, c.reader)).status).toBe(403);
    expect((await c.call('DELETE', `${SUBNETS}/${s.id}`, c.demo)).status).toBe(204);
    expect((await c.call('GET', `${NETWORKS}/${net.id}`, c.demo)).json().network.subnets).toEqual([]);
    expect((await c.call('DELETE', `${SUBNETS}/${s.id}`, c.demo)).status).toBe(404);
  });

  it('given subnets, when the admin asks for IP availability, then used and total per subnet and network; members are refused', async () => {
    const net = await network(c.demo, 'availability');
    const s = (await subnet(c.demo, { network_id: net.id, cidr: '10.80.0.0/28', ip_version: 4 })).json().subnet;
    await c.call('POST', PORTS, c.demo, { port: { network_id: net.id } });
    await c.call('POST', PORTS, c.demo, { port: { network_id: net.id } });
    const shown = await c.call('GET', `/network/v2.0/network-ip-availabilities/${net.id}`, c.admin);
    expect(shown.status).toBe(200);
    expect(shown.json().network_ip_availability).toEqual({
      network_id: net.id, network_name: 'availability', project_id: net.project_id, tenant_id: net.project_id, used_ips: 2, total_ips: 13,
      subnet_ip_availability: [{ subnet_id: s.id, subnet_name: '', cidr: '10.80.0.0/28', ip_version: 4, used_ips: 2, total_ips: 13 }],
    });
    const listed = (await c.call('GET', `/network/v2.0/network-ip-availabilities?network_id=${net.id}`, c.admin)).json().network_ip_availabilities;
    expect(listed).toEqual([shown.json().network_ip_availability]);
    const v6Only = (await c.call('GET', `/network/v2.0/network-ip-availabilities?network_id=${net.id}&ip_version=6`, c.admin)).json().network_ip_availabilities;
    expect(v6Only).toEqual([]);
    expect((await c.call('GET', '/network/v2.0/network-ip-availabilities', c.demo)).status).toBe(403);
    expect((await c.call('GET', '/network/v2.0/network-ip-availabilities/00000000-0000-4000-8000-000000000000', c.admin)).status).toBe(404);
  });
});

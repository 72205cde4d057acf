import { ExecutePortCommand } from '../../../src/handlers/networking/execute-port-command.command.js';
import { SYSTEM_ACTOR } from '../../../src/handlers/shared/command-metadata.js';
import { CommandWriter } from '../../../src/api/shared/command-writer.js';
import { startCatalogueApp, type CatalogueApp } from '../flavors/catalogue-app.js';

const NETWORKS = '/network/v2.0/networks';
const SUBNETS = '/network/v2.0/subnets';
const PORTS = '/network/v2.0/ports';
const PORT_KEYS = [
  'admin_state_up', 'allowed_address_pairs', 'binding:host_id', 'binding:profile', 'binding:vif_details', 'binding:vif_type', 'binding:vnic_type', 'created_at',
  'description', 'device_id', 'device_owner', 'extra_dhcp_opts', 'fixed_ips', 'id', 'ip_allocation', 'mac_address', 'name', 'network_id', 'port_security_enabled',
  'project_id', 'propagate_uplink_status', 'revision_number', 'security_groups', 'status', 'tags', 'tenant_id', 'updated_at',
];

describe('network API: ports (NicPorts)', () => {
  let c: CatalogueApp;
  let net: { id: string };
  let v4: { id: string };
  let v6: { id: string };
  beforeAll(async () => {
    c = await startCatalogueApp();
    net = (await c.call('POST', NETWORKS, c.demo, { network: { name: 'ports-net' } })).json().network;
    v4 = (await c.call('POST', SUBNETS, c.demo, { subnet: { network_id: net.id, cidr: '10.20.0.0/24', ip_version: 4, name: 's4' } })).json().subnet;
    v6 = (await c.call('POST', SUBNETS, c.demo, { subnet: { network_id: net.id, cidr: 'fd00:20::/64', ip_version: 6, name: 's6' } })).json().subnet;
  });
  afterAll(async () => {
    await c?.close();
  });

  const create = (as: Record<string, string>, port: Record<string, unknown>) => c.call('POST', PORTS, as, { port });
  const used = async () => (await c.call('GET', `/network/v2.0/network-ip-availabilities/${net.id}`, c.admin)).json().network_ip_availability.used_ips as number;

  it('given a dual-stack network, when a port is created without fixed_ips, then one address of each family, a generated MAC, DOWN and unbound', async () => {
    const res = await create(c.demo, { network_id: net.id, name: 'p-auto' });
    expect(res.status).toBe(201);
    const port = res.json().port;
    expect(Object.keys(port).sort()).toEqual(PORT_KEYS);
    expect(port).toMatchObject({
      name: 'p-auto', network_id: net.id, status: 'DOWN', admin_state_up: true, device_id: '', device_owner: '', 'binding:vnic_type': 'normal',
      'binding:vif_type': 'unbound', 'binding:host_id': '', allowed_address_pairs: [], extra_dhcp_opts: [], port_security_enabled: true,
    });
    expect(port.mac_address).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
    expect(port.fixed_ips).toEqual([
      { subnet_id: v4.id, ip_address: '10.20.0.2' },
      { subnet_id: v6.id, ip_address: 'fd00:20::2' },
    ]);
    expect((await c.call('GET', `${PORTS}/${port.id}`, c.reader)).json().port).toEqual(port);
  });

  it('given a chosen address, when a port asks for it, then it gets it; the same address again is 409 IpAddressAlreadyAllocated and takes nothing', async () => {
    const res = await create(c.demo, { network_id: net.id, name: 'p1', fixed_ips: [{ subnet_id: v4.id, ip_address: '10.20.0.50' }], 'binding:vnic_type': 'vhost-user' });
    expect(res.status).toBe(201);
    expect(res.json().port.fixed_ips).toEqual([{ subnet_id: v4.id, ip_address: '10.20.0.50' }]);
    expect(res.json().port['binding:vnic_type']).toBe('vhost-user');
    const before = await used();
    const dup = await create(c.demo, { network_id: net.id, fixed_ips: [{ ip_address: '10.20.0.50' }] });
    expect(dup.status).toBe(409);
    expect(dup.json().NeutronError).toEqual({ type: 'IpAddressAlreadyAllocated', message: `IP address 10.20.0.50 already allocated in subnet ${v4.id}`, detail: '' });
    // The MAC and the v6 address taken before the refusal were given back.
    const dual = await create(c.demo, { network_id: net.id, fixed_ips: [{ subnet_id: v6.id }, { ip_address: '10.20.0.50' }] });
    expect(dual.status).toBe(409);
    expect(await used()).toBe(before);
  });

  it('given addresses the subnet refuses, then 400 outside or malformed, 409 for the gateway, 400 for an unknown subnet', async () => {
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ fixed_ips: [{ subnet_id: v4.id, ip_address: '10.99.0.5' }] }, 400, 'InvalidIpForSubnet'],
      [{ fixed_ips: [{ ip_address: '192.168.1.1' }] }, 400, 'InvalidInput'],
      [{ fixed_ips: [{ subnet_id: v4.id, ip_address: 'ten' }] }, 400, 'InvalidInput'],
      [{ fixed_ips: [{ subnet_id: v4.id, ip_address: '10.20.0.255' }] }, 400, 'IpIsBroadcastAddress'],
      [{ fixed_ips: [{ subnet_id: v4.id, ip_address: '10.20.0.1' }] }, 409, 'IpIsGateway'],
      [{ fixed_ips: [{ subnet_id: '00000000-0000-4000-8000-000000000000' }] }, 400, 'InvalidInput'],
      [{ mac_address: 'not-a-mac' }, 400, 'InvalidMacAddress'],
      [{ 'binding:vnic_type': 'baremetal' }, 400, 'InvalidVnicType'],
      [{ colour: 'red' }, 400, 'HTTPBadRequest'],
    ];
    const before = await used();
    for (const [extra, status, type] of cases) {
      const res = await create(c.demo, { network_id: net.id, ...extra });
      expect({ extra, status: res.status, type: res.json().NeutronError?.type }).toEqual({ extra, status, type });
    }
    expect(await used()).toBe(before);
  });

  it('given a MAC in use on the network, then 409 MacAddressInUse; on another network the same MAC is fine', async () => {
    expect((await create(c.demo, { network_id: net.id, mac_address: 'fa:16:3e:00:00:01', fixed_ips: [] })).status).toBe(201);
    const taken = await create(c.demo, { network_id: net.id, mac_address: 'FA:16:3E:00:00:01', fixed_ips: [] });
    expect(taken.status).toBe(409);
    expect(taken.json().NeutronError.type).toBe('MacAddressInUse');
    const other = (await c.call('POST', NETWORKS, c.demo, { network: { name: 'other' } })).json().network;
    expect((await create(c.demo, { network_id: other.id, mac_address: 'fa:16:3e:00:00:01' })).status).toBe(201);
  });

  it('given ports, when listed with Neutron filters, then by fixed_ips, mac_address, name, device_owner, status, and fields', async () => {
    const p = (await create(c.demo, { network_id: net.id, name: 'findme', device_owner: 'virtplane:test', fixed_ips: [{ ip_address: '10.20.0.77' }] })).json().port;
    const ids = async (q: string) => (await c.call('GET', `${PORTS}?${q}`, c.demo)).json().ports.map((x: { id: string }) => x.id);
    expect(await ids('fixed_ips=ip_address%3D10.20.0.77')).toEqual([p.id]);
    expect(await ids(`fixed_ips=subnet_id%3D${v4.id}&name=findme`)).toEqual([p.id]);
    expect(await ids(`mac_address=${p.mac_address}`)).toEqual([p.id]);
    expect(await ids('device_owner=virtplane:test')).toEqual([p.id]);
    expect(await ids(`network_id=${net.id}&status=ACTIVE`)).toEqual([]);
    expect((await c.call('GET', `${PORTS}?name=findme&fields=mac_address`, c.demo)).json().ports).toEqual([{ mac_address: p.mac_address }]);
    expect((await c.call('GET', `${PORTS}?fixed_ips=mac%3Dx`, c.demo)).status).toBe(400);
  });

  it('given a port, when updated, then name, admin_state_up and vnic type change; fixed_ips 400, device_id 409 (attach through the server)', async () => {
    const p = (await create(c.demo, { network_id: net.id, name: 'upd', fixed_ips: [{ ip_address: '10.20.0.90' }] })).json().port;
    const res = await c.call('PUT', `${PORTS}/${p.id}`, c.demo, { port: { name: 'upd2', admin_state_up: false, 'binding:vnic_type': 'direct', fixed_ips: p.fixed_ips } });
    expect(res.status).toBe(200);
    expect(res.json().port).toMatchObject({ name: 'upd2', admin_state_up: false, 'binding:vnic_type': 'direct', fixed_ips: p.fixed_ips });
    const readdress = await c.call('PUT', `${PORTS}/${p.id}`, c.demo, { port: { fixed_ips: [{ ip_address: '10.20.0.91' }] } });
    expect(readdress.status).toBe(400);
    expect(readdress.json().NeutronError.type).toBe('InvalidInput');
    const bind = await c.call('PUT', `${PORTS}/${p.id}`, c.demo, { port: { device_id: '6f0e0d39-5d5b-4c1e-9a7e-4b0f6d3c2a11' } });
    expect(bind.status).toBe(409);
    expect(bind.json().NeutronError.message).toMatch(/os-interface/);
    expect((await c.call('PUT', `${PORTS}/${p.id}`, c.reader, { port: { name: 'x' } })).status).toBe(403);
  });

  it('given another project, when it looks for or deletes a port, then 404 PortNotFound; ports on its own private network are 404 NetworkNotFound', async () => {
    const p = (await create(c.demo, { network_id: net.id, fixed_ips: [] })).json().port;
    const res = await c.call('GET', `${PORTS}/${p.id}`, c.demo2);
    expect(res.status).toBe(404);
    expect(res.json().NeutronError).toEqual({ type: 'PortNotFound', message: `Port ${p.id} could not be found.`, detail: '' });
    expect((await c.call('DELETE', `${PORTS}/${p.id}`, c.demo2)).status).toBe(404);
    expect((await c.call('GET', PORTS, c.demo2)).json().ports).toEqual([]);
    const onHidden = await create(c.demo2, { network_id: net.id });
    expect(onHidden.status).toBe(404);
    expect(onHidden.json().NeutronError.type).toBe('NetworkNotFound');
  });

  it("given another project's external network that is not shared, when a member creates a port there, then Neutron's 403 HTTPForbidden and nothing is made; the owner, admin and shared networks still take ports", async () => {
    const demo2Project = (await c.call('POST', NETWORKS, c.demo2, { network: { name: 'demo2-own' } })).json().network.project_id as string;
    const demoProject = (await c.call('GET', `${NETWORKS}/${net.id}`, c.demo)).json().network.project_id as string;
    const external = (await c.call('POST', NETWORKS, c.admin, { network: { name: 'ext-of-demo2', 'router:external': true, project_id: demo2Project } })).json().network;
    const portsOf = async (networkId: string) => (await c.call('GET', `${PORTS}?network_id=${networkId}`, c.admin)).json().ports.map((x: { id: string }) => x.id).sort();
    const before = await portsOf(external.id);

    const refused = await create(c.demo, { network_id: external.id, name: 'not-mine' });

    expect(refused.status).toBe(403);
    expect(refused.json().NeutronError).toEqual({ type: 'HTTPForbidden', message: `Tenant ${demoProject} not allowed to create port on this network`, detail: '' });
    expect(await portsOf(external.id)).toEqual(before);
    expect((await c.call('GET', `${PORTS}?name=not-mine`, c.demo)).json().ports).toEqual([]);
    expect((await create(c.demo2, { network_id: external.id })).status).toBe(201);
    expect((await create(c.admin, { network_id: external.id, project_id: demoProject })).status).toBe(201);
    for (const flags of [{ shared: true }, { shared: true, 'router:external': true }]) {
      const shared = (await c.call('POST', NETWORKS, c.admin, { network: { name: 'shared-for-ports', ...flags } })).json().network;
      expect({ flags, status: (await create(c.demo, { network_id: shared.id })).status }).toEqual({ flags, status: 201 });
    }
  });

  it('given a port bound to a server, when deleted, then 409 (detach first); unbound, it deletes and its addresses are free again', async () => {
    const p = (await create(c.demo, { network_id: net.id, fixed_ips: [{ ip_address: '10.20.0.120' }] })).json().port;
    const writer = c.t.app.get(CommandWriter);
    const meta = { requestId: 'req-00000000-0000-4000-8000-000000000001', actor: SYSTEM_ACTOR };
    const device = '6f0e0d39-5d5b-4c1e-9a7e-4b0f6d3c2a11';
    await writer.execute(new ExecutePortCommand({ type: 'RequestPortBinding', data: { portId: p.id, deviceId: device, deviceOwner: 'compute:nova', hostId: null } }, meta));
    await writer.execute(new ExecutePortCommand({ type: 'ConfirmPortBinding', data: { portId: p.id, deviceId: device, hostId: 'node-1' } }, meta));
    const bound = (await c.call('GET', `${PORTS}/${p.id}`, c.demo)).json().port;
    expect(bound).toMatchObject({ status: 'ACTIVE', device_id: device, device_owner: 'compute:nova', 'binding:host_id': 'node-1', 'binding:vif_type': 'ovs' });
    const refused = await c.call('DELETE', `${PORTS}/${p.id}`, c.demo);
    expect(refused.status).toBe(409);
    expect(refused.json().NeutronError).toEqual({ type: 'PortBound', message: expect.stringMatching(/detach it first/), detail: '' });
    await writer.execute(new ExecutePortCommand({ type: 'RequestPortUnbinding', data: { portId: p.id } }, meta));
    await writer.execute(new ExecutePortCommand({ type: 'ConfirmPortUnbinding', data: { portId: p.id } }, meta));
    expect((await c.call('DELETE', `${PORTS}/${p.id}`, c.demo)).status).toBe(204);
    expect((await c.call('GET', `${PORTS}/${p.id}`, c.demo)).status).toBe(404);
    expect((await create(c.demo, { network_id: net.id, fixed_ips: [{ ip_address: '10.20.0.120' }] })).status).toBe(201);
  });

  it('given a port create retried with the same X-OpenStack-Request-Id, then one port with one MAC and one set of addresses', async () => {
    const headers = { ...c.demo, 'x-openstack-request-id': 'req-8d2f4a6b-0c1e-4f3a-9b7d-5e6f7a8b9c0d' };
    const body = { port: { network_id: net.id, name: 'retried' } };
    const before = await used();
    const first = await c.t.request('POST', PORTS, { headers, body });
    const second = await c.t.request('POST', PORTS, { headers, body });
    expect(first.status).toBe(201);
    expect(second.json().port).toEqual(first.json().port);
    expect((await c.call('GET', `${PORTS}?name=retried`, c.demo)).json().ports).toHaveLength(1);
    expect(await used()).toBe(before + 2);
  });
});

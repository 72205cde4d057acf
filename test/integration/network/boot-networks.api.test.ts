import { randomUUID } from 'node:crypto';
import type { LiveChangeClusterPort } from '../../../src/adapters/kubernetes/cluster.port.js';
import type { Infrastructure } from '../../../src/app/infrastructure.js';
import { CLUSTER, INFRASTRUCTURE } from '../../../src/app/tokens.js';
import { vmRef } from '../../../src/handlers/workers/steps/vm-spec.js';
import { waitFor } from '../../support/redis.js';
import { startCatalogueApp, type CatalogueApp } from '../flavors/catalogue-app.js';
import { FAST_SIMULATOR_ENV } from '../../support/fast-simulator-env.js';

const SERVERS = '/compute/v2.1/servers';
const IMAGE = 'docker://quay.io/containerdisks/fedora:41';

/**
 * POST /servers with networks on the embedded default (CLUSTER_BACKEND=simulator): ports made or
 * given at boot are bound by the create task, are the VM's Multus interfaces with their Kube-OVN
 * addresses from the start, and show in addresses, os-interface and the port; Nova's refusals change
 * nothing; a failed build and a delete let the ports go as Nova does.
 */
describe('servers created with networks (ports at boot)', () => {
  let c: CatalogueApp;
  beforeAll(async () => {
    c = await startCatalogueApp({
      ...FAST_SIMULATOR_ENV,
      TASK_DEADLINE_SECONDS: '30',
    });
  });
  afterAll(async () => {
    await c?.close();
  });

  const network = async (as: Record<string, string>, name: string, cidr: string) => {
    const net = (await c.call('POST', '/network/v2.0/networks', as, { network: { name } })).json().network as { id: string };
    const subnet = (await c.call('POST', '/network/v2.0/subnets', as, { subnet: { network_id: net.id, cidr, ip_version: 4 } })).json().subnet as { id: string };
    return { id: net.id, subnet: subnet.id };
  };
  const create = (as: Record<string, string>, name: string, networks: unknown, headers: Record<string, string> = {}) =>
    c.t.request('POST', SERVERS, { headers: { ...as, ...headers, 'openstack-api-version': 'compute 2.37' }, body: { server: { name, flavorRef: '1', imageRef: IMAGE, networks } } });
  const server = async (id: string) => (await c.call('GET', `${SERVERS}/${id}`, c.demo)).json().server;
  const settled = (id: string, status: string) =>
    waitFor(async () => ((await server(id)).status === status ? true : undefined), 30_000, `${id} ${status}`);
  const port = async (id: string) => c.call('GET', `/network/v2.0/ports/${id}`, c.demo);
  const portsOf = async (serverId: string) =>
    (await c.call('GET', `/network/v2.0/ports?device_id=${serverId}`, c.demo)).json().ports as Array<{ id: string; fixed_ips: Array<{ ip_address: string }>; mac_address: string }>;
  const portCount = async () => ((await c.call('GET', '/network/v2.0/ports', c.demo)).json().ports as unknown[]).length;
  const serverCount = async () => ((await c.call('GET', SERVERS, c.demo)).json().servers as unknown[]).length;

  it('given a network and a fixed IP, when a server boots on it, then its port is bound with that IP and MAC everywhere, and deleting the server deletes the port', async () => {
    const net = await network(c.demo, 'boot-a', '10.50.0.0/24');
    const created = await create(c.demo, 'boot-a', [{ uuid: net.id, fixed_ip: '10.50.0.33' }]);
    expect(created.status).toBe(202);
    const id = created.json().server.id as string;
    await settled(id, 'ACTIVE');

    const [made] = await portsOf(id);
    expect(made!.fixed_ips).toEqual([{ subnet_id: net.subnet, ip_address: '10.50.0.33' }]);
    const shown = await server(id);
    expect((await port(made!.id)).json().port).toMatchObject({
      device_id: id, device_owner: 'compute:nova', status: 'ACTIVE', 'binding:host_id': shown['OS-EXT-SRV-ATTR:host'] ?? expect.any(String), 'binding:vif_type': 'ovs',
    });
    expect(shown.addresses).toEqual({ 'boot-a': [{ version: 4, addr: '10.50.0.33', 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': made!.mac_address }] });
    const attachments = (await c.call('GET', `${SERVERS}/${id}/os-interface`, c.demo)).json().interfaceAttachments;
    expect(attachments).toEqual([expect.objectContaining({ port_id: made!.id, net_id: net.id, mac_addr: made!.mac_address, port_state: 'ACTIVE' })]);
    // The guest has it from boot: the VM was made with the Multus interface and its Kube-OVN address.
    const cluster = c.t.app.get<LiveChangeClusterPort>(CLUSTER);
    const vmi = await cluster.getVmi(vmRef({ id, projectId: shown.tenant_id }));
    expect(vmi!.interfaces.find((i) => i.mac === made!.mac_address)).toMatchObject({ ipAddress: '10.50.0.33' });
    expect(await c.t.app.get<Infrastructure>(INFRASTRUCTURE).fabric.getPort(made!.id)).toMatchObject({ switchId: net.id, vmId: id, ips: ['10.50.0.33'] });

    expect((await c.call('DELETE', `${SERVERS}/${id}`, c.demo)).status).toBe(204);
    await waitFor(async () => ((await port(made!.id)).status === 404 ? true : undefined), 20_000, 'the port made for the server deleted');
    // Its address is free again.
    expect((await c.call('POST', '/network/v2.0/ports', c.demo, { port: { network_id: net.id, fixed_ips: [{ ip_address: '10.50.0.33' }] } })).status).toBe(201);
  });

  it('given an existing unbound port, when a server boots with it, then it is bound, and after the server is deleted it is unbound again and still there', async () => {
    const net = await network(c.demo, 'boot-b', '10.51.0.0/24');
    const given = (await c.call('POST', '/network/v2.0/ports', c.demo, { port: { network_id: net.id, name: 'given' } })).json().port as { id: string };
    const created = await create(c.demo, 'boot-b', [{ port: given.id }]);
    expect(created.status).toBe(202);
    const id = created.json().server.id as string;
    await settled(id, 'ACTIVE');
    expect((await port(given.id)).json().port).toMatchObject({ device_id: id, status: 'ACTIVE' });
    expect(Object.keys((await server(id)).addresses)).toEqual(['boot-b']);

    // A second port on the same network is refused (one per network: Kube-OVN keys the address by network), nothing made.
    const before = (await c.call('GET', `/network/v2.0/ports?network_id=${net.id}`, c.demo)).json().ports.length;
    const second = await c.call('POST', `${SERVERS}/${id}/os-interface`, c.demo, { interfaceAttachment: { net_id: net.id } });
    expect(second.status).toBe(400);
    expect(second.json().badRequest.message).toMatch(/one port per network/);
    expect((await c.call('GET', `/network/v2.0/ports?network_id=${net.id}`, c.demo)).json().ports).toHaveLength(before);

    expect((await c.call('DELETE', `${SERVERS}/${id}`, c.demo)).status).toBe(204);
    await waitFor(async () => ((await port(given.id)).json().port.device_id === '' ? true : undefined), 20_000, 'the given port unbound');
    expect((await port(given.id)).json().port).toMatchObject({ status: 'DOWN', 'binding:vif_type': 'unbound', name: 'given' });
  });

  it('given the same X-OpenStack-Request-Id twice, then one server and one port', async () => {
    const net = await network(c.demo, 'boot-c', '10.52.0.0/24');
    const requestId = `req-${randomUUID()}`;
    const first = await create(c.demo, 'boot-c', [{ uuid: net.id }], { 'x-openstack-request-id': requestId });
    const second = await create(c.demo, 'boot-c', [{ uuid: net.id }], { 'x-openstack-request-id': requestId });
    expect(second.json().server.id).toBe(first.json().server.id);
    await settled(first.json().server.id, 'ACTIVE');
    expect((await c.call('GET', `/network/v2.0/ports?network_id=${net.id}`, c.demo)).json().ports).toHaveLength(1);
  });

  it("given Nova's refusals, then 400/409/403 in Nova's words and nothing is made", async () => {
    const net = await network(c.demo, 'boot-d', '10.53.0.0/24');
    await network(c.demo, 'boot-d2', '10.58.0.0/24'); // two networks: 'auto' cannot choose
    const taken = (await c.call('POST', '/network/v2.0/ports', c.demo, { port: { network_id: net.id, fixed_ips: [{ ip_address: '10.53.0.10' }] } })).json().port as { id: string };
    const otherNet = await network(c.demo2, 'other', '10.54.0.0/24');
    const othersPort = (await c.call('POST', '/network/v2.0/ports', c.demo2, { port: { network_id: otherNet.id } })).json().port as { id: string };
    const busy = await create(c.demo, 'boot-busy', [{ port: taken.id }]);
    await settled(busy.json().server.id, 'ACTIVE');
    const ports = await portCount();
    const servers = await serverCount();

    const cases: Array<[unknown, number, RegExp]> = [
      [[{ port: taken.id }], 409, /Port .* is still in use/],
      [[{ port: othersPort.id }], 400, new RegExp(`Port id ${othersPort.id} could not be found`)],
      [[{ uuid: otherNet.id }], 400, new RegExp(`Network ${otherNet.id} could not be found`)],
      [[{ uuid: randomUUID() }], 400, /could not be found/],
      [[{ uuid: net.id, fixed_ip: '10.53.0.10' }], 400, /Fixed IP address 10.53.0.10 is already in use/],
      [[{ uuid: net.id, fixed_ip: 'not-an-ip' }], 400, /Invalid fixed IP address/],
      [[{ uuid: net.id }, { uuid: net.id, fixed_ip: '10.53.0.11' }], 400, /requested twice: this cloud gives a server one port per network/],
      ['auto', 409, /Multiple possible networks found/],
    ];
    for (const [networks, status, message] of cases) {
      const res = await create(c.demo, 'refused', networks);
      expect({ networks, status: res.status }).toEqual({ networks, status });
      expect(JSON.stringify(res.json())).toMatch(message);
    }
    expect(await portCount()).toBe(ports);
    expect(await serverCount()).toBe(servers);
    // demo2 has one network: 'auto' takes it; a project without any is 400.
    const auto = await create(c.demo2, 'auto-1', 'auto');
    expect(auto.status).toBe(202);
    await waitFor(async () => ((await c.call('GET', `/network/v2.0/ports?device_id=${auto.json().server.id}`, c.demo2)).json().ports.length === 1 ? true : undefined), 10_000, 'auto port');
    await waitFor(async () => ((await c.call('GET', `${SERVERS}/${auto.json().server.id}`, c.demo2)).json().server.status === 'ACTIVE' ? true : undefined), 30_000, 'auto-1 ACTIVE');
    const none = await create(c.admin, 'auto-none', 'auto');
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.json())).toMatch(/Unable to automatically allocate a network/);
    // At the Neutron port quota: Nova's 403, no server and no port.
    const demo2Ports = (await c.call('GET', '/network/v2.0/ports', c.demo2)).json().ports.length as number;
    const demo2Project = (await c.call('GET', `/network/v2.0/networks/${otherNet.id}`, c.demo2)).json().network.project_id as string;
    expect((await c.call('PUT', `/network/v2.0/quotas/${demo2Project}`, c.admin, { quota: { port: demo2Ports } })).status).toBe(200);
    const overQuota = await create(c.demo2, 'over-port-quota', [{ uuid: otherNet.id }]);
    expect(overQuota.status).toBe(403);
    expect(JSON.stringify(overQuota.json())).toMatch(/Maximum number of ports exceeded/);
    expect((await c.call('GET', '/network/v2.0/ports', c.demo2)).json().ports).toHaveLength(demo2Ports);
    expect((await c.call('GET', SERVERS, c.demo2)).json().servers.some((s: { name: string }) => s.name === 'over-port-quota')).toBe(false);
  });

  it("given an external network that is not shared, when a member boots on it by uuid or with its own port there, then Nova's 403 ExternalNetworkAttachForbidden and nothing is made", async () => {
    const external = (await c.call('POST', '/network/v2.0/networks', c.admin, { network: { name: 'boot-ext', 'router:external': true } })).json().network.id as string;
    expect((await c.call('POST', '/network/v2.0/subnets', c.admin, { subnet: { network_id: external, cidr: '10.59.0.0/24', ip_version: 4 } })).status).toBe(201);
    const demoProject = (await c.call('GET', `/network/v2.0/networks/${(await network(c.demo, 'boot-g', '10.60.0.0/24')).id}`, c.demo)).json().network.project_id as string;
    // A member cannot make a port there (Neutron's network owner rule); an admin makes it for the project.
    const onExternal = (await c.call('POST', '/network/v2.0/ports', c.admin, { port: { network_id: external, project_id: demoProject } })).json().port as { id: string };
    const ports = await portCount();
    const servers = await serverCount();

    for (const networks of [[{ uuid: external }], [{ port: onExternal.id }]]) {
      const res = await create(c.demo, 'boot-ext', networks);
      expect({ networks, status: res.status, body: res.json() }).toEqual({
        networks, status: 403, body: { forbidden: { code: 403, message: `It is not allowed to create an interface on external network ${external}` } },
      });
    }
    expect(await portCount()).toBe(ports);
    expect(await serverCount()).toBe(servers);
    expect((await c.call('GET', `/network/v2.0/ports?network_id=${external}`, c.admin)).json().ports.map((p: { id: string }) => p.id)).toEqual([onExternal.id]);
    expect((await port(onExternal.id)).json().port).toMatchObject({ device_id: '', status: 'DOWN' });
  });

  it("given a member's port on a network it cannot read, and an admin booting with another project's port, then 400 not found and Nova's PortNotUsable, and nothing is made", async () => {
    const hidden = await network(c.demo2, 'boot-hidden', '10.61.0.0/24');
    const demoProject = (await c.call('GET', `/network/v2.0/networks/${(await network(c.demo, 'boot-h', '10.62.0.0/24')).id}`, c.demo)).json().network.project_id as string;
    const onHidden = (await c.call('POST', '/network/v2.0/ports', c.admin, { port: { network_id: hidden.id, project_id: demoProject } })).json().port as { id: string };
    const ports = await portCount();
    const servers = await serverCount();

    const unreadable = await create(c.demo, 'boot-hidden', [{ port: onHidden.id }]);
    expect({ status: unreadable.status, body: unreadable.json() }).toEqual({ status: 400, body: { badRequest: { code: 400, message: `Network ${hidden.id} could not be found.` } } });
    const byAdmin = await create(c.admin, 'boot-not-usable', [{ port: onHidden.id }]);
    expect(byAdmin.status).toBe(400);
    expect(byAdmin.json().badRequest.message).toMatch(new RegExp(`^Port ${onHidden.id} not usable for instance [0-9a-f-]{36}\\.$`));

    expect(await portCount()).toBe(ports);
    expect(await serverCount()).toBe(servers);
    expect(((await c.call('GET', SERVERS, c.admin, undefined, '2.37')).json().servers as Array<{ name: string }>).some((s) => s.name === 'boot-not-usable')).toBe(false);
    expect((await port(onHidden.id)).json().port).toMatchObject({ device_id: '', status: 'DOWN' });
  });

  it('given the cluster refuses the VM, when a server boots with a made and a given port, then it is ERROR, the made port deleted and the given one unbound', async () => {
    const net = await network(c.demo, 'boot-e', '10.55.0.0/24');
    const other = await network(c.demo, 'boot-e2', '10.57.0.0/24');
    const given = (await c.call('POST', '/network/v2.0/ports', c.demo, { port: { network_id: other.id } })).json().port as { id: string };
    c.t.app.get<Infrastructure>(INFRASTRUCTURE).simulator!.control.failNext({ verb: 'create', resource: 'virtualmachines', status: 422, message: 'refused for the test' });
    const created = await create(c.demo, 'boot-e', [{ uuid: net.id }, { port: given.id }]);
    expect(created.status).toBe(202);
    const id = created.json().server.id as string;
    await settled(id, 'ERROR');
    await waitFor(async () => ((await c.call('GET', `/network/v2.0/ports?network_id=${net.id}`, c.demo)).json().ports.length === 0 ? true : undefined), 10_000, 'the made port deleted');
    expect((await port(given.id)).json().port).toMatchObject({ device_id: '', status: 'DOWN' });
    expect(await c.t.app.get<Infrastructure>(INFRASTRUCTURE).fabric.getPort(given.id)).toBeNull();
    // Nova deallocates a failed build's network: no addresses; deleting it leaves the given port alone.
    expect((await server(id)).addresses).toEqual({});
    expect((await c.call('DELETE', `${SERVERS}/${id}`, c.demo)).status).toBe(204);
    await waitFor(async () => ((await c.call('GET', `${SERVERS}/${id}`, c.demo)).status === 404 ? true : undefined), 20_000, 'the ERROR server deleted');
    expect((await port(given.id)).json().port).toMatchObject({ device_id: '', status: 'DOWN' });
  });

  it("given a server with a port, when an admin live-migrates it, then the port's binding:host_id follows it and its IP and MAC stay", async () => {
    const net = await network(c.demo, 'boot-f', '10.56.0.0/24');
    const created = await create(c.demo, 'boot-f', [{ uuid: net.id, fixed_ip: '10.56.0.9' }]);
    const id = created.json().server.id as string;
    await settled(id, 'ACTIVE');
    const [made] = await portsOf(id);
    const source = (await c.call('GET', `${SERVERS}/${id}`, c.admin)).json().server['OS-EXT-SRV-ATTR:host'] as string;
    expect((await port(made!.id)).json().port['binding:host_id']).toBe(source);
    const migrate = await c.call('POST', `${SERVERS}/${id}/action`, c.admin, { 'os-migrateLive': { host: null, block_migration: 'auto' } }, '2.25');
    expect(migrate.status).toBe(202);
    await waitFor(async () => {
      const s = (await c.call('GET', `${SERVERS}/${id}`, c.admin)).json().server;
      return s.status === 'ACTIVE' && s['OS-EXT-SRV-ATTR:host'] !== source ? true : undefined;
    }, 30_000, 'migrated');
    const target = (await c.call('GET', `${SERVERS}/${id}`, c.admin)).json().server['OS-EXT-SRV-ATTR:host'] as string;
    await waitFor(async () => ((await port(made!.id)).json().port['binding:host_id'] === target ? true : undefined), 10_000, 'the port on the target');
    expect((await port(made!.id)).json().port).toMatchObject({ mac_address: made!.mac_address, fixed_ips: [{ subnet_id: net.subnet, ip_address: '10.56.0.9' }], status: 'ACTIVE' });
  });
});

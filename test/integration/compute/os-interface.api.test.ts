import { CLUSTER, INFRASTRUCTURE } from '../../../src/app/tokens.js';
import type { LiveChangeClusterPort } from '../../../src/adapters/kubernetes/cluster.port.js';
import { vmRef } from '../../../src/handlers/workers/steps/vm-spec.js';
import type { Infrastructure } from '../../../src/app/infrastructure.js';
import { waitFor } from '../../support/redis.js';
import { startCatalogueApp, type CatalogueApp } from '../flavors/catalogue-app.js';
import { FAST_SIMULATOR_ENV } from '../../support/fast-simulator-env.js';

const SERVERS = '/compute/v2.1/servers';

/** A network with an IPv4 subnet, and an ACTIVE server, in the demo project. */
async function setUp(c: CatalogueApp, name: string) {
  const net = (await c.call('POST', '/network/v2.0/networks', c.demo, { network: { name: `${name}-net` } })).json().network as { id: string };
  const subnet = (await c.call('POST', '/network/v2.0/subnets', c.demo, { subnet: { network_id: net.id, cidr: '10.30.0.0/24', ip_version: 4 } })).json().subnet as { id: string };
  const created = await c.call('POST', SERVERS, c.demo, { server: { name, flavorRef: '1', imageRef: 'docker://quay.io/containerdisks/fedora:41', networks: 'none' } });
  expect(created.status).toBe(202);
  const id = created.json().server.id as string;
  await waitFor(async () => ((await c.call('GET', `${SERVERS}/${id}`, c.demo)).json().server.status === 'ACTIVE' ? true : undefined), 30_000, `${name} ACTIVE`);
  return { net, subnet, id };
}

const newPort = async (c: CatalogueApp, networkId: string, ip: string) =>
  (await c.call('POST', '/network/v2.0/ports', c.demo, { port: { network_id: networkId, fixed_ips: [{ ip_address: ip }] } })).json().port as { id: string; mac_address: string };
const neutronPort = async (c: CatalogueApp, id: string) => (await c.call('GET', `/network/v2.0/ports/${id}`, c.demo));
const actions = async (c: CatalogueApp, id: string) =>
  (await c.call('GET', `${SERVERS}/${id}/os-instance-actions`, c.demo)).json().instanceActions as Array<{ action: string; request_id: string; message: string | null }>;

/**
 * Nova's os-interface on the embedded default, CLUSTER_BACKEND=simulator: the KubeVirt adapter
 * against the cluster simulator hot-plugs the NIC.
 */
describe('os-interface on the cluster simulator (AttachNic / DetachNic)', () => {
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
  const fabric = () => c.t.app.get<Infrastructure>(INFRASTRUCTURE).fabric;

  it('given an ACTIVE server and a free port, when attached and detached, then Nova\'s bodies, the port bound then free, addresses with the MAC, and both instance actions', async () => {
    const { net, subnet, id } = await setUp(c, 'nic-1');
    const port = await newPort(c, net.id, '10.30.0.40');

    const attached = await c.call('POST', `${SERVERS}/${id}/os-interface`, c.demo, { interfaceAttachment: { port_id: port.id } }, '2.70');
    expect(attached.status).toBe(200);
    const body = { net_id: net.id, port_id: port.id, mac_addr: port.mac_address, port_state: 'ACTIVE', fixed_ips: [{ subnet_id: subnet.id, ip_address: '10.30.0.40' }], tag: null };
    expect(attached.json()).toEqual({ interfaceAttachment: body });
    expect((await c.call('GET', `${SERVERS}/${id}/os-interface`, c.demo, undefined, '2.70')).json()).toEqual({ interfaceAttachments: [body] });
    expect((await c.call('GET', `${SERVERS}/${id}/os-interface/${port.id}`, c.demo)).json().interfaceAttachment).toMatchObject({ port_id: port.id, port_state: 'ACTIVE' });
    expect((await neutronPort(c, port.id)).json().port).toMatchObject({ device_id: id, device_owner: 'compute:nova', status: 'ACTIVE', 'binding:vif_type': 'ovs' });
    expect(await fabric().getPort(port.id)).toMatchObject({ switchId: net.id, mac: port.mac_address, ips: ['10.30.0.40'], vmId: id });
    const server = (await c.call('GET', `${SERVERS}/${id}`, c.demo)).json().server;
    expect(server.addresses).toEqual({ 'nic-1-net': [{ version: 4, addr: '10.30.0.40', 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': port.mac_address }] });
    expect(server.status).toBe('ACTIVE');
    // The network's NAD was made by the service (nobody made it by hand), and the guest got the port's
    // address and MAC through Kube-OVN's annotations on the live launcher pod.
    const vmi = await c.t.app.get<LiveChangeClusterPort>(CLUSTER).getVmi(vmRef({ id, projectId: server.tenant_id }));
    expect(vmi!.interfaces.find((i) => i.mac === port.mac_address)).toMatchObject({ ipAddress: '10.30.0.40' });

    const detached = await c.call('DELETE', `${SERVERS}/${id}/os-interface/${port.id}`, c.demo);
    expect(detached.status).toBe(202);
    await waitFor(async () => ((await neutronPort(c, port.id)).json().port.device_id === '' ? true : undefined), 20_000, 'the port unbound');
    expect((await neutronPort(c, port.id)).json().port).toMatchObject({ status: 'DOWN', 'binding:vif_type': 'unbound' });
    expect(await fabric().getPort(port.id)).toBeNull();
    await waitFor(async () => (Object.keys((await c.call('GET', `${SERVERS}/${id}`, c.demo)).json().server.addresses).length === 0 ? true : undefined), 5_000, 'addresses emptied');
    expect((await c.call('GET', `${SERVERS}/${id}/os-interface`, c.demo)).json()).toEqual({ interfaceAttachments: [] });
    const names = (await actions(c, id)).map((a) => [a.action, a.message]);
    expect(names).toEqual(expect.arrayContaining([['attach_interface', null], ['detach_interface', null]]));
  });

  it('given net_id and a fixed IP, when attached, then a port is made with that IP and deleted again on detach', async () => {
    const { net, id } = await setUp(c, 'nic-2');
    const attached = await c.call('POST', `${SERVERS}/${id}/os-interface`, c.demo, { interfaceAttachment: { net_id: net.id, fixed_ips: [{ ip_address: '10.30.0.77' }] } });
    expect(attached.status).toBe(200);
    const portId = attached.json().interfaceAttachment.port_id as string;
    expect(attached.json().interfaceAttachment).toMatchObject({ net_id: net.id, port_state: 'ACTIVE', fixed_ips: [{ ip_address: '10.30.0.77' }] });
    expect((await c.call('DELETE', `${SERVERS}/${id}/os-interface/${portId}`, c.demo)).status).toBe(202);
    await waitFor(async () => ((await neutronPort(c, portId)).status === 404 ? true : undefined), 20_000, 'the auto-created port deleted');
    // Its address is free again.
    expect((await newPort(c, net.id, '10.30.0.77')).id).toBeDefined();
  });

  it('given the cluster refuses the NIC edit, then 500, the port is free again, no fabric port is left and attach_interface failed', async () => {
    const { net, id } = await setUp(c, 'nic-3');
    const port = await newPort(c, net.id, '10.30.0.41');
    c.t.app.get<Infrastructure>(INFRASTRUCTURE).simulator!.control.failNext({ verb: 'patch', resource: 'virtualmachines', status: 422, message: 'network-attachment-definition not found' });
    const res = await c.call('POST', `${SERVERS}/${id}/os-interface`, c.demo, { interfaceAttachment: { port_id: port.id } });
    expect(res.status).toBe(500);
    expect(res.json().computeFault.message).toBe(`Failed to attach network adapter device to ${id}`);
    expect((await neutronPort(c, port.id)).json().port).toMatchObject({ device_id: '', status: 'DOWN' });
    expect(await fabric().getPort(port.id)).toBeNull();
    const failed = (await actions(c, id)).find((a) => a.action === 'attach_interface');
    expect(failed?.message).toBe('Error');
    expect((await c.call('GET', `${SERVERS}/${id}`, c.demo)).json().server).toMatchObject({ status: 'ACTIVE', addresses: {} });
  });

  it('given an attached port, when the server is deleted, then the port is free again and its OVN port gone', async () => {
    const { net, id } = await setUp(c, 'nic-6');
    const port = await newPort(c, net.id, '10.30.0.44');
    expect((await c.call('POST', `${SERVERS}/${id}/os-interface`, c.demo, { interfaceAttachment: { port_id: port.id } })).status).toBe(200);
    expect((await c.call('DELETE', `${SERVERS}/${id}`, c.demo)).status).toBe(204);
    await waitFor(async () => ((await neutronPort(c, port.id)).json().port.device_id === '' ? true : undefined), 20_000, 'the port freed');
    expect(await fabric().getPort(port.id)).toBeNull();
  });

  it("given an external network that is not shared, when a member attaches by net_id or with its own port there, then Nova's 403 ExternalNetworkAttachForbidden and nothing changes", async () => {
    const { net, id } = await setUp(c, 'nic-7');
    const external = (await c.call('POST', '/network/v2.0/networks', c.admin, { network: { name: 'nic-ext', 'router:external': true } })).json().network.id as string;
    expect((await c.call('POST', '/network/v2.0/subnets', c.admin, { subnet: { network_id: external, cidr: '10.31.0.0/24', ip_version: 4 } })).status).toBe(201);
    const demoProject = (await c.call('GET', `/network/v2.0/networks/${net.id}`, c.demo)).json().network.project_id as string;
    // A member cannot make a port there (Neutron's network owner rule); an admin makes it for the project.
    const onExternal = (await c.call('POST', '/network/v2.0/ports', c.admin, { port: { network_id: external, project_id: demoProject } })).json().port as { id: string };

    for (const interfaceAttachment of [{ net_id: external }, { port_id: onExternal.id }]) {
      const res = await c.call('POST', `${SERVERS}/${id}/os-interface`, c.demo, { interfaceAttachment });
      expect({ interfaceAttachment, status: res.status, body: res.json() }).toEqual({
        interfaceAttachment, status: 403, body: { forbidden: { code: 403, message: `It is not allowed to create an interface on external network ${external}` } },
      });
    }
    expect((await c.call('GET', `/network/v2.0/ports?network_id=${external}`, c.admin)).json().ports.map((p: { id: string }) => p.id)).toEqual([onExternal.id]);
    expect((await neutronPort(c, onExternal.id)).json().port).toMatchObject({ device_id: '', status: 'DOWN' });
    expect((await c.call('GET', `${SERVERS}/${id}/os-interface`, c.demo)).json()).toEqual({ interfaceAttachments: [] });
    expect((await actions(c, id)).map((a) => a.action)).not.toContain('attach_interface');
    // An admin may.
    expect((await c.call('POST', `${SERVERS}/${id}/os-interface`, c.admin, { interfaceAttachment: { port_id: onExternal.id } })).status).toBe(200);
  });

  it("given a member's port on a network it cannot read, and an admin attaching another project's port, then 404 not found and Nova's PortNotUsable, and nothing changes", async () => {
    const { net, id } = await setUp(c, 'nic-8');
    const hidden = (await c.call('POST', '/network/v2.0/networks', c.demo2, { network: { name: 'nic-hidden' } })).json().network.id as string;
    expect((await c.call('POST', '/network/v2.0/subnets', c.demo2, { subnet: { network_id: hidden, cidr: '10.32.0.0/24', ip_version: 4 } })).status).toBe(201);
    const demoProject = (await c.call('GET', `/network/v2.0/networks/${net.id}`, c.demo)).json().network.project_id as string;
    const onHidden = (await c.call('POST', '/network/v2.0/ports', c.admin, { port: { network_id: hidden, project_id: demoProject } })).json().port as { id: string };
    const others = (await c.call('POST', '/network/v2.0/ports', c.demo2, { port: { network_id: hidden } })).json().port as { id: string };

    const unreadable = await c.call('POST', `${SERVERS}/${id}/os-interface`, c.demo, { interfaceAttachment: { port_id: onHidden.id } });
    expect({ status: unreadable.status, body: unreadable.json() }).toEqual({ status: 404, body: { itemNotFound: { code: 404, message: `Network ${hidden} could not be found.` } } });
    const notUsable = await c.call('POST', `${SERVERS}/${id}/os-interface`, c.admin, { interfaceAttachment: { port_id: others.id } });
    expect({ status: notUsable.status, body: notUsable.json() }).toEqual({ status: 400, body: { badRequest: { code: 400, message: `Port ${others.id} not usable for instance ${id}.` } } });

    for (const portId of [onHidden.id, others.id]) expect((await c.call('GET', `/network/v2.0/ports/${portId}`, c.admin)).json().port).toMatchObject({ device_id: '', status: 'DOWN' });
    expect((await c.call('GET', `${SERVERS}/${id}/os-interface`, c.demo)).json()).toEqual({ interfaceAttachments: [] });
    expect((await actions(c, id)).map((a) => a.action)).not.toContain('attach_interface');
  });

  it("given ports already attached to a server, when one is attached to that same server again, then Nova's 409 PortInUse before any network check, and nothing changes", async () => {
    const { net, id } = await setUp(c, 'nic-9');
    const port = await newPort(c, net.id, '10.30.0.45');
    expect((await c.call('POST', `${SERVERS}/${id}/os-interface`, c.demo, { interfaceAttachment: { port_id: port.id } })).status).toBe(200);
    // An admin may plug the project's port into an external network that is not shared; the member may not.
    const external = (await c.call('POST', '/network/v2.0/networks', c.admin, { network: { name: 'nic-ext-9', 'router:external': true } })).json().network.id as string;
    expect((await c.call('POST', '/network/v2.0/subnets', c.admin, { subnet: { network_id: external, cidr: '10.33.0.0/24', ip_version: 4 } })).status).toBe(201);
    const demoProject = (await c.call('GET', `/network/v2.0/networks/${net.id}`, c.demo)).json().network.project_id as string;
    const onExternal = (await c.call('POST', '/network/v2.0/ports', c.admin, { port: { network_id: external, project_id: demoProject } })).json().port as { id: string };
    expect((await c.call('POST', `${SERVERS}/${id}/os-interface`, c.admin, { interfaceAttachment: { port_id: onExternal.id } })).status).toBe(200);
    const attachments = (await c.call('GET', `${SERVERS}/${id}/os-interface`, c.demo)).json();
    const bound = await Promise.all([port.id, onExternal.id].map(async (p) => (await neutronPort(c, p)).json().port));
    const attaches = (await actions(c, id)).filter((a) => a.action === 'attach_interface').length;

    const again = [];
    for (const p of [port.id, onExternal.id]) again.push(await c.call('POST', `${SERVERS}/${id}/os-interface`, c.demo, { interfaceAttachment: { port_id: p } }));

    expect(again.map((r) => ({ status: r.status, body: r.json() }))).toEqual([port.id, onExternal.id].map((p) => ({ status: 409, body: { conflictingRequest: { code: 409, message: `Port ${p} is still in use.` } } })));
    expect((await c.call('GET', `${SERVERS}/${id}/os-interface`, c.demo)).json()).toEqual(attachments);
    expect(await Promise.all([port.id, onExternal.id].map(async (p) => (await neutronPort(c, p)).json().port))).toEqual(bound);
    expect((await actions(c, id)).filter((a) => a.action === 'attach_interface')).toHaveLength(attaches);
  });

  it('given Nova\'s refusals: another project\'s server 404, a bad body 400, a port in use 409, detaching a port it lacks 404', async () => {
    const { net, id } = await setUp(c, 'nic-4');
    const port = await newPort(c, net.id, '10.30.0.42');
    expect((await c.call('POST', `${SERVERS}/${id}/os-interface`, c.demo2, { interfaceAttachment: { port_id: port.id } })).status).toBe(404);
    expect((await c.call('GET', `${SERVERS}/${id}/os-interface`, c.demo2)).status).toBe(404);
    expect((await c.call('POST', `${SERVERS}/${id}/os-interface`, c.demo, { interfaceAttachment: { port_id: port.id, net_id: net.id } })).status).toBe(400);
    expect((await c.call('POST', `${SERVERS}/${id}/os-interface`, c.demo, { interfaceAttachment: { port_id: port.id, color: 'red' } })).status).toBe(400);
    expect((await c.call('POST', `${SERVERS}/${id}/os-interface`, c.demo, { interfaceAttachment: { fixed_ips: [{ ip_address: '10.30.0.9' }] } })).status).toBe(400);
    expect((await c.call('POST', `${SERVERS}/${id}/os-interface`, c.reader, { interfaceAttachment: { port_id: port.id } })).status).toBe(403);
    expect((await c.call('DELETE', `${SERVERS}/${id}/os-interface/${port.id}`, c.demo)).json()).toEqual({ itemNotFound: { code: 404, message: `Port ${port.id} is not attached` } });
    expect((await c.call('POST', `${SERVERS}/${id}/os-interface`, c.demo, { interfaceAttachment: { port_id: port.id } })).status).toBe(200);
    const other = await setUp(c, 'nic-5');
    const inUse = await c.call('POST', `${SERVERS}/${other.id}/os-interface`, c.demo, { interfaceAttachment: { port_id: port.id } });
    expect(inUse.json()).toEqual({ conflictingRequest: { code: 409, message: `Port ${port.id} is still in use.` } });
  });
});

import { PUBLIC, startCatalogueApp, type CatalogueApp } from '../flavors/catalogue-app.js';

const NETWORKS = '/network/v2.0/networks';
const MISSING = '00000000-0000-4000-8000-000000000000';
const NETWORK_KEYS = [
  'admin_state_up', 'availability_zone_hints', 'availability_zones', 'created_at', 'description', 'id', 'ipv4_address_scope', 'ipv6_address_scope', 'is_default',
  'l2_adjacency', 'mtu', 'name', 'port_security_enabled', 'project_id', 'revision_number', 'router:external', 'shared', 'status', 'subnets', 'tags', 'tenant_id',
  'updated_at',
];

describe('network API: networks (Neutron v2.0)', () => {
  let c: CatalogueApp;
  beforeAll(async () => {
    c = await startCatalogueApp();
  });
  afterAll(async () => {
    await c?.close();
  });

  const create = (as: Record<string, string>, network: Record<string, unknown>) => c.call('POST', NETWORKS, as, { network });

  it('given no token, when the versions are discovered, then /network lists v2.0; /network/v2.0 needs a token and lists the collections', async () => {
    const root = await c.call('GET', '/network', null);
    expect(root.status).toBe(200);
    expect(root.json()).toEqual({ versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ href: `${PUBLIC}/network/v2.0/`, rel: 'self' }] }] });
    expect((await c.call('GET', '/network/', null)).json()).toEqual(root.json());
    const unauthenticated = await c.call('GET', '/network/v2.0', null);
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.json()).toEqual({ NeutronError: { type: 'HTTPUnauthorized', message: expect.any(String), detail: '' } });
    const resources = (await c.call('GET', '/network/v2.0', c.demo)).json().resources.map((r: { collection: string }) => r.collection);
    expect(resources).toEqual(expect.arrayContaining(['networks', 'subnets', 'ports', 'network-ip-availabilities', 'quotas']));
  });

  it('given no token, when any network route is called, then 401 in Neutron\'s body', async () => {
    const routes: Array<[string, string]> = [
      ['GET', NETWORKS], ['POST', NETWORKS], ['GET', `${NETWORKS}/${MISSING}`], ['PUT', `${NETWORKS}/${MISSING}`], ['DELETE', `${NETWORKS}/${MISSING}`],
      ['GET', '/network/v2.0/subnets'], ['POST', '/network/v2.0/subnets'], ['GET', `/network/v2.0/subnets/${MISSING}`], ['PUT', `/network/v2.0/subnets/${MISSING}`],
      ['DELETE', `/network/v2.0/subnets/${MISSING}`], ['GET', '/network/v2.0/ports'], ['POST', '/network/v2.0/ports'], ['GET', `/network/v2.0/ports/${MISSING}`],
      ['PUT', `/network/v2.0/ports/${MISSING}`], ['DELETE', `/network/v2.0/ports/${MISSING}`], ['GET', '/network/v2.0/network-ip-availabilities'],
      ['GET', `/network/v2.0/network-ip-availabilities/${MISSING}`], ['GET', '/network/v2.0/quotas/p'], ['GET', '/network/v2.0/quotas/p/details.json'],
      ['GET', '/network/v2.0/quotas/p/default'], ['PUT', '/network/v2.0/quotas/p'], ['DELETE', '/network/v2.0/quotas/p'], ['GET', '/network/v2.0/extensions'],
    ];
    for (const [method, path] of routes) {
      const res = await c.call(method, path, null, method === 'POST' || method === 'PUT' ? {} : undefined);
      expect({ method, path, status: res.status, type: res.json().NeutronError?.type }).toEqual({ method, path, status: 401, type: 'HTTPUnauthorized' });
    }
  });

  it('given a member, when a network is created, then 201 with Neutron\'s body, shown, listed, and the response carries a request id', async () => {
    const res = await create(c.demo, { name: 'net-a', description: 'first' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-openstack-request-id')).toMatch(/^req-[0-9a-f-]{36}$/);
    const network = res.json().network;
    expect(Object.keys(network).sort()).toEqual(NETWORK_KEYS);
    expect(network).toMatchObject({
      name: 'net-a', description: 'first', admin_state_up: true, status: 'ACTIVE', subnets: [], shared: false, 'router:external': false, mtu: 1442,
      port_security_enabled: true, availability_zones: [], ipv4_address_scope: null, ipv6_address_scope: null, is_default: false, tags: [],
    });
    expect(network.project_id).toBe(network.tenant_id);
    expect(network.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(network.revision_number).toBeGreaterThan(0);
    const shown = await c.call('GET', `${NETWORKS}/${network.id}`, c.reader);
    expect(shown.status).toBe(200);
    expect(shown.json().network).toEqual(network);
    const listed = (await c.call('GET', NETWORKS, c.demo)).json().networks.map((n: { id: string }) => n.id);
    expect(listed).toContain(network.id);
  });

  it('given a network, when updated, then the change shows and revision_number grows; a reader is refused with 403', async () => {
    const network = (await create(c.demo, { name: 'to-rename' })).json().network;
    const updated = await c.call('PUT', `${NETWORKS}/${network.id}`, c.demo, { network: { name: 'renamed', admin_state_up: false } });
    expect(updated.status).toBe(200);
    expect(updated.json().network).toMatchObject({ name: 'renamed', admin_state_up: false });
    expect(updated.json().network.revision_number).toBeGreaterThan(network.revision_number);
    const refused = await c.call('PUT', `${NETWORKS}/${network.id}`, c.reader, { network: { name: 'nope' } });
    expect(refused.status).toBe(403);
    expect(refused.json().NeutronError).toEqual({ type: 'PolicyNotAuthorized', message: 'rule:update_network is disallowed by policy', detail: '' });
    expect((await create(c.reader, { name: 'reader-net' })).status).toBe(403);
  });

  it('given another project\'s private network, when shown, updated or deleted, then 404 NetworkNotFound; a shared one is visible but not changeable', async () => {
    const private2 = (await create(c.demo2, { name: 'demo2-private' })).json().network;
    for (const [method, body] of [['GET', undefined], ['PUT', { network: { name: 'x' } }], ['DELETE', undefined]] as const) {
      const res = await c.call(method, `${NETWORKS}/${private2.id}`, c.demo, body);
      expect(res.status).toBe(404);
      expect(res.json()).toEqual({ NeutronError: { type: 'NetworkNotFound', message: `Network ${private2.id} could not be found.`, detail: '' } });
    }
    expect((await c.call('GET', NETWORKS, c.demo)).json().networks.map((n: { id: string }) => n.id)).not.toContain(private2.id);
    const shared = (await create(c.admin, { name: 'public-net', shared: true })).json().network;
    expect((await c.call('GET', `${NETWORKS}/${shared.id}`, c.demo)).status).toBe(200);
    expect((await c.call('PUT', `${NETWORKS}/${shared.id}`, c.demo, { network: { name: 'mine' } })).status).toBe(403);
    expect((await c.call('GET', `${NETWORKS}?shared=true`, c.demo)).json().networks.map((n: { id: string }) => n.id)).toEqual([shared.id]);
  });

  it('given a member, when asking for admin-only attributes, then 403; an admin creates for another project through project_id', async () => {
    expect((await create(c.demo, { name: 's', shared: true })).status).toBe(403);
    expect((await create(c.demo, { name: 'e', 'router:external': true })).status).toBe(403);
    const demoProject = (await create(c.demo, { name: 'probe' })).json().network.project_id;
    const forDemo = await create(c.admin, { name: 'made-for-demo', project_id: demoProject });
    expect(forDemo.status).toBe(201);
    expect(forDemo.json().network.project_id).toBe(demoProject);
    expect((await c.call('GET', `${NETWORKS}/${forDemo.json().network.id}`, c.demo)).status).toBe(200);
    expect((await create(c.demo2, { name: 'x', project_id: demoProject })).status).toBe(403);
  });

  it('given bad bodies, when a network is created, then 400 in Neutron\'s words', async () => {
    const unknown = await create(c.demo, { name: 'n', color: 'blue' });
    expect(unknown.status).toBe(400);
    expect(unknown.json().NeutronError).toEqual({ type: 'HTTPBadRequest', message: "Unrecognized attribute(s) 'color'", detail: '' });
    const badType = await create(c.demo, { name: 'n', admin_state_up: 'maybe' });
    expect(badType.status).toBe(400);
    expect(badType.json().NeutronError.message).toMatch(/^Invalid input for admin_state_up\. Reason: /);
    const noResource = await c.call('POST', NETWORKS, c.demo, { name: 'n' });
    expect(noResource.status).toBe(400);
    const badMtu = await create(c.demo, { name: 'n', mtu: 10 });
    expect(badMtu.status).toBe(400);
    expect(badMtu.json().NeutronError.type).toBe('InvalidInput');
  });

  it('given networks, when listed with filters, fields, sorting and paging, then Neutron\'s semantics', async () => {
    for (const name of ['page-c', 'page-a', 'page-b']) expect((await create(c.demo2, { name, description: 'paging' })).status).toBe(201);
    const byName = (await c.call('GET', `${NETWORKS}?description=paging&sort_key=name&sort_dir=asc`, c.demo2)).json().networks;
    expect(byName.map((n: { name: string }) => n.name)).toEqual(['page-a', 'page-b', 'page-c']);
    const fields = (await c.call('GET', `${NETWORKS}?name=page-a&fields=id&fields=name`, c.demo2)).json().networks;
    expect(fields).toEqual([{ id: byName[0].id, name: 'page-a' }]);
    const either = (await c.call('GET', `${NETWORKS}?name=page-a&name=page-c`, c.demo2)).json().networks;
    expect(either).toHaveLength(2);
    const page1 = (await c.call('GET', `${NETWORKS}?description=paging&sort_key=name&sort_dir=desc&limit=2`, c.demo2)).json();
    expect(page1.networks.map((n: { name: string }) => n.name)).toEqual(['page-c', 'page-b']);
    const next = page1.networks_links.find((l: { rel: string }) => l.rel === 'next').href as string;
    expect(next.startsWith(`${PUBLIC}${NETWORKS}?`)).toBe(true);
    const page2 = (await c.call('GET', next.slice(PUBLIC.length), c.demo2)).json();
    expect(page2.networks.map((n: { name: string }) => n.name)).toEqual(['page-a']);
    expect(page2.networks_links.map((l: { rel: string }) => l.rel)).toEqual(['previous']);
    expect((await c.call('GET', `${NETWORKS}?colour=red`, c.demo2)).status).toBe(400);
    expect((await c.call('GET', `${NETWORKS}?limit=x`, c.demo2)).status).toBe(400);
    expect((await c.call('GET', `${NETWORKS}?marker=${MISSING}`, c.demo2)).status).toBe(404);
  });

  it('given an empty network, when deleted, then 204 and gone; again 404', async () => {
    const network = (await create(c.demo, { name: 'short-lived' })).json().network;
    expect((await c.call('DELETE', `${NETWORKS}/${network.id}`, c.reader)).status).toBe(403);
    const res = await c.call('DELETE', `${NETWORKS}/${network.id}`, c.demo);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await c.call('GET', `${NETWORKS}/${network.id}`, c.demo)).status).toBe(404);
    expect((await c.call('DELETE', `${NETWORKS}/${network.id}`, c.demo)).status).toBe(404);
  });

  it('given a create retried with the same X-OpenStack-Request-Id, then one network', async () => {
    const headers = { ...c.demo2, 'x-openstack-request-id': 'req-3f0c8f3e-1d2b-4c5a-9e8f-7a6b5c4d3e2f' };
    const first = await c.t.request('POST', NETWORKS, { headers, body: { network: { name: 'retried' } } });
    const second = await c.t.request('POST', NETWORKS, { headers, body: { network: { name: 'retried' } } });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json().network.id).toBe(first.json().network.id);
    expect((await c.call('GET', `${NETWORKS}?name=retried`, c.demo2)).json().networks).toHaveLength(1);
  });

  it('given an unknown route under /network, then 404 in Neutron\'s body', async () => {
    const res = await c.call('GET', '/network/v2.0/routers', c.demo);
    expect(res.status).toBe(404);
    expect(res.json().NeutronError.type).toBe('HTTPNotFound');
    expect((await c.call('GET', '/network/v2.0/extensions', c.demo)).json().extensions.map((e: { alias: string }) => e.alias)).toContain('binding');
    expect((await c.call('GET', '/network/v2.0/extensions/tag-ports-during-bulk-creation', c.demo)).status).toBe(404);
  });
});

import { waitFor } from '../../support/redis.js';
import { startCatalogueApp, type CatalogueApp } from '../flavors/catalogue-app.js';
import { FAST_SIMULATOR_ENV } from '../../support/fast-simulator-env.js';

const SERVERS = '/compute/v2.1/servers';
const IMAGE = 'docker://quay.io/containerdisks/fedora:41';

/**
 * Which networks a project may see (Neutron's list) and put a server's port on (Nova's boot and
 * os-interface attach): one rule, so the three answers must agree for every kind of network.
 */
describe('network visibility across the Neutron list, boot networks and os-interface', () => {
  let c: CatalogueApp;
  beforeAll(async () => {
    c = await startCatalogueApp({ ...FAST_SIMULATOR_ENV, TASK_DEADLINE_SECONDS: '30' });
  });
  afterAll(async () => {
    await c?.close();
  });

  const network = async (as: Record<string, string>, name: string, cidr: string, attributes: Record<string, unknown> = {}) => {
    const created = await c.call('POST', '/network/v2.0/networks', as, { network: { name, ...attributes } });
    expect(created.status).toBe(201);
    const id = created.json().network.id as string;
    expect((await c.call('POST', '/network/v2.0/subnets', as, { subnet: { network_id: id, cidr, ip_version: 4 } })).status).toBe(201);
    return id;
  };
  const boot = (as: Record<string, string>, name: string, networks: unknown) => c.call('POST', SERVERS, as, { server: { name, flavorRef: '1', imageRef: IMAGE, networks } }, '2.37');
  const active = (id: string) =>
    waitFor(async () => ((await c.call('GET', `${SERVERS}/${id}`, c.admin)).json().server.status === 'ACTIVE' ? true : undefined), 30_000, `${id} ACTIVE`);

  const messageOf = (body: Record<string, { message: string }>) => Object.values(body)[0]!.message;

  // First: the next test makes a shared network, which would be a second candidate for 'auto'.
  it("given a project whose only network is its own external one (an admin made it), when a member boots with 'auto', then Nova's 403 for the one it picks and nothing is made", async () => {
    const scratch = await network(c.demo2, 'use-scratch', '10.65.0.0/24');
    const demo2Project = (await c.call('GET', `/network/v2.0/networks/${scratch}`, c.demo2)).json().network.project_id as string;
    expect((await c.call('DELETE', `/network/v2.0/networks/${scratch}`, c.demo2)).status).toBe(204);
    const external = await network(c.admin, 'use-own-external', '10.66.0.0/24', { 'router:external': true, project_id: demo2Project });

    const refused = await boot(c.demo2, 'use-auto', 'auto');
    expect({ status: refused.status, body: refused.json() }).toEqual({
      status: 403, body: { forbidden: { code: 403, message: `It is not allowed to create an interface on external network ${external}` } },
    });
    expect((await c.call('GET', `/network/v2.0/ports?network_id=${external}`, c.admin)).json().ports).toEqual([]);
    expect((await c.call('GET', SERVERS, c.demo2)).json().servers).toEqual([]);
    expect((await c.call('DELETE', `/network/v2.0/networks/${external}`, c.admin)).status).toBe(204);
  });

  it('given own, another project\'s, shared and external networks, then a member lists own, shared and external, boots and attaches on own and shared only; an admin boots on any', async () => {
    const networks = {
      own: await network(c.demo, 'use-own', '10.61.0.0/24'),
      others: await network(c.demo2, 'use-others', '10.62.0.0/24'),
      shared: await network(c.admin, 'use-shared', '10.63.0.0/24', { shared: true }),
      external: await network(c.admin, 'use-external', '10.64.0.0/24', { 'router:external': true }),
    };
    const created = await boot(c.demo, 'use-attach', 'none');
    expect(created.status).toBe(202);
    const serverId = created.json().server.id as string;
    await active(serverId);
    const listed = new Set(((await c.call('GET', '/network/v2.0/networks', c.demo)).json().networks as Array<{ id: string }>).map((n) => n.id));

    const answers: Record<string, { listed: boolean; boot: number; attach: number }> = {};
    const refusals: Record<string, { boot: string; attach: string }> = {};
    const booting: string[] = [];
    for (const [kind, id] of Object.entries(networks)) {
      const booted = await boot(c.demo, `use-${kind}`, [{ uuid: id }]);
      if (booted.status === 202) booting.push(booted.json().server.id as string);
      const attached = await c.call('POST', `${SERVERS}/${serverId}/os-interface`, c.demo, { interfaceAttachment: { net_id: id } });
      answers[kind] = { listed: listed.has(id), boot: booted.status, attach: attached.status };
      if (booted.status >= 400) refusals[kind] = { boot: messageOf(booted.json()), attach: messageOf(attached.json()) };
    }

    // Another project's private network is not found (its id does not leak); an external one is
    // readable, so Nova says why it may not be used.
    expect(answers).toEqual({
      own: { listed: true, boot: 202, attach: 200 },
      others: { listed: false, boot: 400, attach: 404 },
      shared: { listed: true, boot: 202, attach: 200 },
      external: { listed: true, boot: 403, attach: 403 },
    });
    expect(refusals).toEqual({
      others: { boot: `Network ${networks.others} could not be found.`, attach: `Network ${networks.others} could not be found.` },
      external: {
        boot: `It is not allowed to create an interface on external network ${networks.external}`,
        attach: `It is not allowed to create an interface on external network ${networks.external}`,
      },
    });
    // The refusals made nothing: no port on either network, no server by those names.
    for (const id of [networks.others, networks.external]) expect((await c.call('GET', `/network/v2.0/ports?network_id=${id}`, c.admin)).json().ports).toEqual([]);
    const names = ((await c.call('GET', SERVERS, c.demo)).json().servers as Array<{ name: string }>).map((s) => s.name);
    expect(names).not.toContain('use-others');
    expect(names).not.toContain('use-external');
    for (const id of [networks.others, networks.external]) {
      const booted = await boot(c.admin, 'use-admin', [{ uuid: id }]);
      expect(booted.status).toBe(202);
      booting.push(booted.json().server.id as string);
    }
    // Left to settle, so no create is cut off by the app's close.
    for (const id of booting) await active(id);
  });
});

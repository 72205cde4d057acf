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
    const booting: string[] = [];
    for (const [kind, id] of Object.entries(networks)) {
      const booted = await boot(c.demo, `use-${kind}`, [{ uuid: id }]);
      if (booted.status === 202) booting.push(booted.json().server.id as string);
      const attached = await c.call('POST', `${SERVERS}/${serverId}/os-interface`, c.demo, { interfaceAttachment: { net_id: id } });
      answers[kind] = { listed: listed.has(id), boot: booted.status, attach: attached.status };
    }

    expect(answers).toEqual({
      own: { listed: true, boot: 202, attach: 200 },
      others: { listed: false, boot: 400, attach: 404 },
      shared: { listed: true, boot: 202, attach: 200 },
      external: { listed: true, boot: 400, attach: 404 },
    });
    for (const id of [networks.others, networks.external]) {
      const booted = await boot(c.admin, 'use-admin', [{ uuid: id }]);
      expect(booted.status).toBe(202);
      booting.push(booted.json().server.id as string);
    }
    // Left to settle, so no create is cut off by the app's close.
    for (const id of booting) await active(id);
  });
});

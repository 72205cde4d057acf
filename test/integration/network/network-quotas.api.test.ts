import { startCatalogueApp, type CatalogueApp } from '../flavors/catalogue-app.js';

const QUOTAS = '/network/v2.0/quotas';
const DEFAULTS = { network: 100, subnet: 100, port: 500, router: 10, floatingip: 50, security_group: 10, security_group_rule: 100, rbac_policy: 10, subnetpool: -1 };

describe('network API: quotas', () => {
  let c: CatalogueApp;
  let demo: string;
  let demo2: string;
  beforeAll(async () => {
    c = await startCatalogueApp();
    demo = (await c.call('POST', '/network/v2.0/networks', c.demo, { network: { name: 'quota-probe' } })).json().network.project_id;
    demo2 = (await c.call('POST', '/network/v2.0/networks', c.demo2, { network: { name: 'quota-probe-2' } })).json().network.project_id;
  });
  afterAll(async () => {
    await c?.close();
  });

  it('given a project, when its quotas are shown, then Neutron\'s defaults; details count its networks, subnets and ports', async () => {
    const res = await c.call('GET', `${QUOTAS}/${demo}`, c.demo);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ quota: DEFAULTS });
    expect((await c.call('GET', `${QUOTAS}/${demo}/default`, c.reader)).json()).toEqual({ quota: DEFAULTS });
    for (const path of [`${QUOTAS}/${demo}/details.json`, `${QUOTAS}/${demo}/details`]) {
      const details = (await c.call('GET', path, c.demo)).json().quota;
      expect(details.network).toEqual({ used: 1, limit: 100, reserved: 0 });
      expect(details.port).toEqual({ used: 0, limit: 500, reserved: 0 });
      expect(Object.keys(details).sort()).toEqual(Object.keys(DEFAULTS).sort());
    }
  });

  it('given a member, when another project\'s quotas are asked for or any are changed, then 403', async () => {
    expect((await c.call('GET', `${QUOTAS}/${demo2}`, c.demo)).status).toBe(403);
    const res = await c.call('PUT', `${QUOTAS}/${demo}`, c.demo, { quota: { network: 1 } });
    expect(res.status).toBe(403);
    expect(res.json().NeutronError.type).toBe('PolicyNotAuthorized');
  });

  it('given an admin, when a limit is set, then it shows, a create past it is 409 OverQuota, and a reset brings the defaults back', async () => {
    const set = await c.call('PUT', `${QUOTAS}/${demo2}`, c.admin, { quota: { network: 1, port: 20 } });
    expect(set.status).toBe(200);
    expect(set.json().quota).toEqual({ ...DEFAULTS, network: 1, port: 20 });
    expect((await c.call('GET', `${QUOTAS}/${demo2}`, c.demo2)).json().quota.network).toBe(1);
    const over = await c.call('POST', '/network/v2.0/networks', c.demo2, { network: { name: 'one-too-many' } });
    expect(over.status).toBe(409);
    expect(over.json().NeutronError).toEqual({ type: 'OverQuota', message: "Quota exceeded for resources: ['network'].", detail: '' });
    expect((await c.call('DELETE', `${QUOTAS}/${demo2}`, c.admin)).status).toBe(204);
    expect((await c.call('GET', `${QUOTAS}/${demo2}`, c.admin)).json()).toEqual({ quota: DEFAULTS });
    expect((await c.call('POST', '/network/v2.0/networks', c.demo2, { network: { name: 'fits-now' } })).status).toBe(201);
  });

  it('given bad quota bodies, then 400', async () => {
    expect((await c.call('PUT', `${QUOTAS}/${demo}`, c.admin, { quota: { volumes: 3 } })).json().NeutronError.message).toBe("Unrecognized attribute(s) 'volumes'");
    expect((await c.call('PUT', `${QUOTAS}/${demo}`, c.admin, { quota: { network: -2 } })).status).toBe(400);
    expect((await c.call('PUT', `${QUOTAS}/${demo}`, c.admin, { quota: { network: 'many' } })).status).toBe(400);
  });
});

import { authHeaders, startTestApp, type TestApp } from '../../support/test-app.js';

const V3 = (base: string) => ({
  id: 'v3.14',
  status: 'stable',
  updated: '2020-04-07T00:00:00Z',
  links: [{ rel: 'self', href: `${base}/identity/v3/` }],
  'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
});

describe('version discovery and the service catalog, with PUBLIC_URL', () => {
  const base = 'https://cloud.example.test:8443';
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SIM_PERSIST: 'false', PUBLIC_URL: `${base}/` });
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(['/', '/identity', '/identity/'])('given no token, when %s is asked, then 300 Multiple Choices listing identity v3', async (path) => {
    const res = await t.request('GET', path);
    expect(res.status).toBe(300);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ versions: { values: [V3(base)] } });
  });

  it.each(['/identity/v3', '/identity/v3/'])('given no token, when %s is asked, then 200 with the version document', async (path) => {
    const res = await t.request('GET', path);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ version: V3(base) });
  });

  it('given a scoped token, when the catalog is read from the token and from auth/catalog, then compute, network, image and identity, each with three interfaces in RegionOne under PUBLIC_URL', async () => {
    const token = await t.login('demo');
    const fromToken = (await t.request('GET', '/identity/v3/auth/tokens', { headers: { ...authHeaders(token), 'x-subject-token': token } })).json().token.catalog;
    const res = await t.request('GET', '/identity/v3/auth/catalog', { headers: authHeaders(token) });

    expect(res.status).toBe(200);
    expect(res.json().catalog).toEqual(fromToken);
    expect(res.json().links).toEqual({ self: `${base}/identity/v3/auth/catalog`, previous: null, next: null });
    const catalog = fromToken as Array<{ id: string; type: string; name: string; endpoints: Array<Record<string, string>> }>;
    expect(catalog.map((s) => [s.type, s.name])).toEqual([
      ['compute', 'nova'],
      ['network', 'neutron'],
      ['image', 'glance'],
      ['identity', 'keystone'],
    ]);
    const urls = { compute: '/compute/v2.1', network: '/network', image: '/image', identity: '/identity/v3' } as Record<string, string>;
    for (const service of catalog) {
      expect(service.id).toMatch(/^[0-9a-f]{32}$/);
      expect(service.endpoints).toEqual(
        ['public', 'internal', 'admin'].map((iface) => ({
          id: expect.stringMatching(/^[0-9a-f]{32}$/),
          interface: iface,
          region: 'RegionOne',
          region_id: 'RegionOne',
          url: `${base}${urls[service.type]}`,
        })),
      );
    }
  });

  it('given an unscoped token, when auth/catalog is asked, then 403', async () => {
    const unscoped = await t.request('POST', '/identity/v3/auth/tokens', {
      body: { auth: { identity: { methods: ['password'], password: { user: { name: 'demo', domain: { id: 'default' }, password: 'demo-secret' } } }, scope: 'unscoped' } },
    });
    const res = await t.request('GET', '/identity/v3/auth/catalog', { headers: authHeaders(unscoped.headers.get('x-subject-token')!) });
    expect(res.status).toBe(403);
    expect(res.json().error.title).toBe('Forbidden');
  });

  it("given an unknown path under /identity, when asked, then 404 in Keystone's body form", async () => {
    const res = await t.request('GET', '/identity/v3/nothing-here');
    expect(res.status).toBe(404);
    expect(res.json().error).toMatchObject({ code: 404, title: 'Not Found' });
  });
});

describe('the service catalog without PUBLIC_URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SIM_PERSIST: 'false', HOST: '127.0.0.1', PORT: '8774' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('given HOST and PORT, when the catalog is read, then URLs are built from http://HOST:PORT', async () => {
    const res = await t.request('GET', '/identity/v3/auth/catalog', { headers: authHeaders(await t.login('admin')) });
    const compute = res.json().catalog.find((s: { type: string }) => s.type === 'compute');
    expect(compute.endpoints[0].url).toBe('http://127.0.0.1:8774/compute/v2.1');
    expect((await t.request('GET', '/identity/v3')).json().version.links[0].href).toBe('http://127.0.0.1:8774/identity/v3/');
  });
});

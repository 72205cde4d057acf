import { startTestApp, type TestApp } from '../../support/test-app.js';

const REQ_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('compute version discovery, microversions and request ids', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SIM_PERSIST: 'false', PUBLIC_URL: 'http://cloud.example:8774' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(['/compute', '/compute/'])('given no token, when %s is asked, then both major versions with working links', async (path) => {
    const res = await t.request('GET', path);
    expect(res.status).toBe(200);
    const { versions } = res.json();
    expect(versions).toEqual([
      { id: 'v2.0', status: 'SUPPORTED', version: '', min_version: '', updated: '2011-01-21T11:33:21Z', links: [{ rel: 'self', href: 'http://cloud.example:8774/compute/v2/' }] },
      { id: 'v2.1', status: 'CURRENT', version: '2.96', min_version: '2.1', updated: '2013-07-23T11:33:21Z', links: [{ rel: 'self', href: 'http://cloud.example:8774/compute/v2.1/' }] },
    ]);
    for (const v of versions) {
      const self = await t.request('GET', new URL(v.links[0].href).pathname);
      expect(self.status).toBe(200);
      expect(self.json().version.id).toBe(v.id);
    }
  });

  it.each(['/compute/v2.1', '/compute/v2.1/'])('given %s, then the v2.1 document with its microversion range', async (path) => {
    const res = await t.request('GET', path);
    expect(res.status).toBe(200);
    expect(res.json().version).toMatchObject({
      id: 'v2.1',
      status: 'CURRENT',
      version: '2.96',
      min_version: '2.1',
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }],
    });
  });

  it('given no version header, then the answer names 2.1 in both headers with Vary', async () => {
    const res = await t.request('GET', '/compute/v2.1');
    expect(res.headers.get('openstack-api-version')).toBe('compute 2.1');
    expect(res.headers.get('x-openstack-nova-api-version')).toBe('2.1');
    expect(res.headers.get('vary')).toBe('OpenStack-API-Version, X-OpenStack-Nova-API-Version');
  });

  it.each([
    [{ 'openstack-api-version': 'compute 2.47' }, '2.47'],
    [{ 'x-openstack-nova-api-version': '2.60' }, '2.60'],
    [{ 'openstack-api-version': 'compute latest' }, '2.96'],
  ])('given %j, then the negotiated version is echoed', async (headers, echoed) => {
    const res = await t.request('GET', '/compute/v2.1', { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('openstack-api-version')).toBe(`compute ${echoed}`);
    expect(res.headers.get('x-openstack-nova-api-version')).toBe(echoed);
  });

  it("given compute 2.200, then 406 in Nova's body", async () => {
    const res = await t.request('GET', '/compute/v2.1/servers', { headers: { 'openstack-api-version': 'compute 2.200' } });
    expect(res.status).toBe(406);
    expect(res.json()).toEqual({
      computeFault: { code: 406, message: 'Version 2.200 is not supported by the API. Minimum is 2.1 and maximum is 2.96.' },
    });
  });

  it('given a malformed version, then 400', async () => {
    const res = await t.request('GET', '/compute/v2.1', { headers: { 'x-openstack-nova-api-version': '2.x' } });
    expect(res.status).toBe(400);
    expect(res.json().badRequest.message).toMatch(/invalid format/);
  });

  it('every response carries a request id, also errors and unknown paths', async () => {
    for (const path of ['/compute', '/compute/v2.1/servers', '/compute/v2.1/nope', '/healthz']) {
      const res = await t.request('GET', path);
      expect(res.headers.get('x-openstack-request-id')).toMatch(REQ_ID);
    }
    const compute = await t.request('GET', '/compute/v2.1');
    expect(compute.headers.get('x-compute-request-id')).toBe(compute.headers.get('x-openstack-request-id'));
  });

  it("given a client's request id of Nova's form, then it is used; a malformed one is replaced", async () => {
    const mine = 'req-0b7e5a4c-1f2d-4e3a-9b8c-7d6e5f4a3b2c';
    const kept = await t.request('GET', '/compute/v2.1', { headers: { 'x-openstack-request-id': mine } });
    expect(kept.headers.get('x-openstack-request-id')).toBe(mine);
    const replaced = await t.request('GET', '/compute/v2.1', { headers: { 'x-openstack-request-id': 'req-<script>' } });
    expect(replaced.headers.get('x-openstack-request-id')).toMatch(REQ_ID);
    expect(replaced.headers.get('x-openstack-request-id')).not.toContain('script');
  });
});

import { PUBLIC, startCatalogueApp, type CatalogueApp } from './catalogue-app.js';

const DETAIL_KEYS_2_1 = [
  'OS-FLV-DISABLED:disabled',
  'OS-FLV-EXT-DATA:ephemeral',
  'disk',
  'id',
  'links',
  'name',
  'os-flavor-access:is_public',
  'ram',
  'rxtx_factor',
  'swap',
  'vcpus',
];

describe('compute flavors API', () => {
  let c: CatalogueApp;
  beforeAll(async () => {
    c = await startCatalogueApp();
  });
  afterAll(async () => {
    await c?.close();
  });

  it('given no token, when flavors are listed, then 401', async () => {
    const res = await c.call('GET', '/compute/v2.1/flavors', null);
    expect(res.status).toBe(401);
  });

  it('given the seeded catalogue, when listed, then id, links and name, ordered by flavor id', async () => {
    const res = await c.call('GET', '/compute/v2.1/flavors', c.demo);
    expect(res.status).toBe(200);
    const flavors = res.json().flavors as Array<Record<string, unknown>>;
    expect(flavors.map((f) => f.name)).toEqual(['m1.tiny', 'm1.small', 'm1.medium', 'm1.large', 'm1.xlarge']);
    expect(Object.keys(flavors[0]!).sort()).toEqual(['id', 'links', 'name']);
    expect(flavors[0]!.links).toEqual([
      { href: `${PUBLIC}/compute/v2.1/flavors/1`, rel: 'self' },
      { href: `${PUBLIC}/compute/flavors/1`, rel: 'bookmark' },
    ]);
    const v255 = await c.call('GET', '/compute/v2.1/flavors', c.demo, undefined, '2.55');
    expect(Object.keys(v255.json().flavors[0]).sort()).toEqual(['description', 'id', 'links', 'name']);
  });

  it('given a flavor, when shown at 2.1, 2.55, 2.61 and 2.75, then the keys are those of each microversion', async () => {
    const at = async (version?: string) => (await c.call('GET', '/compute/v2.1/flavors/1', c.demo, undefined, version)).json().flavor;
    const v21 = await at();
    expect(Object.keys(v21).sort()).toEqual(DETAIL_KEYS_2_1);
    expect(v21).toMatchObject({ id: '1', name: 'm1.tiny', ram: 512, disk: 1, vcpus: 1, swap: '', rxtx_factor: 1.0, 'OS-FLV-EXT-DATA:ephemeral': 0, 'OS-FLV-DISABLED:disabled': false, 'os-flavor-access:is_public': true });
    expect(Object.keys(await at('2.55')).sort()).toEqual([...DETAIL_KEYS_2_1, 'description'].sort());
    const v261 = await at('2.61');
    expect(Object.keys(v261).sort()).toEqual([...DETAIL_KEYS_2_1, 'description', 'extra_specs'].sort());
    expect(v261.extra_specs).toEqual({ 'hw:max_vcpus': '4', 'hw:max_ram_mb': '2048' });
    expect((await at('2.75')).swap).toBe(0);
  });

  it('given filters, when listing details, then minRam, minDisk, sort and paging apply', async () => {
    const big = await c.call('GET', '/compute/v2.1/flavors/detail?minRam=4096&minDisk=50', c.demo);
    expect(big.json().flavors.map((f: { id: string }) => f.id)).toEqual(['4', '5']);
    const sorted = await c.call('GET', '/compute/v2.1/flavors?sort_key=memory_mb&sort_dir=desc', c.demo);
    expect(sorted.json().flavors.map((f: { name: string }) => f.name)[0]).toBe('m1.xlarge');
    const page1 = await c.call('GET', '/compute/v2.1/flavors?limit=2', c.demo);
    expect(page1.json().flavors.map((f: { id: string }) => f.id)).toEqual(['1', '2']);
    expect(page1.json().flavors_links).toEqual([{ href: `${PUBLIC}/compute/v2.1/flavors?limit=2&marker=2`, rel: 'next' }]);
    const page2 = await c.call('GET', '/compute/v2.1/flavors?limit=2&marker=2', c.demo);
    expect(page2.json().flavors.map((f: { id: string }) => f.id)).toEqual(['3', '4']);
    expect((await c.call('GET', '/compute/v2.1/flavors?marker=nope', c.demo)).status).toBe(400);
    expect((await c.call('GET', '/compute/v2.1/flavors?sort_key=colour', c.demo)).status).toBe(400);
    expect((await c.call('GET', '/compute/v2.1/flavors?minRam=lots', c.demo)).status).toBe(400);
  });

  it('given admin, when a flavor is created, then 200 with its detail; it lists, and its name and id are taken (409)', async () => {
    const body = { flavor: { name: 'edge.small', ram: 1024, vcpus: 2, disk: 10, id: 'edge-1', swap: 512, 'hw:max_vcpus': 16 } };
    const res = await c.call('POST', '/compute/v2.1/flavors', c.admin, body, '2.61');
    expect(res.status).toBe(200);
    expect(res.json().flavor).toMatchObject({ id: 'edge-1', name: 'edge.small', ram: 1024, vcpus: 2, disk: 10, swap: 512, description: null });
    expect(res.json().flavor.extra_specs).toEqual({ 'hw:max_vcpus': '16', 'hw:max_ram_mb': '4096' });
    const listed = await c.call('GET', '/compute/v2.1/flavors', c.demo);
    expect(listed.json().flavors.map((f: { id: string }) => f.id)).toContain('edge-1');

    const sameName = await c.call('POST', '/compute/v2.1/flavors', c.admin, { flavor: { ...body.flavor, id: 'edge-2' } });
    expect(sameName.status).toBe(409);
    expect(sameName.json()).toEqual({ conflictingRequest: { code: 409, message: 'Flavor with name edge.small already exists.' } });
    const sameId = await c.call('POST', '/compute/v2.1/flavors', c.admin, { flavor: { ...body.flavor, name: 'other' } });
    expect(sameId.status).toBe(409);
    expect(sameId.json().conflictingRequest.message).toBe('Flavor with ID edge-1 already exists.');
  });

  it('given a private flavor without an id, when created, then it gets one and only admin lists it (is_public=none or false)', async () => {
    const res = await c.call('POST', '/compute/v2.1/flavors', c.admin, { flavor: { name: 'private.one', ram: 256, vcpus: 1, disk: 0, 'os-flavor-access:is_public': false } });
    expect(res.status).toBe(200);
    const id = res.json().flavor.id as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const ids = async (path: string, as: Record<string, string>) => (await c.call('GET', path, as)).json().flavors.map((f: { id: string }) => f.id);
    expect(await ids('/compute/v2.1/flavors', c.demo)).not.toContain(id);
    expect(await ids('/compute/v2.1/flavors?is_public=false', c.demo)).not.toContain(id);
    expect(await ids('/compute/v2.1/flavors', c.admin)).not.toContain(id);
    expect(await ids('/compute/v2.1/flavors?is_public=none', c.admin)).toContain(id);
    expect(await ids('/compute/v2.1/flavors?is_public=false', c.admin)).toEqual([id]);
  });

  it.each([
    ['no body', undefined],
    ['no name', { flavor: { ram: 1, vcpus: 1, disk: 0 } }],
    ['zero vcpus', { flavor: { name: 'x', ram: 1, vcpus: 0, disk: 0 } }],
    ['an unknown key', { flavor: { name: 'x', ram: 1, vcpus: 1, disk: 0, colour: 'red' } }],
    ['headroom below the size', { flavor: { name: 'x', ram: 1024, vcpus: 4, disk: 0, 'hw:max_vcpus': 2 } }],
  ])('given %s, when admin creates a flavor, then 400', async (_why, body) => {
    const res = await c.call('POST', '/compute/v2.1/flavors', c.admin, body);
    expect(res.status).toBe(400);
    expect(res.json().badRequest.code).toBe(400);
  });

  it('given a description before 2.55, when created, then 400', async () => {
    const res = await c.call('POST', '/compute/v2.1/flavors', c.admin, { flavor: { name: 'd', ram: 1, vcpus: 1, disk: 0, description: 'x' } });
    expect(res.status).toBe(400);
  });

  it('given a member or a reader, when creating or deleting a flavor or setting extra specs, then 403', async () => {
    for (const who of [c.demo, c.reader]) {
      expect((await c.call('POST', '/compute/v2.1/flavors', who, { flavor: { name: 'm', ram: 1, vcpus: 1, disk: 0 } })).status).toBe(403);
      expect((await c.call('DELETE', '/compute/v2.1/flavors/1', who)).status).toBe(403);
      expect((await c.call('POST', '/compute/v2.1/flavors/1/os-extra_specs', who, { extra_specs: { a: 'b' } })).status).toBe(403);
    }
  });

  it('given a flavor, when admin sets extra specs, then they show, one by one and with the headroom; headroom keys are refused', async () => {
    await c.call('POST', '/compute/v2.1/flavors', c.admin, { flavor: { name: 'specs', ram: 512, vcpus: 1, disk: 0, id: 'specs' } });
    const set = await c.call('POST', '/compute/v2.1/flavors/specs/os-extra_specs', c.admin, { extra_specs: { 'hw:cpu_policy': 'dedicated', 'quota:cpu_shares': 1024 } });
    expect(set.status).toBe(200);
    expect(set.json()).toEqual({ extra_specs: { 'hw:cpu_policy': 'dedicated', 'quota:cpu_shares': '1024' } });
    const all = await c.call('GET', '/compute/v2.1/flavors/specs/os-extra_specs', c.demo);
    expect(all.json()).toEqual({ extra_specs: { 'hw:cpu_policy': 'dedicated', 'quota:cpu_shares': '1024', 'hw:max_vcpus': '4', 'hw:max_ram_mb': '2048' } });
    const one = await c.call('GET', '/compute/v2.1/flavors/specs/os-extra_specs/hw:max_vcpus', c.reader);
    expect(one.json()).toEqual({ 'hw:max_vcpus': '4' });
    const put = await c.call('PUT', '/compute/v2.1/flavors/specs/os-extra_specs/hw:cpu_policy', c.admin, { 'hw:cpu_policy': 'shared' });
    expect(put.status).toBe(200);
    expect((await c.call('GET', '/compute/v2.1/flavors/specs/os-extra_specs/hw:cpu_policy', c.demo)).json()).toEqual({ 'hw:cpu_policy': 'shared' });
    expect((await c.call('PUT', '/compute/v2.1/flavors/specs/os-extra_specs/a', c.admin, { b: 'c' })).status).toBe(400);
    expect((await c.call('POST', '/compute/v2.1/flavors/specs/os-extra_specs', c.admin, { extra_specs: { 'hw:max_vcpus': '64' } })).status).toBe(400);
    expect((await c.call('POST', '/compute/v2.1/flavors/specs/os-extra_specs', c.admin, { specs: {} })).status).toBe(400);
    const missing = await c.call('GET', '/compute/v2.1/flavors/specs/os-extra_specs/nope', c.demo);
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ itemNotFound: { code: 404, message: 'Flavor specs has no extra specs with key nope.' } });
  });

  it('given a flavor, when admin deletes it, then 202 and it is gone (404), and deleting again is 404', async () => {
    await c.call('POST', '/compute/v2.1/flavors', c.admin, { flavor: { name: 'doomed', ram: 512, vcpus: 1, disk: 0, id: 'doomed' } });
    const res = await c.call('DELETE', '/compute/v2.1/flavors/doomed', c.admin);
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
    const gone = await c.call('GET', '/compute/v2.1/flavors/doomed', c.demo);
    expect(gone.status).toBe(404);
    expect(gone.json()).toEqual({ itemNotFound: { code: 404, message: 'Flavor doomed could not be found.' } });
    expect((await c.call('DELETE', '/compute/v2.1/flavors/doomed', c.admin)).status).toBe(404);
    expect((await c.call('GET', '/compute/v2.1/flavors/doomed/os-extra_specs', c.demo)).status).toBe(404);
  });
});

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../support/redis.js';
import { authHeaders, startTestApp, type TestApp } from '../../support/test-app.js';

const IDENTITY_FILE = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'compute', 'fixtures', 'tenants.json');
const NOT_FOUND = (id: string) => ({ itemNotFound: { code: 404, message: `Instance ${id} could not be found.` } });

/**
 * A member of one project can neither see nor act on another project's server: every endpoint that
 * names a server answers 404 as Nova does (never 403, which would confirm the id exists), lists and
 * queries leave it out, and nothing about it changes.
 */
describe('tenant isolation across every endpoint', () => {
  let t: TestApp;
  let demo: Record<string, string>;
  let demo2: Record<string, string>;
  let auditor2: Record<string, string>;
  let server: string;
  let requestId: string;
  let demoProject: string;

  const get = (path: string, headers: Record<string, string>) => t.request('GET', path, { headers });
  const snapshot = async () => {
    const s = (await get(`/compute/v2.1/servers/${server}`, demo)).json().server;
    return { name: s.name, status: s.status, locked: s.locked, updated: s.updated };
  };

  beforeAll(async () => {
    t = await startTestApp({ SIM_PERSIST: 'false', IDENTITY_FILE });
    demo = authHeaders(await t.login('demo'));
    demo2 = authHeaders(await t.login('demo2', { password: 'demo2-secret' }));
    auditor2 = authHeaders(await t.login('auditor', { password: 'auditor-secret', project: 'demo2' }));
    const created = await t.request('POST', '/compute/v2.1/servers', {
      headers: demo,
      body: { server: { name: 'owned-by-demo', flavorRef: '1', imageRef: 'docker://quay.io/containerdisks/fedora:41', networks: 'none' } },
    });
    server = created.json().server.id;
    requestId = created.headers.get('x-openstack-request-id')!;
    await waitFor(async () => ((await get(`/compute/v2.1/servers/${server}`, demo)).json().server?.status === 'ACTIVE' ? true : undefined), 15_000, 'server ACTIVE');
    demoProject = (await get(`/compute/v2.1/servers/${server}`, demo)).json().server.tenant_id;
  });
  afterAll(async () => {
    await t?.close();
  });

  const reads = () => [
    ['GET', `/compute/v2.1/servers/${server}`],
    ['GET', `/compute/v2.1/servers/${server}/os-instance-actions`],
    ['GET', `/compute/v2.1/servers/${server}/os-instance-actions/${requestId}`],
    ['GET', `/audit/v1/servers/${server}/state?at=${encodeURIComponent(new Date().toISOString())}`],
  ] as const;

  const writes = () => [
    ['PUT', `/compute/v2.1/servers/${server}`, { server: { name: 'hijacked' } }],
    ['DELETE', `/compute/v2.1/servers/${server}`, undefined],
    ...[{ 'os-stop': null }, { 'os-start': null }, { pause: null }, { unpause: null }, { reboot: { type: 'HARD' } }, { lock: null }, { unlock: null }].map(
      (body) => ['POST', `/compute/v2.1/servers/${server}/action`, body] as const,
    ),
  ] as const;

  it("given another project's member, when they read the server by any path, then 404 in Nova's words", async () => {
    for (const [method, path] of reads()) {
      const res = await t.request(method, path, { headers: demo2 });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    expect((await get(`/compute/v2.1/servers/${server}`, demo2)).json()).toEqual(NOT_FOUND(server));
  });

  it("given another project's member, when they try every write on the server, then 404 and the server is unchanged", async () => {
    const before = await snapshot();

    for (const [method, path, body] of writes()) {
      const res = await t.request(method, path, { headers: demo2, body });
      expect({ method, path, body, status: res.status }).toEqual({ method, path, body, status: 404 });
    }

    expect(await snapshot()).toEqual(before);
    const actions = (await get(`/compute/v2.1/servers/${server}/os-instance-actions`, demo)).json().instanceActions;
    expect(actions.map((a: { action: string }) => a.action)).toEqual(['create']);
  });

  it("given a reader of another project, when they try the same, then 404 too (not 403, which would confirm the id)", async () => {
    for (const [method, path, body] of [...reads().map(([m, p]) => [m, p, undefined] as const), ...writes()]) {
      const res = await t.request(method, path, { headers: auditor2, body });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
  });

  it("given another project's member, when they list, page, filter and query the audit log, then the server is never among the answers", async () => {
    const lists = [
      '/compute/v2.1/servers',
      '/compute/v2.1/servers/detail',
      '/compute/v2.1/servers?name=owned-by-demo',
      `/audit/v1/events?server_id=${server}`,
      '/audit/v1/events',
    ];
    for (const path of lists) {
      const res = await get(path, demo2);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.text).not.toContain(server);
    }
    // A marker from another project is as unknown as any other id.
    expect((await get(`/compute/v2.1/servers?marker=${server}`, demo2)).status).toBe(400);
  });

  it("given another project's member, when they ask for everyone's servers or another project's audit and quotas, then 403 by policy", async () => {
    expect((await get('/compute/v2.1/servers?all_tenants=1', demo2)).status).toBe(403);
    expect((await get(`/audit/v1/events?project_id=${demoProject}`, demo2)).status).toBe(403);
    expect((await get(`/compute/v2.1/os-quota-sets/${demoProject}`, demo2)).status).toBe(403);
    expect((await get(`/compute/v2.1/limits?tenant_id=${demoProject}`, demo2)).status).toBe(403);
  });

  it("given the owner's key pair, when another project's member reads or deletes it by name, then 404", async () => {
    const created = await t.request('POST', '/compute/v2.1/os-keypairs', { headers: demo, body: { keypair: { name: 'demo-only' } } });
    expect(created.status).toBe(200);

    expect((await get('/compute/v2.1/os-keypairs/demo-only', demo2)).status).toBe(404);
    expect((await t.request('DELETE', '/compute/v2.1/os-keypairs/demo-only', { headers: demo2 })).status).toBe(404);
    expect((await get('/compute/v2.1/os-keypairs', demo2)).text).not.toContain('demo-only');
    expect((await get('/compute/v2.1/os-keypairs/demo-only', demo)).status).toBe(200);
  });

  it('given the owner, then every path answers them (so the 404s above are isolation, not broken paths)', async () => {
    for (const [method, path] of reads()) {
      const res = await t.request(method, path, { headers: demo });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
  });
});

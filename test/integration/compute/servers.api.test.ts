import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../support/redis.js';
import { authHeaders, startTestApp, type TestApp } from '../../support/test-app.js';

const IDENTITY_FILE = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'tenants.json');
const V = (v: string) => ({ 'openstack-api-version': `compute ${v}` });

describe('Nova servers API on the simulation', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let demo: Record<string, string>;
  let demo2: Record<string, string>;
  let auditor: Record<string, string>;

  const create = async (name: string, headers = demo, extra: Record<string, unknown> = {}) => {
    const res = await t.request('POST', '/compute/v2.1/servers', {
      headers,
      body: { server: { name, flavorRef: '1', imageRef: 'docker://quay.io/containerdisks/fedora:41', networks: 'none', ...extra } },
    });
    expect(res.status).toBe(202);
    return res;
  };
  const show = (id: string, headers: Record<string, string> = demo) => t.request('GET', `/compute/v2.1/servers/${id}`, { headers });
  const settles = (id: string, status: string, headers = demo) =>
    waitFor(
      async () => {
        const s = (await show(id, headers)).json().server;
        return s && s.status === status && s['OS-EXT-STS:task_state'] === null ? s : undefined;
      },
      15_000,
      `server ${id} to be ${status}`,
    );
  const act = (id: string, body: unknown, headers = demo) => t.request('POST', `/compute/v2.1/servers/${id}/action`, { headers, body });

  beforeAll(async () => {
    t = await startTestApp({ SIM_PERSIST: 'false', IDENTITY_FILE, PUBLIC_URL: 'http://cloud.example:8774' });
    admin = authHeaders(await t.login('admin'));
    demo = authHeaders(await t.login('demo'));
    demo2 = authHeaders(await t.login('demo2', { password: 'demo2-secret' }));
    auditor = authHeaders(await t.login('auditor', { password: 'auditor-secret', project: 'demo' }));
  });
  afterAll(async () => {
    await t?.close();
  });

  it("given a create, then 202 with Nova's create keys, and a GET right after sees the server BUILD, later ACTIVE", async () => {
    const res = await create('web-1', { ...demo, ...V('2.1') }, { user_data: Buffer.from('#cloud-config\n').toString('base64'), metadata: { role: 'web' } });
    const { server } = res.json();
    expect(Object.keys(server).sort()).toEqual(['OS-DCF:diskConfig', 'adminPass', 'id', 'links', 'security_groups']);
    expect(server.links[0]).toEqual({ rel: 'self', href: `http://cloud.example:8774/compute/v2.1/servers/${server.id}` });
    expect(res.headers.get('location')).toBe(server.links[0].href);
    const first = (await show(server.id)).json().server;
    expect(first.status === 'BUILD' || first.status === 'ACTIVE').toBe(true);
    const active = await settles(server.id, 'ACTIVE');
    expect(active).toMatchObject({ name: 'web-1', metadata: { role: 'web' }, 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:power_state': 1 });
    expect(active.hostId).toMatch(/^[0-9a-f]{56}$/);
    expect(JSON.stringify(active)).not.toContain('cloud-config');
  });

  it('show keys follow the microversion: 2.1, 2.47, latest; admin sees the extended attributes', async () => {
    const { id } = (await create('keys')).json().server;
    await settles(id, 'ACTIVE');
    const base = ['OS-DCF:diskConfig', 'OS-EXT-AZ:availability_zone', 'OS-EXT-STS:power_state', 'OS-EXT-STS:task_state', 'OS-EXT-STS:vm_state',
      'OS-SRV-USG:launched_at', 'OS-SRV-USG:terminated_at', 'accessIPv4', 'accessIPv6', 'addresses', 'config_drive', 'created', 'flavor', 'hostId',
      'id', 'image', 'key_name', 'links', 'metadata', 'name', 'os-extended-volumes:volumes_attached', 'progress', 'status', 'tenant_id', 'updated', 'user_id'];
    const v21 = (await show(id, { ...demo, ...V('2.1') })).json().server;
    expect(Object.keys(v21).sort()).toEqual([...base].sort());
    expect(v21.flavor).toEqual({ id: '1', links: [{ rel: 'bookmark', href: 'http://cloud.example:8774/compute/flavors/1' }] });

    const v247 = (await show(id, { ...demo, ...V('2.47') })).json().server;
    expect(v247.flavor).toEqual({ vcpus: 1, ram: 512, disk: 1, ephemeral: 0, swap: 0, original_name: 'm1.tiny', extra_specs: {} });
    expect(Object.keys(v247).sort()).toEqual([...base, 'locked', 'description', 'tags'].sort());

    const latest = (await show(id, { ...demo, ...V('latest') })).json().server;
    expect(latest).toMatchObject({ locked: false, locked_reason: null, description: null, tags: [], trusted_image_certificates: null, server_groups: [], pinned_availability_zone: null });
    expect(latest['OS-EXT-SRV-ATTR:hostname']).toBe('keys');
    expect(latest).not.toHaveProperty('OS-EXT-SRV-ATTR:host');
    expect(latest).not.toHaveProperty('host_status');

    const asAdmin = (await show(id, { ...admin, ...V('latest') })).json().server;
    expect(asAdmin['OS-EXT-SRV-ATTR:host']).toEqual(expect.any(String));
    expect(asAdmin).toMatchObject({ host_status: 'UP', 'OS-EXT-SRV-ATTR:launch_index': 0, 'OS-EXT-SRV-ATTR:user_data': null });
  });

  it('list and detail filter by name and status, page with limit and marker, and isolate projects', async () => {
    const ids: string[] = [];
    for (const n of ['page-a', 'page-b', 'page-c']) ids.push((await create(n)).json().server.id);
    const first = await t.request('GET', '/compute/v2.1/servers?name=page-&limit=2', { headers: demo });
    expect(first.status).toBe(200);
    const body = first.json();
    expect(body.servers.map((s: { name: string }) => s.name)).toEqual(['page-c', 'page-b']);
    expect(Object.keys(body.servers[0]).sort()).toEqual(['id', 'links', 'name']);
    const next = new URL(body.servers_links[0].href);
    expect(next.searchParams.get('marker')).toBe(ids[1]);
    const second = (await t.request('GET', `${next.pathname}${next.search}`, { headers: demo })).json();
    expect(second.servers.map((s: { name: string }) => s.name)).toEqual(['page-a']);
    expect(second.servers_links).toBeUndefined();

    for (const id of ids) await settles(id, 'ACTIVE');
    const detail = (await t.request('GET', '/compute/v2.1/servers/detail?status=active&name=page-', { headers: demo })).json();
    expect(detail.servers).toHaveLength(3);
    expect(detail.servers[0]).toHaveProperty('OS-EXT-STS:vm_state', 'active');

    // Nova's name filter is a regular expression.
    const anchored = (await t.request('GET', `/compute/v2.1/servers?name=${encodeURIComponent('^page-[ab]$')}`, { headers: demo })).json();
    expect(anchored.servers.map((s: { name: string }) => s.name).sort()).toEqual(['page-a', 'page-b']);
    expect((await t.request('GET', `/compute/v2.1/servers?name=${encodeURIComponent('page-(')}`, { headers: demo })).status).toBe(400);
    expect((await t.request('GET', '/compute/v2.1/servers?name=page-', { headers: demo2 })).json().servers).toEqual([]);
    expect((await show(ids[0]!, demo2)).status).toBe(404);
    expect((await show(ids[0]!, demo2)).json()).toEqual({ itemNotFound: { code: 404, message: `Instance ${ids[0]} could not be found.` } });
    expect((await t.request('GET', '/compute/v2.1/servers?all_tenants=1', { headers: demo })).status).toBe(403);
    const all = (await t.request('GET', '/compute/v2.1/servers?all_tenants=1&name=page-', { headers: admin })).json();
    expect(all.servers).toHaveLength(3);
    expect((await t.request('GET', '/compute/v2.1/servers?marker=nope', { headers: demo })).status).toBe(400);
    expect((await t.request('GET', '/compute/v2.1/servers?image=x', { headers: demo })).status).toBe(400);
    expect((await t.request('GET', '/compute/v2.1/servers?colour=blue', { headers: { ...demo, ...V('2.75') } })).status).toBe(400);
    expect((await t.request('GET', '/compute/v2.1/servers?colour=blue', { headers: { ...demo, ...V('2.74') } })).status).toBe(200);
  });

  it('rename, actions with their 409s, unknown and unsupported actions, then delete', async () => {
    const { id } = (await create('life')).json().server;
    await settles(id, 'ACTIVE');
    const renamed = await t.request('PUT', `/compute/v2.1/servers/${id}`, { headers: demo, body: { server: { name: 'life-2' } } });
    expect(renamed.status).toBe(200);
    expect(renamed.json().server.name).toBe('life-2');
    expect((await show(id)).json().server.name).toBe('life-2');

    const start = await act(id, { 'os-start': null });
    expect(start.status).toBe(409);
    expect(start.json()).toEqual({ conflictingRequest: { code: 409, message: `Cannot 'start' instance ${id} while it is in vm_state active` } });

    const stop = await act(id, { 'os-stop': null });
    expect(stop.status).toBe(202);
    expect(stop.text).toBe('');
    await settles(id, 'SHUTOFF');
    expect((await act(id, { 'os-start': null })).status).toBe(202);
    await settles(id, 'ACTIVE');
    expect((await act(id, { reboot: { type: 'HARD' } })).status).toBe(202);
    await settles(id, 'ACTIVE');
    expect((await act(id, { pause: null })).status).toBe(202);
    await settles(id, 'PAUSED');
    expect((await act(id, { unpause: null })).status).toBe(202);
    await settles(id, 'ACTIVE');

    expect((await act(id, { reboot: { type: 'GENTLE' } })).status).toBe(400);
    const unknown = await act(id, { explode: null });
    expect(unknown.json()).toEqual({ badRequest: { code: 400, message: 'There is no such action: explode' } });
    const rebuild = await act(id, { rebuild: { imageRef: 'docker://quay.io/containerdisks/fedora:41' } });
    expect(rebuild.status).toBe(501);
    expect(rebuild.json().notImplemented.message).toMatch(/'rebuild' server action is not supported/);
    expect((await act(id, { 'os-stop': null }, demo2)).status).toBe(404);

    const del = await t.request('DELETE', `/compute/v2.1/servers/${id}`, { headers: demo });
    expect(del.status).toBe(204);
    await waitFor(async () => ((await show(id)).status === 404 ? true : undefined), 15_000, 'the server to be gone');
    const since = new Date(Date.now() - 60_000).toISOString();
    const history = (await t.request('GET', `/compute/v2.1/servers/detail?changes-since=${since}&all_tenants=1`, { headers: admin })).json();
    expect(history.servers.find((s: { id: string }) => s.id === id)).toMatchObject({ status: 'DELETED' });
  });

  it('a reader can look but not change; no token is 401', async () => {
    const { id } = (await create('ro')).json().server;
    expect((await show(id, auditor)).status).toBe(200);
    expect((await t.request('POST', '/compute/v2.1/servers', { headers: auditor, body: { server: { name: 'x', flavorRef: '1', imageRef: 'i', networks: 'none' } } })).status).toBe(403);
    expect((await act(id, { 'os-stop': null }, auditor)).status).toBe(403);
    expect((await t.request('PUT', `/compute/v2.1/servers/${id}`, { headers: auditor, body: { server: { name: 'y' } } })).status).toBe(403);
    expect((await t.request('DELETE', `/compute/v2.1/servers/${id}`, { headers: auditor })).status).toBe(403);
    const anon = await t.request('GET', '/compute/v2.1/servers');
    expect(anon.status).toBe(401);
    expect(anon.headers.get('x-openstack-request-id')).toMatch(/^req-/);
  });

  it.each([
    ['malformed JSON', '{"server": ', /JSON/],
    ['no server', {}, /'server' is a required property/],
    ['unknown field', { server: { name: 'a', flavorRef: '1', imageRef: 'i', networks: 'none', colour: 'blue' } }, /'colour' was unexpected/],
    ['wrong type', { server: { name: 5, flavorRef: '1', imageRef: 'i', networks: 'none' } }, /name/],
    ['bad user data', { server: { name: 'a', flavorRef: '1', imageRef: 'i', networks: 'none', user_data: '***' } }, /valid base 64/],
    ['two servers', { server: { name: 'a', flavorRef: '1', imageRef: 'i', networks: 'none', max_count: 2 } }, /must be 1/],
    ['unknown flavor', { server: { name: 'a', flavorRef: '999', imageRef: 'i', networks: 'none' } }, /Flavor 999 could not be found/],
    ['no networks at 2.37+', { server: { name: 'a', flavorRef: '1', imageRef: 'i' } }, /'networks' is a required property/],
    ['block devices', { server: { name: 'a', flavorRef: '1', imageRef: 'i', networks: 'none', block_device_mapping_v2: [] } }, /not supported/],
    ['an unknown port at boot', { server: { name: 'a', flavorRef: '1', imageRef: 'i', networks: [{ port: 'p-1' }] } }, /Port id p-1 could not be found/],
  ])('given %s, when created, then 400 and nothing is created', async (_, body, why) => {
    const before = (await t.request('GET', '/compute/v2.1/servers', { headers: demo })).json().servers.length;
    const res = await t.request('POST', '/compute/v2.1/servers', { headers: { ...demo, ...V('2.37') }, body });
    expect(res.status).toBe(400);
    expect(res.json().badRequest.message).toMatch(why);
    expect((await t.request('GET', '/compute/v2.1/servers', { headers: demo })).json().servers.length).toBe(before);
  });

  it('given an oversized body, then 413', async () => {
    const res = await t.request('POST', '/compute/v2.1/servers', { headers: demo, body: { server: { name: 'x'.repeat(200_000) } } });
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ overLimit: { code: 413, message: 'Request is too large.' } });
    expect(res.headers.get('x-compute-request-id')).toMatch(/^req-/);
  });

  it("the client's request id is what the instance action records, with its events", async () => {
    const requestId = 'req-6c1f0c84-6a3e-4d2b-9a51-0f6f7c1d2e3a';
    const { id } = (await create('traced', { ...demo, 'x-openstack-request-id': requestId })).json().server;
    await settles(id, 'ACTIVE');
    const list = await t.request('GET', `/compute/v2.1/servers/${id}/os-instance-actions`, { headers: { ...demo, ...V('2.58') } });
    expect(list.status).toBe(200);
    const [action] = list.json().instanceActions;
    expect(Object.keys(action).sort()).toEqual(['action', 'instance_uuid', 'message', 'project_id', 'request_id', 'start_time', 'updated_at', 'user_id']);
    expect(action).toMatchObject({ action: 'create', instance_uuid: id, request_id: requestId, message: null });

    const one = await t.request('GET', `/compute/v2.1/servers/${id}/os-instance-actions/${requestId}`, { headers: { ...demo, ...V('2.84') } });
    expect(one.status).toBe(200);
    const { instanceAction } = one.json();
    expect(instanceAction.events.length).toBeGreaterThan(0);
    expect(Object.keys(instanceAction.events[0]).sort()).toEqual(['details', 'event', 'finish_time', 'hostId', 'result', 'start_time']);
    const old = (await t.request('GET', `/compute/v2.1/servers/${id}/os-instance-actions/${requestId}`, { headers: demo })).json();
    expect(old.instanceAction).not.toHaveProperty('events');
    expect(old.instanceAction).not.toHaveProperty('updated_at');
    const asAdmin = (await t.request('GET', `/compute/v2.1/servers/${id}/os-instance-actions/${requestId}`, { headers: { ...admin, ...V('2.84') } })).json();
    expect(Object.keys(asAdmin.instanceAction.events[0]).sort()).toEqual(['details', 'event', 'finish_time', 'host', 'hostId', 'result', 'start_time', 'traceback']);
    expect((await t.request('GET', `/compute/v2.1/servers/${id}/os-instance-actions`, { headers: demo2 })).status).toBe(404);
    expect((await t.request('GET', `/compute/v2.1/servers/${id}/os-instance-actions/req-00000000-0000-4000-8000-000000000000`, { headers: demo })).status).toBe(404);
  });

  it("lock: the owner's lock refuses the owner's actions and deletion (409) but not an admin's; the owner unlocks; an admin's lock needs an admin", async () => {
    const { id } = (await create('locked-1')).json().server;
    await settles(id, 'ACTIVE');
    expect((await act(id, { lock: { locked_reason: 'maintenance' } }, { ...demo, ...V('2.73') })).status).toBe(202);
    const locked = (await show(id, { ...demo, ...V('2.73') })).json().server;
    expect(locked).toMatchObject({ locked: true, locked_reason: 'maintenance' });

    const refused = await act(id, { 'os-stop': null });
    expect(refused.status).toBe(409);
    expect(refused.json().conflictingRequest.message).toBe(`Instance ${id} is locked`);
    expect((await t.request('DELETE', `/compute/v2.1/servers/${id}`, { headers: demo })).status).toBe(409);
    expect((await act(id, { 'os-stop': null }, admin)).status).toBe(202);
    await settles(id, 'SHUTOFF');

    expect((await act(id, { unlock: null })).status).toBe(202);
    expect((await show(id, { ...demo, ...V('2.73') })).json().server).toMatchObject({ locked: false, locked_reason: null });
    expect((await act(id, { 'os-start': null })).status).toBe(202);
    await settles(id, 'ACTIVE');

    expect((await act(id, { lock: null }, admin)).status).toBe(202);
    const notYours = await act(id, { unlock: null });
    expect(notYours.status).toBe(403);
    expect((await act(id, { unlock: null }, admin)).status).toBe(202);
    // Nova records lock and unlock as instance actions (started, never finished, no events).
    const actions = (await t.request('GET', `/compute/v2.1/servers/${id}/os-instance-actions`, { headers: demo })).json().instanceActions;
    expect(actions.map((a: { action: string }) => a.action).filter((a: string) => a.endsWith('lock'))).toEqual(['unlock', 'lock', 'unlock', 'lock']);
  });

  it('lock with a reason before 2.73 is refused; a reader cannot lock', async () => {
    const { id } = (await create('locked-2')).json().server;
    await settles(id, 'ACTIVE');
    expect((await act(id, { lock: { locked_reason: 'x' } }, { ...demo, ...V('2.72') })).status).toBe(400);
    expect((await act(id, { lock: null }, auditor)).status).toBe(403);
  });

  it('given a project at its instance quota, when it creates another server, then 403 with Nova\'s message and nothing is created', async () => {
    const token = demo2['x-auth-token']!;
    const me = (await t.request('GET', '/identity/v3/auth/tokens', { headers: { ...demo2, 'x-subject-token': token } })).json().token;
    const projectId = me.project.id as string;
    const before = (await t.request('GET', '/compute/v2.1/servers', { headers: demo2 })).json().servers.length as number;
    const set = await t.request('PUT', `/compute/v2.1/os-quota-sets/${projectId}`, { headers: admin, body: { quota_set: { instances: before + 1 } } });
    expect(set.status).toBe(200);
    await create('within-quota', demo2);
    const refused = await t.request('POST', '/compute/v2.1/servers', {
      headers: demo2,
      body: { server: { name: 'over-quota', flavorRef: '1', imageRef: 'docker://quay.io/containerdisks/fedora:41', networks: 'none' } },
    });
    expect(refused.status).toBe(403);
    expect(refused.json().forbidden.message).toMatch(/^Quota exceeded for instances/);
    const after = (await t.request('GET', '/compute/v2.1/servers', { headers: demo2 })).json().servers as Array<{ name: string }>;
    expect(after.some((x) => x.name === 'over-quota')).toBe(false);
  });
});

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../support/redis.js';
import { authHeaders, startTestApp, type TestApp } from '../../support/test-app.js';

const IDENTITY_FILE = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'tenants.json');
const V = (v: string) => ({ 'openstack-api-version': `compute ${v}` });

/**
 * os-hotResize, os-migrateLive, the cold resize actions, server migrations and os-migrations over
 * HTTP on the embedded default. What the API decides (validation, policy, state, lock) is checked
 * exactly; how a task ends depends on whether the embedded cluster can do live changes, so the end
 * state is checked against the instance action's outcome.
 */
describe('hot resize, live migration and cold resize over the compute API', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let demo: Record<string, string>;
  let auditor: Record<string, string>;

  const create = async (name: string) => {
    const res = await t.request('POST', '/compute/v2.1/servers', {
      headers: demo,
      body: { server: { name, flavorRef: '1', imageRef: 'docker://quay.io/containerdisks/fedora:41', networks: 'none' } },
    });
    expect(res.status).toBe(202);
    const id = res.json().server.id as string;
    await settles(id, 'ACTIVE');
    return id;
  };
  const show = async (id: string, headers = admin) => (await t.request('GET', `/compute/v2.1/servers/${id}`, { headers: { ...headers, ...V('2.47') } })).json().server;
  const settles = (id: string, status: string) =>
    waitFor(
      async () => {
        const s = await show(id);
        return s && s.status === status && s['OS-EXT-STS:task_state'] === null ? s : undefined;
      },
      15_000,
      `server ${id} to be ${status}`,
    );
  const act = (id: string, body: unknown, headers = demo, version = '2.1') =>
    t.request('POST', `/compute/v2.1/servers/${id}/action`, { headers: { ...headers, ...V(version) }, body });
  const actions = async (id: string) => (await t.request('GET', `/compute/v2.1/servers/${id}/os-instance-actions`, { headers: admin })).json().instanceActions as { action: string; request_id: string; message: string | null }[];
  /**
   * The action of a request once it ended: failed (Nova's message 'Error') or, by the server's look,
   * succeeded; in both cases with no task left running.
   */
  const finished = (id: string, requestId: string, succeeded: (server: Record<string, any>) => boolean) =>
    waitFor(
      async () => {
        const a = (await t.request('GET', `/compute/v2.1/servers/${id}/os-instance-actions/${requestId}`, { headers: { ...admin, ...V('2.84') } })).json().instanceAction;
        const server = await show(id);
        if (!a || server['OS-EXT-STS:task_state'] !== null) return undefined;
        return a.message === 'Error' || succeeded(server) ? a : undefined;
      },
      15_000,
      `action ${requestId} to end`,
    );

  /** One server for the refusals that change nothing (the project's quota counts every create). */
  let shared: Promise<string> | undefined;
  const sharedServer = () => (shared ??= create('refusals'));

  beforeAll(async () => {
    t = await startTestApp({ SIM_PERSIST: 'false', IDENTITY_FILE, PUBLIC_URL: 'http://cloud.example:8774' });
    admin = authHeaders(await t.login('admin'));
    demo = authHeaders(await t.login('demo'));
    auditor = authHeaders(await t.login('auditor', { password: 'auditor-secret', project: 'demo' }));
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('os-hotResize', () => {
    it('given an ACTIVE server, then 202 and a "hotResize" instance action; it ends ACTIVE, at the new size if the action succeeded, else at the old one with why', async () => {
      const id = await create('hot-1');
      const res = await act(id, { 'os-hotResize': { vcpus: 2, ram: 1024 } });
      expect(res.status).toBe(202);
      expect(res.text).toBe('');
      const requestId = res.headers.get('x-compute-request-id')!;
      expect((await actions(id)).find((a) => a.request_id === requestId)?.action).toBe('hotResize');
      const action = await finished(id, requestId, (s) => s.flavor.vcpus === 2);
      const server = await settles(id, 'ACTIVE');
      if (action.message === null) {
        expect(server.flavor).toMatchObject({ vcpus: 2, ram: 1024, original_name: 'm1.tiny' });
      } else {
        expect(server.flavor).toMatchObject({ vcpus: 1, ram: 512 });
        expect(action.events.find((e: { result: string }) => e.result === 'Error')?.details).toBeTruthy();
      }
    });

    it.each([
      [{ vcpus: 5 }, /room for at most 4\. A cold resize/],
      [{ ram: 4096 }, /at most 2048 MB/],
      [{ ram: 256 }, /can only grow\. Shrinking it needs a cold resize/],
      [{ vcpus: 1, ram: 512 }, /nothing to resize/],
      [{}, /Give vcpus, ram or both/],
      [{ vcpus: '2' }, /vcpus/],
      [{ vcpus: 0 }, /vcpus/],
      [{ cpus: 2 }, /Additional properties are not allowed \('cpus' was unexpected\)/],
    ])('given %j, then 400 with why', async (body, why) => {
      const id = await sharedServer();
      const res = await act(id, { 'os-hotResize': body });
      expect(res.status).toBe(400);
      expect(res.json().badRequest.message).toMatch(why);
    });

    it('given a reader, a stopped server, a locked server and another tenant, then 403, 409, 409 and 404', async () => {
      const id = await create('hot-refusals');
      const reader = await act(id, { 'os-hotResize': { vcpus: 2 } }, auditor);
      expect(reader.status).toBe(403);

      expect((await act(id, { lock: null })).status).toBe(202);
      const locked = await act(id, { 'os-hotResize': { vcpus: 2 } });
      expect(locked.status).toBe(409);
      expect(locked.json().conflictingRequest.message).toBe(`Instance ${id} is locked`);
      expect((await act(id, { unlock: null })).status).toBe(202);

      expect((await act(id, { 'os-stop': null })).status).toBe(202);
      await settles(id, 'SHUTOFF');
      const stopped = await act(id, { 'os-hotResize': { vcpus: 2 } });
      expect(stopped.status).toBe(409);
      expect(stopped.json().conflictingRequest.message).toBe(`Cannot 'hot_resize' instance ${id} while it is in vm_state stopped`);

      const demo2 = authHeaders(await t.login('demo2', { password: 'demo2-secret' }));
      expect((await act(id, { 'os-hotResize': { vcpus: 2 } }, demo2)).status).toBe(404);
    });
  });

  describe('os-migrateLive, server migrations and os-migrations', () => {
    it('given a member, then 403; given bad bodies or hosts, then 400 in Nova\'s words', async () => {
      const id = await create('mig-refusals');
      const host = (await show(id))['OS-EXT-SRV-ATTR:host'] as string;
      expect((await act(id, { 'os-migrateLive': { host: null, block_migration: 'auto' } }, demo, '2.25')).status).toBe(403);
      const missing = await act(id, { 'os-migrateLive': { host: null } }, admin, '2.25');
      expect(missing.json().badRequest.message).toBe("'block_migration' is a required property");
      const oldAuto = await act(id, { 'os-migrateLive': { host: null, block_migration: 'auto', disk_over_commit: false } }, admin, '2.1');
      expect(oldAuto.status).toBe(400);
      const forceGone = await act(id, { 'os-migrateLive': { host: null, block_migration: 'auto', force: true } }, admin, '2.68');
      expect(forceGone.json().badRequest.message).toMatch(/'force' was unexpected/);
      const unknown = await act(id, { 'os-migrateLive': { host: 'no-such-node', block_migration: 'auto' } }, admin, '2.25');
      expect(unknown.json()).toEqual({ badRequest: { code: 400, message: 'Compute host no-such-node could not be found.' } });
      const self = await act(id, { 'os-migrateLive': { host, block_migration: 'auto' } }, admin, '2.25');
      expect(self.json()).toEqual({ badRequest: { code: 400, message: `Unable to migrate instance (${id}) to current host (${host}).` } });
    });

    it('given an admin live-migrates, then 202, a "live-migration" action and a migration in os-migrations with the fields of 2.80; migrations are admin-only and versioned', async () => {
      const id = await create('mig-1');
      const source = (await show(id))['OS-EXT-SRV-ATTR:host'];
      const res = await act(id, { 'os-migrateLive': { host: null, block_migration: 'auto' } }, admin, '2.25');
      expect(res.status).toBe(202);
      const requestId = res.headers.get('x-compute-request-id')!;
      expect((await actions(id)).find((a) => a.request_id === requestId)?.action).toBe('live-migration');

      const list = (await t.request('GET', `/compute/v2.1/os-migrations?instance_uuid=${id}`, { headers: { ...admin, ...V('2.80') } })).json().migrations;
      expect(list).toHaveLength(1);
      expect(Object.keys(list[0]).sort()).toEqual(
        ['created_at', 'dest_compute', 'dest_host', 'dest_node', 'id', 'instance_uuid', 'migration_type', 'new_instance_type_id', 'old_instance_type_id',
          'source_compute', 'source_node', 'status', 'updated_at', 'uuid', 'user_id', 'project_id', ...(list[0].links ? ['links'] : [])].sort(),
      );
      expect(list[0]).toMatchObject({ instance_uuid: id, migration_type: 'live-migration' });
      const v21 = (await t.request('GET', `/compute/v2.1/os-migrations?instance_uuid=${id}`, { headers: { ...admin, ...V('2.1') } })).json().migrations[0];
      expect(v21).not.toHaveProperty('migration_type');
      expect(v21).not.toHaveProperty('uuid');

      const action = await finished(id, requestId, (s) => s['OS-EXT-SRV-ATTR:host'] !== source);
      const server = await settles(id, 'ACTIVE');
      const after = (await t.request('GET', `/compute/v2.1/os-migrations?instance_uuid=${id}`, { headers: { ...admin, ...V('2.80') } })).json().migrations[0];
      if (action.message === null) {
        expect(after).toMatchObject({ status: 'completed', dest_compute: server['OS-EXT-SRV-ATTR:host'] });
      } else {
        expect(after.status).toBe('error');
        expect(server['OS-EXT-SRV-ATTR:host']).toBe(after.source_compute);
      }

      // Finished: not among the server's in-progress migrations, and not abortable.
      expect((await t.request('GET', `/compute/v2.1/servers/${id}/migrations`, { headers: { ...admin, ...V('2.23') } })).json()).toEqual({ migrations: [] });
      const abort = await t.request('DELETE', `/compute/v2.1/servers/${id}/migrations/${after.id}`, { headers: { ...admin, ...V('2.24') } });
      expect(abort.status).toBe(400);
      expect(abort.json().badRequest.message).toMatch(/Cannot abort/);
      const shown = await t.request('GET', `/compute/v2.1/servers/${id}/migrations/${after.id}`, { headers: { ...admin, ...V('2.23') } });
      expect(shown.status).toBe(404);
    });

    it('given the wrong microversion, a member, or a migration of another server, then 404, 403 and 404', async () => {
      const id = await sharedServer();
      expect((await t.request('GET', `/compute/v2.1/servers/${id}/migrations`, { headers: { ...admin, ...V('2.22') } })).status).toBe(404);
      expect((await t.request('DELETE', `/compute/v2.1/servers/${id}/migrations/1`, { headers: { ...admin, ...V('2.23') } })).status).toBe(404);
      expect((await t.request('GET', `/compute/v2.1/servers/${id}/migrations`, { headers: { ...demo, ...V('2.23') } })).status).toBe(403);
      expect((await t.request('GET', '/compute/v2.1/os-migrations', { headers: demo })).status).toBe(403);
      expect((await t.request('DELETE', `/compute/v2.1/servers/${id}/migrations/999999`, { headers: { ...admin, ...V('2.24') } })).status).toBe(404);
      const bad = await t.request('GET', '/compute/v2.1/os-migrations?marker=nope', { headers: { ...admin, ...V('2.59') } });
      expect(bad.json().badRequest.message).toBe('Marker nope could not be found.');
      expect((await t.request('GET', '/compute/v2.1/os-migrations?user_id=x', { headers: { ...admin, ...V('2.79') } })).status).toBe(400);
    });
  });

  describe('cold resize', () => {
    it('given a resize to m1.small, then 202 and a "resize" action; it ends in VERIFY_RESIZE (then confirmResize 204) or, failed, ACTIVE at m1.tiny', async () => {
      const id = await create('resize-1');
      const res = await act(id, { resize: { flavorRef: '2' } });
      expect(res.status).toBe(202);
      const requestId = res.headers.get('x-compute-request-id')!;
      expect((await actions(id)).find((a) => a.request_id === requestId)?.action).toBe('resize');
      const action = await finished(id, requestId, (s) => s.status === 'VERIFY_RESIZE');
      if (action.message === null) {
        const server = await settles(id, 'VERIFY_RESIZE');
        expect(server.flavor.original_name).toBe('m1.small');
        const confirm = await act(id, { confirmResize: null });
        expect(confirm.status).toBe(204);
        await settles(id, 'ACTIVE');
      } else {
        const server = await settles(id, 'ACTIVE');
        expect(server.flavor.original_name).toBe('m1.tiny');
        const migration = (await t.request('GET', `/compute/v2.1/os-migrations?instance_uuid=${id}&migration_type=resize`, { headers: { ...admin, ...V('2.23') } })).json().migrations[0];
        expect(migration).toMatchObject({ status: 'error', old_instance_type_id: '1', new_instance_type_id: '2' });
      }
    });

    it('given the same flavor, an unknown flavor, or confirm/revert without a resize, then 400, 400, 409, 409', async () => {
      const id = await sharedServer();
      expect((await act(id, { resize: { flavorRef: '1' } })).json().badRequest.message).toBe('When resizing, instances must change flavor!');
      expect((await act(id, { resize: { flavorRef: 'nope' } })).json().badRequest.message).toBe('Invalid flavorRef provided.');
      expect((await act(id, { resize: {} })).json().badRequest.message).toBe("'flavorRef' is a required property");
      const confirm = await act(id, { confirmResize: null });
      expect(confirm.json()).toEqual({ conflictingRequest: { code: 409, message: `Cannot 'confirm_resize' instance ${id} while it is in vm_state active` } });
      expect((await act(id, { revertResize: null })).status).toBe(409);
      expect((await act(id, { resize: { flavorRef: '2' } }, auditor)).status).toBe(403);
    });
  });

  describe('quota', () => {
    it("given the project's cores are all used, then growing a server is Nova's 403 (hot resize and resize alike)", async () => {
      const id = await sharedServer();
      const projectId = (await show(id))['tenant_id'] as string;
      const used = (await t.request('GET', '/compute/v2.1/limits', { headers: demo })).json().limits.absolute.totalCoresUsed as number;
      const put = await t.request('PUT', `/compute/v2.1/os-quota-sets/${projectId}`, { headers: admin, body: { quota_set: { cores: used } } });
      expect(put.status).toBe(200);
      try {
        const hot = await act(id, { 'os-hotResize': { vcpus: 2 } });
        expect(hot.status).toBe(403);
        expect(hot.json().forbidden.message).toBe(`Quota exceeded for cores: Requested 1, but already used ${used} of ${used} cores`);
        const resize = await act(id, { resize: { flavorRef: '3' } });
        expect(resize.json().forbidden.message).toMatch(/^Quota exceeded for cores: Requested 1/);
        // Memory alone still fits.
        expect((await act(id, { 'os-hotResize': { ram: 1024 } })).status).toBe(202);
      } finally {
        await t.request('DELETE', `/compute/v2.1/os-quota-sets/${projectId}`, { headers: admin });
      }
    });
  });
});

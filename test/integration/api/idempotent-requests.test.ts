import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { SqlDatabase } from '../../../src/adapters/sql/sql-database.js';
import { RequestReplies } from '../../../src/api/idempotency/request-replies.js';
import { READ_MODEL_DB } from '../../../src/app/tokens.js';
import { waitFor } from '../../support/redis.js';
import { authHeaders, startTestApp, type TestApp } from '../../support/test-app.js';

// The compute tenants plus a user who is a member of two projects (demo2 and demo3).
const IDENTITY_FILE = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'tenants.json');
const IMAGE = 'docker://quay.io/containerdisks/fedora:41';

describe('retried writes (same X-OpenStack-Request-Id) take effect once', () => {
  let t: TestApp;
  let demo: Record<string, string>;
  let demo2: Record<string, string>;

  const requestId = () => `req-${randomUUID()}`;
  const named = (headers: Record<string, string>, id: string) => ({ ...headers, 'x-openstack-request-id': id });
  const createBody = (name: string) => ({ server: { name, flavorRef: '1', imageRef: IMAGE, networks: 'none' } });
  const create = (headers: Record<string, string>, name: string) => t.request('POST', '/compute/v2.1/servers', { headers, body: createBody(name) });
  const serversNamed = async (name: string, headers = demo) =>
    ((await t.request('GET', `/compute/v2.1/servers?name=${name}`, { headers })).json().servers as { id: string }[]).map((s) => s.id);
  const actionsOf = async (id: string, headers = demo) =>
    (await t.request('GET', `/compute/v2.1/servers/${id}/os-instance-actions`, { headers })).json().instanceActions as { action: string; request_id: string }[];
  const db = () => t.app.get<SqlDatabase>(READ_MODEL_DB);
  /** What a crash between the effect and the stored reply leaves: the effect, no reply. */
  const loseReply = (id: string) => db().run('DELETE FROM request_replies WHERE request_id = ?', [id]);
  const activeServer = async (headers: Record<string, string>, name: string) => {
    const res = await create(headers, name);
    expect(res.status).toBe(202);
    const id = res.json().server.id as string;
    await waitFor(
      async () => {
        const s = (await t.request('GET', `/compute/v2.1/servers/${id}`, { headers })).json().server;
        return s?.status === 'ACTIVE' && s['OS-EXT-STS:task_state'] === null ? s : undefined;
      },
      15_000,
      `${name} to be ACTIVE`,
    );
    return id;
  };

  beforeAll(async () => {
    t = await startTestApp({ SIM_PERSIST: 'false', IDENTITY_FILE });
    demo = authHeaders(await t.login('demo'));
    demo2 = authHeaders(await t.login('demo2', { password: 'demo2-secret' }));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('given a create answered, when the client retries it with the same request id, then it gets the same server and no second one exists', async () => {
    const id = requestId();
    const first = await create(named(demo, id), 'retried-create');
    const second = await create(named(demo, id), 'retried-create');

    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.json().server.id).toBe(first.json().server.id);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(second.headers.get('x-virtplane-replayed')).toBe('true');
    expect(second.headers.get('x-openstack-request-id')).toBe(id);
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(second.json()).toEqual(first.json());
    expect(await serversNamed('retried-create')).toEqual([first.json().server.id]);
  });

  it('given five identical creates sent at once, then all five answer with one server', async () => {
    const id = requestId();
    const replies = await Promise.all(Array.from({ length: 5 }, () => create(named(demo, id), 'concurrent-create')));

    expect(replies.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(replies.map((r) => r.json().server.id)).size).toBe(1);
    expect(await serversNamed('concurrent-create')).toHaveLength(1);
  });

  it('given a create whose reply a crash lost, when the client retries, then it answers with the server the first attempt made', async () => {
    const id = requestId();
    const first = await create(named(demo, id), 'lost-reply-create');
    await loseReply(id);

    const retry = await create(named(demo, id), 'lost-reply-create');

    expect(retry.status).toBe(202);
    expect(retry.json().server.id).toBe(first.json().server.id);
    expect(await serversNamed('lost-reply-create')).toHaveLength(1);
  });

  it('given one global request id on two different creates (OpenStack propagates it across calls), then both take effect', async () => {
    const id = requestId();
    const a = await create(named(demo, id), 'global-id-a');
    const b = await create(named(demo, id), 'global-id-b');

    expect(a.json().server.id).not.toBe(b.json().server.id);
    expect(b.headers.get('x-virtplane-replayed')).toBeNull();
    expect(await serversNamed('global-id-a')).toHaveLength(1);
    expect(await serversNamed('global-id-b')).toHaveLength(1);
  });

  it("given another project's user reusing a request id, then their request is their own and sees nothing of the first", async () => {
    const id = requestId();
    const mine = await create(named(demo, id), 'same-id-other-tenant');
    const theirs = await create(named(demo2, id), 'same-id-other-tenant');

    expect(theirs.status).toBe(202);
    expect(theirs.json().server.id).not.toBe(mine.json().server.id);
    expect(await serversNamed('same-id-other-tenant', demo2)).toEqual([theirs.json().server.id]);
  });

  it('given a stop retried, then 202 both times and one stop action', async () => {
    const server = await activeServer(demo, 'retried-stop');
    const id = requestId();
    const stop = () => t.request('POST', `/compute/v2.1/servers/${server}/action`, { headers: named(demo, id), body: { 'os-stop': null } });

    const first = await stop();
    const second = await stop();

    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.text).toBe('');
    expect((await actionsOf(server)).filter((a) => a.request_id === id).map((a) => a.action)).toEqual(['stop']);
  });

  it('given five identical stops sent at once while the stored-reply lookup takes a while (a networked database), then one stop action and five equal 202 replies', async () => {
    const server = await activeServer(demo2, 'concurrent-stop');
    const id = requestId();
    const stop = () => t.request('POST', `/compute/v2.1/servers/${server}/action`, { headers: named(demo2, id), body: { 'os-stop': null } });
    // SQLite answers within the same turn of the event loop, which hides the window; Postgres does not.
    const stored = t.app.get(RequestReplies);
    const find = stored.find.bind(stored);
    const slowFind = jest.spyOn(stored, 'find').mockImplementation(async (key) => {
      await delay(50);
      return find(key);
    });

    const replies = await Promise.all(Array.from({ length: 5 }, stop)).finally(() => slowFind.mockRestore());

    expect(replies.map((r) => [r.status, r.text])).toEqual(Array.from({ length: 5 }, () => [202, '']));
    const actions = (await t.request('GET', `/compute/v2.1/servers/${server}/os-instance-actions`, { headers: demo2 })).json().instanceActions as { action: string; request_id: string }[];
    expect(actions.filter((a) => a.request_id === id).map((a) => a.action)).toEqual(['stop']);
  });

  it('given a stop whose reply a crash lost, when retried, then 202 from the recorded effect and still one stop', async () => {
    const server = await activeServer(demo, 'lost-reply-stop');
    const id = requestId();
    const stop = () => t.request('POST', `/compute/v2.1/servers/${server}/action`, { headers: named(demo, id), body: { 'os-stop': null } });
    expect((await stop()).status).toBe(202);
    await loseReply(id);

    const retry = await stop();

    expect(retry.status).toBe(202);
    expect(retry.headers.get('x-virtplane-replayed')).toBe('true');
    expect((await actionsOf(server)).filter((a) => a.request_id === id)).toHaveLength(1);
  });

  it('given one global request id on a stop of server A and then a stop of server B (B never sent before), then B is stopped too, its 202 fresh rather than replayed from A\'s effect', async () => {
    const [a, b] = await Promise.all([activeServer(demo2, 'global-id-stop-a'), activeServer(demo2, 'global-id-stop-b')]);
    const id = requestId();
    const stop = (server: string) => t.request('POST', `/compute/v2.1/servers/${server}/action`, { headers: named(demo2, id), body: { 'os-stop': null } });

    expect((await stop(a)).status).toBe(202);
    const other = await stop(b);

    expect(other.status).toBe(202);
    expect(other.headers.get('x-virtplane-replayed')).toBeNull();
    expect((await actionsOf(b, demo2)).filter((x) => x.request_id === id).map((x) => x.action)).toEqual(['stop']);
    await waitFor(
      async () => ((await t.request('GET', `/compute/v2.1/servers/${b}`, { headers: demo2 })).json().server?.status === 'SHUTOFF' ? true : undefined),
      15_000,
      'B to be SHUTOFF',
    );
  });

  it('given a stop whose reply a crash lost and whose effect was recorded before fingerprints were, when retried, then it runs again rather than trusting evidence that may be another request\'s', async () => {
    const server = await activeServer(demo2, 'lost-reply-legacy-stop');
    const id = requestId();
    const stop = () => t.request('POST', `/compute/v2.1/servers/${server}/action`, { headers: named(demo2, id), body: { 'os-stop': null } });
    expect((await stop()).status).toBe(202);
    await loseReply(id);
    await db().run('UPDATE audit_log SET request_fingerprint = NULL WHERE request_id = ?', [id]);

    const retry = await stop();

    expect(retry.headers.get('x-virtplane-replayed')).toBeNull();
  });

  it('given a delete retried after it was answered, then 204 again rather than 404', async () => {
    const server = await activeServer(demo, 'retried-delete');
    const id = requestId();
    const remove = () => t.request('DELETE', `/compute/v2.1/servers/${server}`, { headers: named(demo, id) });

    expect((await remove()).status).toBe(204);
    const retry = await remove();

    expect(retry.status).toBe(204);
    expect(retry.headers.get('x-virtplane-replayed')).toBe('true');
  });

  it('given a refused write, when retried, then it runs again (a refusal changed nothing, so nothing is replayed)', async () => {
    const id = requestId();
    const bad = () => t.request('POST', '/compute/v2.1/servers', { headers: named(demo, id), body: { server: { name: 'x', flavorRef: 'no-such-flavor', imageRef: IMAGE, networks: 'none' } } });

    const first = await bad();
    const second = await bad();

    expect([first.status, second.status]).toEqual([400, 400]);
    expect(second.headers.get('x-virtplane-replayed')).toBeNull();
  });

  it('given a retry without a valid token, then 401: the caller is known before a reply is replayed', async () => {
    const id = requestId();
    // demo2: demo's instance quota is spent by the other cases.
    expect((await create(named(demo2, id), 'retried-unauthenticated')).status).toBe(202);

    const retry = await create(named({ 'x-auth-token': 'not-a-token' }, id), 'retried-unauthenticated');

    expect(retry.status).toBe(401);
    expect(retry.headers.get('x-virtplane-replayed')).toBeNull();
  });

  it("given a token revocation retried, then 204 both times, the second replayed (the identity API's own error filter sends replays too)", async () => {
    const subject = await t.login('demo');
    const id = requestId();
    const revoke = () => t.request('DELETE', '/identity/v3/auth/tokens', { headers: { ...named(demo, id), 'x-subject-token': subject } });

    expect((await revoke()).status).toBe(204);
    const retry = await revoke();

    expect(retry.status).toBe(204);
    expect(retry.headers.get('x-virtplane-replayed')).toBe('true');
  });

  it('given one request id on two token revocations of different subject tokens, then both tokens are revoked', async () => {
    const first = await t.login('demo');
    const second = await t.login('demo');
    const id = requestId();
    const revoke = (subject: string) => t.request('DELETE', '/identity/v3/auth/tokens', { headers: { ...named(demo, id), 'x-subject-token': subject } });
    const validate = (subject: string) => t.request('GET', '/identity/v3/auth/tokens', { headers: { ...demo, 'x-subject-token': subject } });

    expect((await revoke(first)).status).toBe(204);
    const other = await revoke(second);

    expect(other.status).toBe(204);
    expect(other.headers.get('x-virtplane-replayed')).toBeNull();
    expect((await validate(first)).status).toBe(404);
    expect((await validate(second)).status).toBe(404);
  });

  it('given one user reusing a request id for the same create in another project, then the second project gets its own network, not a replay of the first', async () => {
    const id = requestId();
    const inDemo2 = authHeaders(await t.login('roamer', { project: 'demo2' }));
    const inDemo3 = authHeaders(await t.login('roamer', { project: 'demo3' }));
    const createNetwork = (headers: Record<string, string>) => t.request('POST', '/network/v2.0/networks', { headers: named(headers, id), body: { network: { name: 'same-id-two-scopes' } } });

    const first = await createNetwork(inDemo2);
    const second = await createNetwork(inDemo3);

    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get('x-virtplane-replayed')).toBeNull();
    expect(second.json().network.id).not.toBe(first.json().network.id);
    expect(second.json().network.project_id).not.toBe(first.json().network.project_id);
  });

  it('given no request id from the client, then two identical creates make two servers', async () => {
    await create(demo, 'unnamed-create');
    await create(demo, 'unnamed-create');

    expect(await serversNamed('unnamed-create')).toHaveLength(2);
  });
});

import { authHeaders, startTestApp, type TestApp } from '../../support/test-app.js';
import { ServerDriver } from '../../support/server-driver.js';

/** Logs in and returns the token with the scoped project's and user's ids, as Keystone's body gives them. */
async function session(t: TestApp, user: string) {
  const token = await t.login(user);
  const res = await t.request('GET', '/identity/v3/auth/tokens', { headers: { ...authHeaders(token), 'x-subject-token': token } });
  const body = res.json().token;
  return { token, actor: { userId: body.user.id as string, projectId: body.project.id as string, roles: ['member'] } };
}

describe('/audit/v1', () => {
  let t: TestApp;
  let demo: Awaited<ReturnType<typeof session>>;
  let other: Awaited<ReturnType<typeof session>>;
  let admin: string;
  let demoVm: string;
  let otherVm: string;
  let createdAt: string;

  beforeAll(async () => {
    t = await startTestApp({ SIM_PERSIST: 'false' });
    demo = await session(t, 'demo');
    admin = await t.login('admin');
    other = { ...demo, actor: { ...demo.actor, projectId: 'someone-else' } };
    const mine = new ServerDriver(t, demo.actor);
    const theirs = new ServerDriver(t, other.actor);
    demoVm = (await mine.create('audited-1')).vmId;
    await mine.settles(demoVm, 'ACTIVE');
    // Keep the instant strictly between the build and the rename, whatever the clock's resolution.
    await new Promise((resolve) => setTimeout(resolve, 5));
    createdAt = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await mine.execute({ type: 'RenameVM', data: { vmId: demoVm, name: 'audited-2' } });
    await mine.act('StopVM', demoVm);
    await mine.settles(demoVm, 'SHUTOFF');
    otherVm = (await theirs.create('not-yours')).vmId;
    await theirs.settles(otherVm, 'ACTIVE');
  });
  afterAll(async () => {
    await t?.close();
  });

  it("given a member, when the audit log is queried, then only the caller's project appears, newest first", async () => {
    const res = await t.request('GET', '/audit/v1/events?limit=1000', { headers: authHeaders(demo.token) });
    expect(res.status).toBe(200);
    const events = res.json().events as Array<{ server_id: string; project_id: string; position: number; user_id: string }>;
    expect(events.length).toBeGreaterThan(0);
    expect(events.some((e) => e.server_id === otherVm)).toBe(false);
    expect(events.filter((e) => e.server_id === demoVm).every((e) => e.project_id === demo.actor.projectId)).toBe(true);
    expect(events.map((e) => e.position)).toEqual([...events.map((e) => e.position)].sort((a, b) => b - a));
  });

  it('given filters by server and action, when queried, then only matching events come back', async () => {
    const res = await t.request('GET', `/audit/v1/events?server_id=${demoVm}&action=rename`, { headers: authHeaders(demo.token) });
    expect(res.status).toBe(200);
    expect(res.json().events.map((e: { type: string }) => e.type)).toEqual(['VMRenamed']);
  });

  it('given a small page size, when paged with the cursor, then every event comes once', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/audit/v1/events?server_id=${demoVm}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await t.request('GET', url, { headers: authHeaders(demo.token) });
      expect(res.status).toBe(200);
      seen.push(...res.json().events.map((e: { position: number }) => e.position));
      cursor = res.json().next_cursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const all = await t.request('GET', `/audit/v1/events?server_id=${demoVm}&limit=1000`, { headers: authHeaders(demo.token) });
    expect(seen).toEqual(all.json().events.map((e: { position: number }) => e.position));
  });

  it("given a member asking for another project, then 403; admin sees every project", async () => {
    const refused = await t.request('GET', `/audit/v1/events?project_id=${other.actor.projectId}`, { headers: authHeaders(demo.token) });
    expect(refused.status).toBe(403);
    const res = await t.request('GET', `/audit/v1/events?server_id=${otherVm}`, { headers: authHeaders(admin) });
    expect(res.status).toBe(200);
    expect(res.json().events.length).toBeGreaterThan(0);
  });

  it('given a server renamed and stopped later, when its state at an earlier instant is asked, then the old name and ACTIVE come back', async () => {
    const res = await t.request('GET', `/audit/v1/servers/${demoVm}/state?at=${encodeURIComponent(createdAt)}`, { headers: authHeaders(demo.token) });
    expect(res.status).toBe(200);
    expect(res.json().server).toMatchObject({ id: demoVm, name: 'audited-1', status: 'ACTIVE' });
    expect(res.json().server.task).toBeUndefined();
    const now = await t.request('GET', `/audit/v1/servers/${demoVm}/state?at=${encodeURIComponent(new Date().toISOString())}`, { headers: authHeaders(demo.token) });
    expect(now.json().server).toMatchObject({ name: 'audited-2', status: 'SHUTOFF' });
  });

  it("given another project's server, when its state is asked, then 404 as if it did not exist", async () => {
    const res = await t.request('GET', `/audit/v1/servers/${otherVm}/state?at=${encodeURIComponent(new Date().toISOString())}`, { headers: authHeaders(demo.token) });
    expect(res.status).toBe(404);
  });

  it.each([
    ['/audit/v1/events?from=yesterday', /from/],
    ['/audit/v1/events?limit=5000', /limit/],
    ['/audit/v1/events?cursor=garbage', /cursor/],
    ['/audit/v1/events?colour=red', /colour|Unrecognized/],
  ])('given a bad query %s, then 400 naming the parameter', async (url, why) => {
    const res = await t.request('GET', url, { headers: authHeaders(demo.token) });
    expect(res.status).toBe(400);
    expect(res.json().badRequest.message).toMatch(why);
  });

  it('given no token, then 401', async () => {
    expect((await t.request('GET', '/audit/v1/events')).status).toBe(401);
  });
});

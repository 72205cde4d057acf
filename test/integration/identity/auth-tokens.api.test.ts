import { authHeaders, startTestApp, type TestApp } from '../../support/test-app.js';
import { passwordAuth, projectScope, UNAUTHORIZED } from './identity-requests.js';

const KEYSTONE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

describe('POST /identity/v3/auth/tokens (password)', () => {
  let t: TestApp;
  const issue = (body: unknown, query = '') => t.request('POST', `/identity/v3/auth/tokens${query}`, { body });

  beforeAll(async () => {
    t = await startTestApp({ SIM_PERSIST: 'false', PUBLIC_URL: 'https://cloud.example.test:8443' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("given admin's name, domain and password scoped to the admin project by name, when a token is asked for, then 201 with X-Subject-Token and Keystone's token body", async () => {
    const res = await issue(passwordAuth({ name: 'admin' }, 'admin-secret', projectScope({ name: 'admin' })));

    expect(res.status).toBe(201);
    expect(res.headers.get('x-subject-token')).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const token = res.json().token;
    expect(token).toEqual({
      methods: ['password'],
      user: { id: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'admin', domain: { id: 'default', name: 'Default' }, password_expires_at: null },
      audit_ids: [expect.stringMatching(/^[A-Za-z0-9_-]{22}$/)],
      expires_at: expect.stringMatching(KEYSTONE_TIME),
      issued_at: expect.stringMatching(KEYSTONE_TIME),
      project: { id: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'admin', domain: { id: 'default', name: 'Default' } },
      is_domain: false,
      roles: [
        { id: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'admin' },
        { id: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'member' },
        { id: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'reader' },
      ],
      catalog: expect.any(Array),
    });
    expect(Date.parse(token.expires_at) - Date.parse(token.issued_at)).toBe(3600 * 1000);
  });

  it('given the user and project by id, when a token is asked for, then it names the same user and project', async () => {
    const byName = (await issue(passwordAuth({ name: 'demo' }, 'demo-secret', projectScope({ name: 'demo' })))).json().token;

    const res = await issue(passwordAuth({ id: byName.user.id }, 'demo-secret', projectScope({ id: byName.project.id })));

    expect(res.status).toBe(201);
    expect(res.json().token.user).toEqual(byName.user);
    expect(res.json().token.project).toEqual(byName.project);
    expect(res.json().token.roles.map((r: { name: string }) => r.name)).toEqual(['member', 'reader']);
  });

  it('given domains by name instead of id, when a token is asked for, then 201', async () => {
    const res = await issue(passwordAuth({ name: 'demo', domain: { name: 'Default' } }, 'demo-secret', projectScope({ name: 'demo', domain: { name: 'Default' } })));
    expect(res.status).toBe(201);
  });

  it.each([
    ['a wrong password', passwordAuth({ name: 'admin' }, 'guess', projectScope({ name: 'admin' }))],
    ['an unknown user', passwordAuth({ name: 'mallory' }, 'admin-secret', projectScope({ name: 'admin' }))],
    ['an unknown user id', passwordAuth({ id: 'f'.repeat(32) }, 'admin-secret')],
    ['an unknown domain', passwordAuth({ name: 'admin', domain: { id: 'elsewhere' } }, 'admin-secret')],
    ['a project the user has no role on', passwordAuth({ name: 'demo' }, 'demo-secret', projectScope({ name: 'admin' }))],
    ['an unknown project', passwordAuth({ name: 'demo' }, 'demo-secret', projectScope({ name: 'nowhere' }))],
    ['a domain scope', passwordAuth({ name: 'admin' }, 'admin-secret', { domain: { id: 'default' } })],
  ])("given %s, when a token is asked for, then 401 in Keystone's body form and no token", async (_, body) => {
    const res = await issue(body);
    expect(res.status).toBe(401);
    expect(res.json()).toEqual(UNAUTHORIZED);
    expect(res.headers.get('x-subject-token')).toBeNull();
  });

  it.each([
    ['no auth member', {}, /field 'body': 'auth' is a required property/],
    ['no methods', { auth: { identity: { password: { user: { name: 'admin', domain: { id: 'default' }, password: 'x' } } } } }, /'auth\/identity': 'methods' is a required property/],
    ['a user with neither id nor name', passwordAuth({ name: 'admin' }, 'x').auth && { auth: { identity: { methods: ['password'], password: { user: { password: 'x' } } } } }, /auth\/identity\/password\/user/],
    ['an unsupported method', { auth: { identity: { methods: ['totp'], totp: {} } } }, /unsupported method/],
  ])("given %s, when a token is asked for, then 400 in Keystone's body form naming the field", async (_, body, why) => {
    const res = await issue(body);
    expect(res.status).toBe(400);
    expect(res.json().error).toMatchObject({ code: 400, title: 'Bad Request', message: expect.stringMatching(why) });
  });

  it("given a body that is not JSON, when a token is asked for, then 400 in Keystone's body form", async () => {
    const res = await t.request('POST', '/identity/v3/auth/tokens', { headers: { 'content-type': 'application/json' }, body: '{"auth": ' });
    expect(res.status).toBe(400);
    expect(res.json().error).toMatchObject({ code: 400, title: 'Bad Request' });
  });

  it('given no scope and a user with a default project, when a token is asked for, then it is scoped to that project', async () => {
    const res = await issue(passwordAuth({ name: 'demo' }, 'demo-secret'));
    expect(res.status).toBe(201);
    expect(res.json().token.project.name).toBe('demo');
  });

  it('given scope "unscoped", when a token is asked for, then an unscoped token: no project, roles or catalog', async () => {
    const res = await issue(passwordAuth({ name: 'demo' }, 'demo-secret', 'unscoped'));
    expect(res.status).toBe(201);
    const token = res.json().token;
    expect(token.project).toBeUndefined();
    expect(token.roles).toBeUndefined();
    expect(token.catalog).toBeUndefined();
    expect(token.user.name).toBe('demo');
  });

  it('given ?nocatalog, when a token is asked for, then the body has no catalog', async () => {
    const res = await issue(passwordAuth({ name: 'demo' }, 'demo-secret', projectScope({ name: 'demo' })), '?nocatalog');
    expect(res.status).toBe(201);
    expect(res.json().token.catalog).toBeUndefined();
  });

  it('given an unscoped token, when it is exchanged with the token method for a project scope, then a scoped token that does not outlive it', async () => {
    const unscoped = await issue(passwordAuth({ name: 'demo' }, 'demo-secret', 'unscoped'));
    const res = await issue({
      auth: { identity: { methods: ['token'], token: { id: unscoped.headers.get('x-subject-token') } }, scope: projectScope({ name: 'demo' }) },
    });
    expect(res.status).toBe(201);
    expect(res.json().token).toMatchObject({ methods: ['token', 'password'], project: { name: 'demo' }, user: { name: 'demo' } });
    expect(Date.parse(res.json().token.expires_at)).toBeLessThanOrEqual(Date.parse(unscoped.json().token.expires_at));
  });

  it('given an unscoped token, when it is used on a route that acts within a project, then 403', async () => {
    const unscoped = await issue(passwordAuth({ name: 'admin' }, 'admin-secret', 'unscoped'));
    const res = await t.request('GET', '/queues', { headers: authHeaders(unscoped.headers.get('x-subject-token')!) });
    expect(res.status).toBe(403);
    expect(res.json().forbidden.message).toMatch(/project-scoped token/);
  });
});

describe('GET, HEAD and DELETE /identity/v3/auth/tokens', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ SIM_PERSIST: 'false', IDENTITY_FILE: new URL('./fixtures/two-tenants.json', import.meta.url).pathname });
  });
  afterAll(async () => {
    await t?.close();
  });

  const both = (caller: string, subject: string) => ({ ...authHeaders(caller), 'x-subject-token': subject });

  it('given a token, when it validates itself, then 200 with the same token body and X-Subject-Token', async () => {
    const token = await t.login('demo2');
    const res = await t.request('GET', '/identity/v3/auth/tokens', { headers: both(token, token) });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-subject-token')).toBe(token);
    expect(res.json().token).toMatchObject({ user: { name: 'demo2' }, project: { name: 'demo2' }, methods: ['password'], catalog: expect.any(Array) });
  });

  it('given ?nocatalog, when a token is validated, then the body has no catalog', async () => {
    const token = await t.login('demo2');
    const res = await t.request('GET', '/identity/v3/auth/tokens?nocatalog', { headers: both(token, token) });
    expect(res.status).toBe(200);
    expect(res.json().token.catalog).toBeUndefined();
  });

  it('given a token, when HEAD validates it, then 200 and no body', async () => {
    const token = await t.login('demo2');
    const res = await t.request('HEAD', '/identity/v3/auth/tokens', { headers: both(token, token) });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });

  it("given demo's token, when demo2 validates it, then 403; when admin does, then 200", async () => {
    const demo = await t.login('demo');
    const other = await t.request('GET', '/identity/v3/auth/tokens', { headers: both(await t.login('demo2'), demo) });
    expect(other.status).toBe(403);
    expect(other.json().error).toMatchObject({ code: 403, title: 'Forbidden', message: expect.stringMatching(/identity:validate_token/) });

    const admin = await t.request('GET', '/identity/v3/auth/tokens', { headers: both(await t.login('admin'), demo) });
    expect(admin.status).toBe(200);
  });

  it('given a token, when it is revoked, then 204, and it no longer authenticates (401) nor validates (404)', async () => {
    const token = await t.login('admin');
    expect((await t.request('GET', '/queues', { headers: authHeaders(token) })).status).toBe(200);

    const revoked = await t.request('DELETE', '/identity/v3/auth/tokens', { headers: both(token, token) });
    expect(revoked.status).toBe(204);

    const reused = await t.request('GET', '/queues', { headers: authHeaders(token) });
    expect(reused.status).toBe(401);
    const selfCheck = await t.request('GET', '/identity/v3/auth/tokens', { headers: both(token, token) });
    expect(selfCheck.status).toBe(401);
    expect(selfCheck.json()).toEqual(UNAUTHORIZED);
    const byOther = await t.request('GET', '/identity/v3/auth/tokens', { headers: both(await t.login('admin'), token) });
    expect(byOther.status).toBe(404);
    expect(byOther.json()).toEqual({ error: { code: 404, message: 'Failed to validate token', title: 'Not Found' } });
  });

  it('given a token whose payload was altered, when it is used, then 401', async () => {
    const token = await t.login('demo');
    const [payload, signature] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...claims, r: ['admin', 'member', 'reader'] })).toString('base64url')}.${signature}`;
    const res = await t.request('GET', '/queues', { headers: authHeaders(forged) });
    expect(res.status).toBe(401);
  });

  it('given no X-Subject-Token, when validating, then 400', async () => {
    const token = await t.login('demo');
    const res = await t.request('GET', '/identity/v3/auth/tokens', { headers: authHeaders(token) });
    expect(res.status).toBe(400);
    expect(res.json().error.title).toBe('Bad Request');
  });

  it('given no X-Auth-Token, when validating, then 401 with a Keystone challenge', async () => {
    const token = await t.login('demo');
    const res = await t.request('GET', '/identity/v3/auth/tokens', { headers: { 'x-subject-token': token } });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual(UNAUTHORIZED);
    expect(res.headers.get('www-authenticate')).toMatch(/^Keystone uri=/);
  });

  it("given the auditor (reader on demo and demo2), when its projects are listed, then both, in Keystone's project form", async () => {
    const token = await t.login('auditor', { password: 'auditor-secret', project: 'demo' });
    const res = await t.request('GET', '/identity/v3/auth/projects', { headers: authHeaders(token) });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body.projects.map((p: { name: string }) => p.name)).toEqual(['demo', 'demo2']);
    expect(body.projects[1]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: 'demo2',
      domain_id: 'default',
      description: 'A second tenant, for isolation tests',
      enabled: true,
      parent_id: 'default',
      is_domain: false,
      tags: [],
      options: {},
      links: { self: expect.stringMatching(/\/identity\/v3\/projects\/[0-9a-f]{32}$/) },
    });
    expect(body.links).toEqual({ self: expect.stringMatching(/\/identity\/v3\/auth\/projects$/), previous: null, next: null });
  });

  it('given a reader or a member, when an admin-only route is asked, then 403; an admin gets 200', async () => {
    const reader = await t.login('auditor', { password: 'auditor-secret', project: 'demo2' });
    const member = await t.login('demo2');
    expect((await t.request('GET', '/jobs', { headers: authHeaders(reader) })).status).toBe(403);
    expect((await t.request('GET', '/jobs', { headers: authHeaders(member) })).status).toBe(403);
    expect((await t.request('GET', '/jobs', { headers: authHeaders(await t.login('admin')) })).status).toBe(200);
  });

  it('given demo2 from the identity file, when it asks for a token on demo, then 401 (tenants are isolated)', async () => {
    const res = await t.request('POST', '/identity/v3/auth/tokens', { body: passwordAuth({ name: 'demo2' }, 'demo2-secret', projectScope({ name: 'demo' })) });
    expect(res.status).toBe(401);
  });
});

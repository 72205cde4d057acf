import { authHeaders, startTestApp, type TestApp } from '../../support/test-app.js';
import { passwordAuth, projectScope } from './identity-requests.js';

describe('GET /identity/v3/projects and users (Keystone read side)', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let demo: Record<string, string>;
  let demoUserId: string;
  let demoProjectId: string;
  let adminProjectId: string;

  beforeAll(async () => {
    t = await startTestApp({ SIM_PERSIST: 'false' });
    const login = async (user: string) => {
      const res = await t.request('POST', '/identity/v3/auth/tokens', { body: passwordAuth({ name: user }, `${user}-secret`, projectScope({ name: user })) });
      return { headers: authHeaders(res.headers.get('x-subject-token')!), token: res.json().token };
    };
    const a = await login('admin');
    const d = await login('demo');
    admin = a.headers;
    demo = d.headers;
    adminProjectId = a.token.project.id;
    demoProjectId = d.token.project.id;
    demoUserId = d.token.user.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('given an admin, when projects are listed by name (how the CLI resolves a project name), then the one project in Keystone\'s form', async () => {
    const res = await t.request('GET', '/identity/v3/projects?name=demo', { headers: admin });

    expect(res.status).toBe(200);
    expect(res.json().projects).toEqual([
      expect.objectContaining({ id: demoProjectId, name: 'demo', domain_id: 'default', enabled: true, is_domain: false, links: { self: expect.stringMatching(new RegExp(`/identity/v3/projects/${demoProjectId}$`)) } }),
    ]);
    const all = (await t.request('GET', '/identity/v3/projects', { headers: admin })).json().projects.map((p: { name: string }) => p.name);
    expect(all).toEqual(expect.arrayContaining(['admin', 'demo']));
  });

  it('given a member, when they list every project, then 403 in Keystone\'s error form', async () => {
    const res = await t.request('GET', '/identity/v3/projects', { headers: demo });

    expect(res.status).toBe(403);
    expect(res.json()).toEqual({ error: { code: 403, title: 'Forbidden', message: 'You are not authorized to perform the requested action: identity:list_projects.' } });
  });

  it('given a member, when they read their own project, then 200; another project, then 403', async () => {
    expect((await t.request('GET', `/identity/v3/projects/${demoProjectId}`, { headers: demo })).json().project.name).toBe('demo');
    expect((await t.request('GET', `/identity/v3/projects/${adminProjectId}`, { headers: demo })).status).toBe(403);
  });

  it('given an admin, when an unknown project is read, then 404 naming it', async () => {
    const res = await t.request('GET', '/identity/v3/projects/nope', { headers: admin });

    expect(res.status).toBe(404);
    expect(res.json().error.message).toBe('Could not find project: nope.');
  });

  it('given a member, when they read their user and their projects, then both; another user\'s, then 403', async () => {
    const user = (await t.request('GET', `/identity/v3/users/${demoUserId}`, { headers: demo })).json().user;
    expect(user).toEqual(expect.objectContaining({ id: demoUserId, name: 'demo', domain_id: 'default', enabled: true, default_project_id: demoProjectId }));
    const projects = (await t.request('GET', `/identity/v3/users/${demoUserId}/projects`, { headers: demo })).json().projects;
    expect(projects.map((p: { id: string }) => p.id)).toEqual([demoProjectId]);

    const adminUser = (await t.request('GET', '/identity/v3/auth/tokens', { headers: { ...admin, 'x-subject-token': admin['x-auth-token']! } })).json().token.user.id;
    expect((await t.request('GET', `/identity/v3/users/${adminUser}`, { headers: demo })).status).toBe(403);
  });

  it('given no token, then 401', async () => {
    expect((await t.request('GET', '/identity/v3/projects')).status).toBe(401);
  });
});

import type { Infrastructure } from '../../../src/app/infrastructure.js';
import { INFRASTRUCTURE } from '../../../src/app/tokens.js';
import { ServerDriver } from '../../support/server-driver.js';
import { authHeaders, startTestApp, type TestApp } from '../../support/test-app.js';

describe('GET /jobs, /jobs/{id}, /queues (admin only)', () => {
  let t: TestApp;
  let servers: ServerDriver;
  let admin: Record<string, string>;
  const get = (path: string) => t.request('GET', path, { headers: admin });

  beforeAll(async () => {
    t = await startTestApp({ CLUSTER_BACKEND: 'simulator', JOB_BACKOFF_BASE_MS: '10', JOB_BACKOFF_CAP_MS: '20', SIM_PERSIST: 'false' });
    servers = new ServerDriver(t);
    admin = authHeaders(await t.login('admin'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it("given a server built after one transient failure, when its jobs are listed, then each step shows its state, attempts and last error", async () => {
    t.app.get<Infrastructure>(INFRASTRUCTURE).simulator!.control.failNext({ verb: 'create', resource: 'virtualmachines', status: 503, message: 'the API server is restarting' });
    const { vmId } = await servers.create('jobs-1');
    await servers.settles(vmId, 'ACTIVE');

    const res = await get(`/jobs?server_id=${vmId}&queue=cluster`);
    expect(res.status).toBe(200);
    const jobs = res.json().jobs as Array<Record<string, unknown>>;
    expect(jobs.map((j) => j.step_id).sort()).toEqual(['await-running', 'create-vm-object']);
    const create = jobs.find((j) => j.step_id === 'create-vm-object')!;
    expect(create).toMatchObject({ state: 'completed', server_id: vmId, attempts: 2 });
    expect(create.last_error).toMatch(/the API server is restarting/);

    const one = await get(`/jobs/${encodeURIComponent(String(create.id))}`);
    expect(one.status).toBe(200);
    expect(one.json().job).toEqual(create);
  });

  it('given a built server, when its jobs are filtered by state, then only those states come back', async () => {
    const { vmId } = await servers.create('jobs-2');
    await servers.settles(vmId, 'ACTIVE');
    const completed = await get(`/jobs?server_id=${vmId}&state=completed,waiting`);
    expect(completed.status).toBe(200);
    const steps = completed.json().jobs as Array<{ state: string; step_id: string }>;
    expect(steps.map((j) => j.step_id).sort()).toEqual(['await-running', 'create-vm-object']);
    expect(steps.every((j) => j.state === 'completed')).toBe(true);
    const failed = await get(`/jobs?server_id=${vmId}&state=failed,delayed`);
    expect(failed.json().jobs).toEqual([]);
  });

  it('given the queues, when summarised, then every queue is listed with its counts', async () => {
    const res = await get('/queues');
    expect(res.status).toBe(200);
    const queues = res.json().queues as Array<{ name: string; completed: number }>;
    expect(queues.map((q) => q.name)).toEqual(['cluster', 'hypervisor', 'fabric']);
    expect(queues.find((q) => q.name === 'cluster')!.completed).toBeGreaterThan(0);
  });

  it("given no such job, when shown, then 404 in Nova's body form", async () => {
    const res = await get('/jobs/nope');
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ itemNotFound: { code: 404, message: 'Job nope could not be found.' } });
  });

  it.each([
    ['/jobs?state=exploded', /state/],
    ['/jobs?limit=0', /limit/],
    ['/jobs?queue=gpu', /queue/],
    ['/jobs?colour=blue', /colour|Unrecognized/],
  ])('given a bad query %s, when listed, then 400 badRequest naming the parameter', async (url, why) => {
    const res = await get(url);
    expect(res.status).toBe(400);
    expect(res.json().badRequest.code).toBe(400);
    expect(res.json().badRequest.message).toMatch(why);
  });
});

describe('/jobs and /queues for callers who are not admin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SIM_PERSIST: 'false' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it.each(['/jobs', '/jobs/some-job', '/queues'])("given no token, when %s is asked, then 401 in Nova's body form", async (path) => {
    const res = await t.request('GET', path);
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ unauthorized: { code: 401, message: 'The request you have made requires authentication.' } });
    expect(res.headers.get('www-authenticate')).toMatch(/^Keystone uri="http:\/\/.+\/identity"$/);
  });

  it.each(['/jobs', '/jobs/some-job', '/queues'])('given a member of demo, when %s is asked, then 403 forbidden by policy', async (path) => {
    const res = await t.request('GET', path, { headers: authHeaders(await t.login('demo')) });
    expect(res.status).toBe(403);
    expect(res.json().forbidden).toMatchObject({ code: 403, message: expect.stringMatching(/^Policy doesn't allow virtplane:(jobs|queues):\w+ to be performed\.$/) });
  });
});

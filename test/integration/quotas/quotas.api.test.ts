import { ServerDriver } from '../../support/server-driver.js';
import { startCatalogueApp, type CatalogueApp } from '../flavors/catalogue-app.js';

const TENANT = 'project-quota-test';

describe('compute quotas and limits API', () => {
  let c: CatalogueApp;
  beforeAll(async () => {
    c = await startCatalogueApp();
    // Two servers in TENANT: m1.small (1 vCPU, 2048 MB) and m1.medium (2 vCPUs, 4096 MB).
    const servers = new ServerDriver(c.t, { userId: 'someone', projectId: TENANT, roles: ['member'] });
    await servers.create('q1', '2');
    await servers.create('q2', '3');
  });
  afterAll(async () => {
    await c?.close();
  });

  const LIMITS_2_1 = [
    'maxImageMeta', 'maxPersonality', 'maxPersonalitySize', 'maxSecurityGroupRules', 'maxSecurityGroups', 'maxServerGroupMembers',
    'maxServerGroups', 'maxServerMeta', 'maxTotalCores', 'maxTotalFloatingIps', 'maxTotalInstances', 'maxTotalKeypairs', 'maxTotalRAMSize',
    'totalCoresUsed', 'totalFloatingIpsUsed', 'totalInstancesUsed', 'totalRAMUsed', 'totalSecurityGroupsUsed', 'totalServerGroupsUsed',
  ];

  it('given no token, when limits are read, then 401', async () => {
    expect((await c.call('GET', '/compute/v2.1/limits', null)).status).toBe(401);
  });

  it("given a project's servers, when admin reads its limits, then the defaults and what the servers use, with each microversion's keys", async () => {
    await eventuallyUsed(c, 2);
    const v21 = await c.call('GET', `/compute/v2.1/limits?tenant_id=${TENANT}`, c.admin);
    expect(v21.status).toBe(200);
    const absolute = v21.json().limits.absolute;
    expect(v21.json().limits.rate).toEqual([]);
    expect(Object.keys(absolute).sort()).toEqual([...LIMITS_2_1].sort());
    expect(absolute).toMatchObject({ maxTotalInstances: 10, maxTotalCores: 20, maxTotalRAMSize: 51200, totalInstancesUsed: 2, totalCoresUsed: 3, totalRAMUsed: 6144 });
    const v257 = await c.call('GET', `/compute/v2.1/limits?tenant_id=${TENANT}`, c.admin, undefined, '2.57');
    expect(Object.keys(v257.json().limits.absolute).sort()).toEqual(
      ['maxServerGroupMembers', 'maxServerGroups', 'maxServerMeta', 'maxTotalCores', 'maxTotalInstances', 'maxTotalKeypairs', 'maxTotalRAMSize', 'totalCoresUsed', 'totalInstancesUsed', 'totalRAMUsed', 'totalServerGroupsUsed'],
    );
  });

  it("given a member, when reading its own limits, then its project's usage; another project's is 403", async () => {
    const own = await c.call('GET', '/compute/v2.1/limits', c.demo);
    expect(own.json().limits.absolute.totalInstancesUsed).toBe(0);
    expect((await c.call('GET', `/compute/v2.1/limits?tenant_id=${TENANT}`, c.demo)).status).toBe(403);
  });

  it('given defaults, when shown, then every resource of the microversion with the project id', async () => {
    const res = await c.call('GET', `/compute/v2.1/os-quota-sets/${TENANT}/defaults`, c.demo, undefined, '2.57');
    expect(res.json()).toEqual({
      quota_set: { id: TENANT, instances: 10, cores: 20, ram: 51200, key_pairs: 100, metadata_items: 128, server_groups: 10, server_group_members: 10 },
    });
    const v21 = await c.call('GET', `/compute/v2.1/os-quota-sets/${TENANT}`, c.admin);
    expect(Object.keys(v21.json().quota_set).sort()).toEqual(
      ['cores', 'fixed_ips', 'floating_ips', 'id', 'injected_file_content_bytes', 'injected_file_path_bytes', 'injected_files', 'instances', 'key_pairs', 'metadata_items', 'ram', 'security_group_rules', 'security_groups', 'server_group_members', 'server_groups'],
    );
  });

  it('given admin, when quotas are set, then show, detail and limits follow; a member or reader cannot set them', async () => {
    const put = await c.call('PUT', `/compute/v2.1/os-quota-sets/${TENANT}`, c.admin, { quota_set: { instances: 3, cores: '8', ram: -1 } }, '2.57');
    expect(put.status).toBe(200);
    expect(put.json().quota_set).toMatchObject({ instances: 3, cores: 8, ram: -1 });
    expect(put.json().quota_set.id).toBeUndefined();
    const detail = await c.call('GET', `/compute/v2.1/os-quota-sets/${TENANT}/detail`, c.admin, undefined, '2.57');
    expect(detail.json().quota_set.cores).toEqual({ in_use: 3, limit: 8, reserved: 0 });
    expect(detail.json().quota_set.instances).toEqual({ in_use: 2, limit: 3, reserved: 0 });
    const limits = await c.call('GET', `/compute/v2.1/limits?tenant_id=${TENANT}`, c.admin);
    expect(limits.json().limits.absolute).toMatchObject({ maxTotalInstances: 3, maxTotalCores: 8, maxTotalRAMSize: -1 });

    for (const who of [c.demo, c.reader]) {
      expect((await c.call('PUT', `/compute/v2.1/os-quota-sets/${TENANT}`, who, { quota_set: { instances: 100 } })).status).toBe(403);
    }
  });

  it('given a member, when reading its own quotas, then 200; another project\'s, 403', async () => {
    const demoProject = await projectIdOf(c, c.demo);
    expect((await c.call('GET', `/compute/v2.1/os-quota-sets/${demoProject}`, c.reader)).status).toBe(200);
    expect((await c.call('GET', `/compute/v2.1/os-quota-sets/${TENANT}`, c.demo)).status).toBe(403);
    expect((await c.call('GET', `/compute/v2.1/os-quota-sets/${TENANT}/detail`, c.demo)).status).toBe(403);
  });

  it('given a project using 2 instances, when admin sets 1, then 400 unless forced', async () => {
    const below = await c.call('PUT', `/compute/v2.1/os-quota-sets/${TENANT}`, c.admin, { quota_set: { instances: 1 } });
    expect(below.status).toBe(400);
    expect(below.json().badRequest.message).toBe('Quota limit 1 for instances must be greater than or equal to already used and reserved 2.');
    const forced = await c.call('PUT', `/compute/v2.1/os-quota-sets/${TENANT}`, c.admin, { quota_set: { instances: 1, force: true } });
    expect(forced.status).toBe(200);
    expect(forced.json().quota_set.instances).toBe(1);
  });

  it.each([
    ['a limit below -1', { quota_set: { instances: -2 } }],
    ['a non-number', { quota_set: { cores: 'many' } }],
    ['an unknown resource', { quota_set: { gpus: 1 } }],
    ['a resource gone at 2.57', { quota_set: { injected_files: 1 } }],
    ['no quota_set', { instances: 1 }],
  ])('given %s, when admin sets quotas, then 400', async (_why, body) => {
    expect((await c.call('PUT', `/compute/v2.1/os-quota-sets/${TENANT}`, c.admin, body, '2.57')).status).toBe(400);
  });

  it('given set quotas, when admin deletes them, then 202 and the defaults are back', async () => {
    expect((await c.call('DELETE', `/compute/v2.1/os-quota-sets/${TENANT}`, c.admin)).status).toBe(202);
    const res = await c.call('GET', `/compute/v2.1/os-quota-sets/${TENANT}`, c.admin, undefined, '2.57');
    expect(res.json().quota_set).toMatchObject({ instances: 10, cores: 20, ram: 51200 });
    expect((await c.call('DELETE', `/compute/v2.1/os-quota-sets/${TENANT}`, c.demo)).status).toBe(403);
  });
});

async function eventuallyUsed(c: CatalogueApp, instances: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const res = await c.call('GET', `/compute/v2.1/limits?tenant_id=${TENANT}`, c.admin);
    if (res.json().limits.absolute.totalInstancesUsed === instances) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function projectIdOf(c: CatalogueApp, headers: Record<string, string>): Promise<string> {
  const token = headers['x-auth-token']!;
  const res = await c.t.request('GET', '/identity/v3/auth/tokens', { headers: { 'x-auth-token': token, 'x-subject-token': token } });
  return res.json().token.project.id as string;
}

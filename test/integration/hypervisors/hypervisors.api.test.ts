import { ServerDriver } from '../../support/server-driver.js';
import { startCatalogueApp, type CatalogueApp } from '../flavors/catalogue-app.js';

const H = '/compute/v2.1/os-hypervisors';

describe('compute hypervisors and availability zones API', () => {
  let c: CatalogueApp;
  beforeAll(async () => {
    c = await startCatalogueApp({ SIM_NODES: 'node-a:16:65536,node-b:8:32768', JOB_BACKOFF_BASE_MS: '10' });
    const servers = new ServerDriver(c.t);
    const { vmId } = await servers.create('hv-1', '3');
    await servers.settles(vmId, 'ACTIVE');
  });
  afterAll(async () => {
    await c?.close();
  });

  it('given no token or a non-admin, when hypervisors are read, then 401 or 403', async () => {
    expect((await c.call('GET', H, null)).status).toBe(401);
    for (const path of [H, `${H}/detail`, `${H}/statistics`, `${H}/1`]) {
      expect((await c.call('GET', path, c.demo)).status).toBe(403);
    }
  });

  it('given the cluster nodes, when admin lists them, then one hypervisor per node; ids are integers before 2.53 and UUIDs after', async () => {
    const v21 = await c.call('GET', H, c.admin);
    expect(v21.status).toBe(200);
    expect(v21.json().hypervisors).toEqual([
      { hypervisor_hostname: 'node-a', id: 1, state: 'up', status: 'enabled' },
      { hypervisor_hostname: 'node-b', id: 2, state: 'up', status: 'enabled' },
    ]);
    const v253 = await c.call('GET', H, c.admin, undefined, '2.53');
    expect(v253.json().hypervisors[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('given a running VM, when admin reads details and statistics, then capacity, allocation and running VMs add up', async () => {
    const detail = (await c.call('GET', `${H}/detail`, c.admin)).json().hypervisors as Array<Record<string, any>>;
    expect(detail.map((h) => [h.hypervisor_hostname, h.vcpus, h.memory_mb])).toEqual([
      ['node-a', 16, 65536],
      ['node-b', 8, 32768],
    ]);
    expect(typeof detail[0]!.cpu_info).toBe('string');
    expect(detail.reduce((n, h) => n + h.running_vms, 0)).toBe(1);
    for (const h of detail) expect(h.free_ram_mb).toBe(h.memory_mb - h.memory_mb_used);
    const stats = (await c.call('GET', `${H}/statistics`, c.admin)).json().hypervisor_statistics;
    expect(stats).toMatchObject({ count: 2, vcpus: 24, memory_mb: 98304, running_vms: 1 });
    expect(stats.vcpus_used).toBe(detail.reduce((n, h) => n + h.vcpus_used, 0));
    const v228 = (await c.call('GET', `${H}/detail`, c.admin, undefined, '2.28')).json().hypervisors[0];
    expect(typeof v228.cpu_info).toBe('object');
    const v288 = (await c.call('GET', `${H}/detail`, c.admin, undefined, '2.88')).json().hypervisors[0];
    expect(v288.vcpus).toBeUndefined();
    expect(v288).toHaveProperty('uptime');
    expect((await c.call('GET', `${H}/statistics`, c.admin, undefined, '2.88')).status).toBe(404);
  });

  it('given an id, when admin shows it, then that node; an unknown id is 404 and a malformed one 400', async () => {
    const one = await c.call('GET', `${H}/2`, c.admin);
    expect(one.status).toBe(200);
    expect(one.json().hypervisor.hypervisor_hostname).toBe('node-b');
    const id = (await c.call('GET', H, c.admin, undefined, '2.53')).json().hypervisors[0].id;
    expect((await c.call('GET', `${H}/${id}`, c.admin, undefined, '2.53')).json().hypervisor.hypervisor_hostname).toBe('node-a');
    expect((await c.call('GET', `${H}/99`, c.admin)).status).toBe(404);
    expect((await c.call('GET', `${H}/abc`, c.admin)).status).toBe(400);
    expect((await c.call('GET', `${H}/1`, c.admin, undefined, '2.53')).status).toBe(400);
  });

  it('given any caller, when zones are listed, then the nova zone without hosts; its detail is admin only, with the nodes', async () => {
    const list = await c.call('GET', '/compute/v2.1/os-availability-zone', c.reader);
    expect(list.json()).toEqual({ availabilityZoneInfo: [{ zoneName: 'nova', zoneState: { available: true }, hosts: null }] });
    expect((await c.call('GET', '/compute/v2.1/os-availability-zone/detail', c.demo)).status).toBe(403);
    const detail = await c.call('GET', '/compute/v2.1/os-availability-zone/detail', c.admin);
    const zone = detail.json().availabilityZoneInfo[0];
    expect(Object.keys(zone.hosts)).toEqual(['node-a', 'node-b']);
    expect(zone.hosts['node-a']['nova-compute']).toMatchObject({ available: true, active: true });
    expect(zone.hosts['node-a']['nova-compute'].updated_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
  });
});

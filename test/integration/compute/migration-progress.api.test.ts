import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventStore } from '../../../src/adapters/event-store/event-store.port.js';
import type { SqlDatabase } from '../../../src/adapters/sql/sql-database.js';
import { EVENT_STORE, READ_MODEL_DB } from '../../../src/app/tokens.js';
import { vmStreamId } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import { migrationPercent, PROGRESS_STEP_PERCENT } from '../../../src/handlers/workers/steps/migration-progress.js';
import { listMigrations } from '../../../src/projections/migrations/migrations.queries.js';
import { waitFor } from '../../support/redis.js';
import { authHeaders, startTestApp, type TestApp } from '../../support/test-app.js';

const IDENTITY_FILE = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'tenants.json');
const V = (v: string) => ({ 'openstack-api-version': `compute ${v}` });
const MiB = 2 ** 20;
/** virsh prints each size with three decimals of its unit (MiB for these): the bytes are exact to half a thousandth of one. */
const PRINT_ROUNDING = 0.0005 * MiB;

/**
 * A slow live migration on CLUSTER_BACKEND=simulator, watched over the compute API while it copies:
 * the follow step reads libvirt's job in the source launcher pod (virsh domjobinfo through exec,
 * the cluster simulator's guest model) and the API shows what it recorded. The migration copies for
 * a thousand controller steps, so the looks below land mid-flight however busy the machine is;
 * nothing here depends on how long anything takes.
 */
describe('live migration progress over the compute API (cluster simulator, libvirt job info)', () => {
  let t: TestApp;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({
      CLUSTER_BACKEND: 'simulator',
      SIM_PERSIST: 'false',
      SIM_STEP_MS: '5',
      SIM_MIGRATION_TRANSFER_TICKS: '1000',
      IDENTITY_FILE,
      POWER_SYNC_INTERVAL_SECONDS: '600',
    });
    admin = authHeaders(await t.login('admin'));
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async (path: string, version = '2.80') => t.request('GET', `/compute/v2.1${path}`, { headers: { ...admin, ...V(version) } });
  const server = async (id: string) => (await get(`/servers/${id}`)).json().server;

  it('given a slow migration, when watched while it copies, then 0 < progress < 100 with libvirt\'s memory bytes adding up to the guest\'s, and at the end it completed at 100', async () => {
    const created = await t.request('POST', '/compute/v2.1/servers', {
      headers: admin,
      body: { server: { name: 'slow-mig', flavorRef: '1', imageRef: 'docker://quay.io/containerdisks/fedora:41', networks: 'none' } },
    });
    expect(created.status).toBe(202);
    const id = created.json().server.id as string;
    const active = await waitFor(async () => {
      const s = await server(id);
      return s?.status === 'ACTIVE' && s['OS-EXT-STS:task_state'] === null ? s : undefined;
    }, 20_000, 'the server to be ACTIVE');
    const ramBytes = active.flavor.ram * MiB;

    const migrate = await t.request('POST', `/compute/v2.1/servers/${id}/action`, { headers: { ...admin, ...V('2.25') }, body: { 'os-migrateLive': { host: null, block_migration: 'auto' } } });
    expect(migrate.status).toBe(202);

    // When: looked at while it copies. The percentages the migration's bytes stand for (Nova's count) are
    // collected, so the server's progress can be held to one of them (the two read models lag apart).
    const implied = new Set<number>();
    const seen = await waitFor(async () => {
      const list = (await get(`/servers/${id}/migrations`)).json().migrations as Array<Record<string, any>>;
      const m = list[0];
      if (!m || m.memory_total_bytes === null) return undefined;
      const copying = m.memory_processed_bytes > 0 && m.memory_remaining_bytes > 0;
      if (copying) implied.add(migrationPercent({ memoryTotalBytes: m.memory_total_bytes, memoryProcessedBytes: m.memory_processed_bytes, memoryRemainingBytes: m.memory_remaining_bytes })!);
      const s = await server(id);
      const mid = s.status === 'MIGRATING' && s.progress > 0 && s.progress < 100 && implied.has(s.progress);
      return copying && mid ? { migration: m, shown: (await get(`/servers/${id}/migrations/${m.id}`)).json().migration, progress: s.progress as number } : undefined;
    }, 25_000, 'the migration to show progress mid-flight');

    // Then: mid-flight, the bytes are libvirt's on the source and add up to the guest's memory.
    expect(seen.progress).toBeGreaterThan(0);
    expect(seen.progress).toBeLessThan(100);
    expect(seen.migration).toMatchObject({ status: 'running', source_compute: active['OS-EXT-SRV-ATTR:host'], server_uuid: id });
    expect(seen.migration.memory_total_bytes).toBe(ramBytes);
    expect(seen.migration.memory_processed_bytes).toBeGreaterThan(0);
    expect(seen.migration.memory_processed_bytes).toBeLessThan(ramBytes);
    expect(Math.abs(seen.migration.memory_processed_bytes + seen.migration.memory_remaining_bytes - ramBytes)).toBeLessThanOrEqual(2 * PRINT_ROUNDING);
    expect(seen.shown.memory_total_bytes).toBe(ramBytes);
    expect(seen.shown.memory_processed_bytes).toBeGreaterThanOrEqual(seen.migration.memory_processed_bytes);

    // And at the end: completed on the other node, recorded at 100, no longer an in-progress migration.
    const after = await waitFor(async () => {
      const s = await server(id);
      return s.status === 'ACTIVE' && s['OS-EXT-STS:task_state'] === null ? s : undefined;
    }, 60_000, 'the migration to end');
    expect(after['OS-EXT-SRV-ATTR:host']).not.toBe(active['OS-EXT-SRV-ATTR:host']);
    const row = (await listMigrations(t.app.get<SqlDatabase>(READ_MODEL_DB), { instanceUuid: id }))[0];
    expect(row).toMatchObject({ status: 'completed', progress: 100 });
    const listed = (await get(`/os-migrations?instance_uuid=${id}`)).json().migrations[0];
    expect(listed).toMatchObject({ id: seen.migration.id, status: 'completed', migration_type: 'live-migration' });
    expect((await get(`/servers/${id}/migrations/${seen.migration.id}`)).status).toBe(404);
    // The follow step read the job at every look, hundreds of them; only steps of 5 points became events.
    const recorded = (await t.app.get<EventStore>(EVENT_STORE).readStream(vmStreamId(id))).filter((e) => e.type === 'VMLiveMigrationProgressed');
    const percents = recorded.map((e) => (e.data as { percent: number }).percent);
    expect(percents.length).toBeGreaterThan(1);
    expect(percents.length).toBeLessThanOrEqual(100 / PROGRESS_STEP_PERCENT + 1);
    expect(percents.slice(1).every((p, i) => p >= percents[i]! + PROGRESS_STEP_PERCENT)).toBe(true);
  }, 120_000);
});

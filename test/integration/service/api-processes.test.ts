import { join } from 'node:path';
import { SqliteDatabase } from '../../../src/adapters/sql/sqlite-database.js';
import { SQLITE_READ_MODELS_FILE } from '../../../src/app/storage.js';
import { SINGLETON_CONSUMERS_LEASE } from '../../../src/handlers/lease/lease.module.js';
import { TEST_REDIS_URL, waitFor } from '../../support/redis.js';
import { ServiceHarness, buildService, type ServiceBuild, type ServiceProcess } from '../../support/service-process.js';

interface LeaseRow {
  holder: string;
  generation: number;
  expires_at: number;
}

/**
 * The service as users run it with API_PROCESSES=2 (`node dist/src/main.js`, node:cluster): both
 * processes share the port, one holds the lease. The lease lasts an hour here, so the takeover after
 * the holder is killed can only come from seeing that its process is gone, not from expiry.
 */
describe('API_PROCESSES=2', () => {
  let build: ServiceBuild;
  let harness: ServiceHarness;
  let service: ServiceProcess;
  let leases: SqliteDatabase;
  let token: string;

  const lease = async (): Promise<LeaseRow> => {
    const [row] = await leases.query<LeaseRow>('SELECT holder, generation, expires_at FROM leases WHERE name = ?', [SINGLETON_CONSUMERS_LEASE]);
    return row!;
  };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${service.baseUrl}${path}`, {
      method,
      headers: { 'x-auth-token': token, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json()) as any };
  };
  const createActive = async (name: string): Promise<void> => {
    const created = await call('POST', '/compute/v2.1/servers', { server: { name, flavorRef: '1', imageRef: 'docker://quay.io/containerdisks/fedora:41', networks: 'none' } });
    expect(created.status).toBe(202);
    const id = created.json.server.id as string;
    expect((await call('GET', `/compute/v2.1/servers/${id}`)).status).toBe(200);
    await waitFor(async () => (await call('GET', `/compute/v2.1/servers/${id}`)).json.server.status === 'ACTIVE', 60_000, `${name} to be ACTIVE`);
  };

  beforeAll(async () => {
    build = await buildService();
    harness = new ServiceHarness({
      build,
      redisUrl: TEST_REDIS_URL,
      env: { API_PROCESSES: '2', CLUSTER_BACKEND: 'simulator', SIM_PERSIST: 'false', SIM_STEP_MS: '10', LEASE_TTL_SECONDS: '3600', LEASE_RENEW_INTERVAL_SECONDS: '0.2' },
    });
    service = await harness.start({}, 'API_PROCESSES=2');
    leases = new SqliteDatabase({ path: join(harness.dataDir, SQLITE_READ_MODELS_FILE) });
    const res = await fetch(`${service.baseUrl}/identity/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'demo', domain: { id: 'default' }, password: 'demo-secret' } } },
          scope: { project: { name: 'demo', domain: { id: 'default' } } },
        },
      }),
    });
    token = res.headers.get('x-subject-token')!;
  }, 180_000);

  afterAll(async () => {
    await leases?.close();
    await harness?.cleanup();
    build?.remove();
  });

  it('given two processes on one port, then one of them (not the primary) holds the lease and servers go ACTIVE', async () => {
    const row = await lease();
    expect(Number(row.holder.split('/')[1])).not.toBe(service.pid);

    await createActive('first');
  }, 90_000);

  it('given the holder is killed, then a process of the same host takes the lease over before it expires, and new servers still go ACTIVE', async () => {
    const before = await lease();
    process.kill(Number(before.holder.split('/')[1]), 'SIGKILL');

    const after = await waitFor(async () => {
      const row = await lease();
      return row.holder !== before.holder ? row : undefined;
    }, 60_000, 'another holder');

    expect(Number(after.generation)).toBe(Number(before.generation) + 1);
    await createActive('after-the-kill');
  }, 150_000);

  it('given SIGTERM, then every process ends cleanly and the lease is released', async () => {
    const exit = await service.kill('SIGTERM', 60_000);

    expect(exit).toEqual({ code: 0, signal: null });
    expect(Number((await lease()).expires_at)).toBe(0);
  }, 90_000);
});

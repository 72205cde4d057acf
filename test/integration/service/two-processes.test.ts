import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '../../../src/adapters/event-store/event-store.port.js';
import type { SqlDatabase } from '../../../src/adapters/sql/sql-database.js';
import { EVENT_STORE, READ_MODEL_DB } from '../../../src/app/tokens.js';
import { startClusterSimulator, type ClusterSimulator } from '../../../src/cluster-simulator/cluster-simulator.js';
import { LeaseKeeper } from '../../../src/handlers/lease/lease-keeper.js';
import { SINGLETON_CONSUMERS_LEASE } from '../../../src/handlers/lease/lease.module.js';
import { readCheckpoints } from '../../../src/projections/projection-checkpoints.js';
import { ProjectionRunner } from '../../../src/projections/projection-runner.js';
import { POSTGRES_URL, createPostgresTestSchema, shouldRunPostgresTests } from '../../support/databases.js';
import { FAST_SIMULATOR_ENV } from '../../support/fast-simulator-env.js';
import { deleteRedisKeys, testRedisPrefix, waitFor } from '../../support/redis.js';
import { authHeaders, startTestApp, type TestApp } from '../../support/test-app.js';

interface Backend {
  name: string;
  /** The settings that put both processes on one database, and how to remove it afterwards. */
  setup(): Promise<{ env: Record<string, string>; sharedDataDir: string | undefined; dispose(): Promise<void> }>;
}

const sqlite: Backend = {
  name: 'SQLite file',
  async setup() {
    const dir = mkdtempSync(join(tmpdir(), 'virtplane-two-'));
    return { env: { EVENT_STORE: 'sqlite' }, sharedDataDir: dir, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

const postgres: Backend = {
  name: 'PostgreSQL schema',
  async setup() {
    const schema = await createPostgresTestSchema();
    return {
      env: { EVENT_STORE: 'postgres', DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema.schema },
      sharedDataDir: undefined,
      dispose: () => schema.dispose(),
    };
  },
};

const backends = (await shouldRunPostgresTests()) ? [sqlite, postgres] : [sqlite];

/**
 * Two service processes on one database and one Redis prefix (as API_PROCESSES=2 or two replicas
 * run): one holds the lease and runs the projections and process managers, both serve the API and
 * run job workers. The cluster is one simulator both reach through a kubeconfig, as replicas reach
 * one real cluster.
 */
describe.each(backends)('two service processes on one $name', (backend) => {
  let simulator: ClusterSimulator;
  let kubeDir: string;
  let previousKubeconfig: string | undefined;
  let prefix: string;
  let database: Awaited<ReturnType<Backend['setup']>>;
  const apps: TestApp[] = [];
  let holder: TestApp;
  let other: TestApp;
  let demo: Record<string, string>;
  const created: string[] = [];

  const keeper = (t: TestApp) => t.app.get(LeaseKeeper);
  const show = (t: TestApp, id: string) => t.request('GET', `/compute/v2.1/servers/${id}`, { headers: demo });
  const create = async (t: TestApp, name: string): Promise<string> => {
    const res = await t.request('POST', '/compute/v2.1/servers', {
      headers: demo,
      body: { server: { name, flavorRef: '1', imageRef: 'docker://quay.io/containerdisks/fedora:41', networks: 'none' } },
    });
    expect(res.status).toBe(202);
    const id = res.json().server.id as string;
    created.push(id);
    return id;
  };
  const settles = (t: TestApp, id: string, status: string) =>
    waitFor(
      async () => {
        const s = (await show(t, id)).json().server;
        return s && s.status === status && s['OS-EXT-STS:task_state'] === null ? s : undefined;
      },
      20_000,
      `server ${id} to be ${status}`,
    );

  beforeAll(async () => {
    simulator = await startClusterSimulator({ nodes: [{ name: 'node-1', cpu: 64, memoryMiB: 262_144 }], stepMs: 10 });
    kubeDir = mkdtempSync(join(tmpdir(), 'virtplane-kube-'));
    writeFileSync(join(kubeDir, 'config'), simulator.kubeconfig(), { mode: 0o600 });
    previousKubeconfig = process.env.KUBECONFIG;
    process.env.KUBECONFIG = join(kubeDir, 'config');
    prefix = testRedisPrefix();
    database = await backend.setup();
    const env = {
      ...FAST_SIMULATOR_ENV,
      CLUSTER_BACKEND: 'kubeconfig',
      LAUNCHER_MEMORY_OVERHEAD_MIB: '0',
      SIM_PERSIST: 'false',
      QUEUE_PREFIX: prefix,
      TOKEN_SECRET: 'two-processes-share-this-token-secret-0123456789',
      LEASE_TTL_SECONDS: '2',
      LEASE_RENEW_INTERVAL_SECONDS: '0.25',
      ...database.env,
    };
    // One after the other, as processes that start together take turns at the lease anyway.
    for (let i = 0; i < 2; i++) apps.push(await startTestApp(env, database.sharedDataDir ? { dataDir: database.sharedDataDir } : {}));
    demo = authHeaders(await apps[1]!.login('demo'));
  });

  afterAll(async () => {
    for (const t of apps) await t.close().catch(() => undefined);
    await deleteRedisKeys(prefix);
    await database?.dispose();
    await simulator?.close();
    if (previousKubeconfig === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = previousKubeconfig;
    rmSync(kubeDir, { recursive: true, force: true });
  });

  it('given both started, then exactly one holds the lease and the leases row names it', async () => {
    const holding = apps.filter((t) => keeper(t).holding);
    expect(holding).toHaveLength(1);
    holder = holding[0]!;
    other = apps.find((t) => t !== holder)!;
    const rows = await other.app.get<SqlDatabase>(READ_MODEL_DB).query<{ holder: string }>('SELECT holder FROM leases WHERE name = ?', [SINGLETON_CONSUMERS_LEASE]);
    expect(rows).toEqual([{ holder: keeper(holder).holder }]);
  });

  it('given a server created through the process without the lease, then a GET from it right after sees the server, and it becomes ACTIVE', async () => {
    const id = await create(other, 'through-the-other');

    const first = await show(other, id);

    expect(first.status).toBe(200);
    expect(['BUILD', 'ACTIVE']).toContain(first.json().server.status);
    await settles(other, id, 'ACTIVE');
  });

  it('given the holder stops, then the other takes the lease over and runs new servers to ACTIVE on its own', async () => {
    await holder.close();
    apps.splice(apps.indexOf(holder), 1);

    await waitFor(() => keeper(other).holding, 10_000, 'the other process to take the lease');
    const id = await create(other, 'after-takeover');

    expect((await show(other, id)).status).toBe(200);
    await settles(other, id, 'ACTIVE');
    await settles(other, created[0]!, 'ACTIVE');
  });

  it('given the takeover, then every event was folded exactly once: the audit trail holds each position once and every checkpoint is at the head', async () => {
    const db = other.app.get<SqlDatabase>(READ_MODEL_DB);
    const store = other.app.get<EventStore>(EVENT_STORE);
    const runner = other.app.get(ProjectionRunner);
    const head = await store.headPosition();
    expect(await runner.waitForPosition(head, 10_000)).toBe(true);

    const [audit] = await db.query<{ rows: unknown; positions: unknown; last: unknown }>(
      'SELECT COUNT(*) AS rows, COUNT(DISTINCT position) AS positions, MAX(position) AS last FROM audit_log',
    );
    expect([Number(audit!.rows), Number(audit!.positions), Number(audit!.last)]).toEqual([head, head, head]);
    const checkpoints = await readCheckpoints(db, runner.names);
    expect([...checkpoints.values()].every((p) => p === head)).toBe(true);
    expect(runner.error).toBeUndefined();
  });
});

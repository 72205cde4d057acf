import type { EventStore } from '../../../src/adapters/event-store/event-store.port.js';
import { PostgresEventStore } from '../../../src/adapters/event-store/postgres/postgres-event-store.js';
import { SqliteEventStore } from '../../../src/adapters/event-store/sqlite/sqlite-event-store.js';
import type { SnapshotStore, StoredSnapshot } from '../../../src/adapters/snapshots/snapshot-store.port.js';
import { SqlSnapshotStore } from '../../../src/adapters/snapshots/sql-snapshot-store.js';
import { runMigrations } from '../../../src/adapters/sql/migration-runner.js';
import type { SqlDatabase } from '../../../src/adapters/sql/sql-database.js';
import type { ReadStreamOptions } from '../../../src/adapters/event-store/event-store.port.js';
import type { Decider } from '../../../src/domain/shared/decider.js';
import type { SubnetCommand } from '../../../src/domain/subnet/subnet.commands.js';
import { subnetDecider } from '../../../src/domain/subnet/subnet.decider.js';
import { SUBNET_EVENT_VERSIONS, subnetStreamId, type SubnetEvent } from '../../../src/domain/subnet/subnet.events.js';
import { SUBNET_SNAPSHOT_VERSION, toSubnetSnapshot } from '../../../src/domain/subnet/subnet-snapshot.js';
import { subnetSnapshots } from '../../../src/domain/subnet/subnet-snapshot-support.js';
import type { SubnetState } from '../../../src/domain/subnet/subnet.state.js';
import { AggregateExecutor } from '../../../src/handlers/shared/aggregate-executor.js';
import { SystemClock } from '../../../src/handlers/shared/clock.js';
import { UuidV7Generator } from '../../../src/handlers/shared/uuid-v7-generator.js';
import { createPostgresTestSchema, createSqliteTestDatabase, shouldRunPostgresTests } from '../../support/databases.js';

/** The event store and the snapshot store on one database, as the service opens them. */
interface Backend {
  store: EventStore;
  snapshots: SnapshotStore;
  /** For tampering with the snapshots table. */
  db: SqlDatabase;
  dispose(): Promise<void>;
}

async function sqliteBackend(): Promise<Backend> {
  const database = createSqliteTestDatabase();
  await runMigrations(database.db);
  const store = new SqliteEventStore(database.db);
  const snapshots = new SqlSnapshotStore(database.open());
  return { store, snapshots, db: database.db, dispose: async () => (await snapshots.close(), await store.close(), await database.dispose()) };
}

async function postgresBackend(): Promise<Backend> {
  const schema = await createPostgresTestSchema();
  await runMigrations(schema.db);
  const store = new PostgresEventStore(schema.open(), { closeDatabase: true });
  const snapshots = new SqlSnapshotStore(schema.open({ max: 2 }));
  return { store, snapshots, db: schema.db, dispose: async () => (await snapshots.close(), await store.close(), await schema.dispose()) };
}

const backends: [string, () => Promise<Backend>][] = [['SQLite', sqliteBackend]];
if (await shouldRunPostgresTests()) backends.push(['PostgreSQL', postgresBackend]);
else describe.skip('executor snapshots on PostgreSQL (skipped only outside CI, when the server is unreachable; under CI=true they run and fail)', () => it('needs PostgreSQL', () => undefined));

/** The subnet decider with a snapshot every 10 events, so a test stream crosses intervals quickly. */
const EVERY = 10;
const decider: Decider<SubnetCommand, SubnetEvent, SubnetState> = { ...subnetDecider, snapshots: { ...subnetSnapshots, everyEvents: EVERY } };
const SUBNET = 'snap-subnet';
const stream = subnetStreamId(SUBNET);
const meta = { requestId: 'req-0190f5f4-0000-7000-8000-00000000000b', actor: { userId: 'u', projectId: 'p', roles: ['admin'] } };
const create: SubnetCommand = { type: 'CreateSubnet', data: { subnetId: SUBNET, networkId: 'n', projectId: 'p', name: 'busy', ipVersion: 4, cidr: '10.9.0.0/24' } };
const allocate = (portId: string): SubnetCommand => ({ type: 'AllocateIp', data: { subnetId: SUBNET, portId, ipAddress: null } });
/** A state in one canonical text (allocations sorted), to compare folds. */
const canonical = (state: SubnetState) => {
  const s = toSubnetSnapshot(state);
  return JSON.stringify(s && { ...s, allocations: [...s.allocations].sort(([a], [b]) => (a < b ? -1 : 1)) });
};

describe.each(backends)('AggregateExecutor snapshots on %s', (_name, openBackend) => {
  let backend: Backend;
  let warnings: string[];
  /** readStream options of every read the executor made. */
  let reads: ReadStreamOptions[];
  const executors: AggregateExecutor[] = [];

  const recordingStore = (): EventStore =>
    new Proxy(backend.store, {
      get(target, prop) {
        if (prop === 'readStream') return (id: string, options?: ReadStreamOptions) => (reads.push(options ?? {}), target.readStream(id, options));
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  const executor = (snapshots: SnapshotStore | undefined = backend.snapshots) => {
    const made = new AggregateExecutor(recordingStore(), new SystemClock(), new UuidV7Generator(), { snapshots, snapshotLog: { warn: (m) => warnings.push(m) } });
    executors.push(made);
    return made;
  };
  const run = (on: AggregateExecutor, command: SubnetCommand) => on.execute(stream, decider, command, meta, SUBNET_EVENT_VERSIONS);
  /** A subnet created and given `allocations` addresses through `on`; revisions 0..allocations. */
  const grow = async (on: AggregateExecutor, allocations: number, from = 0) => {
    if (from === 0) await run(on, create);
    for (let i = from; i < allocations; i++) await run(on, allocate(`port-${i}`));
    await on.snapshotsSettled();
  };
  const fullFold = async () => (await backend.store.readStream(stream)).reduce((s, e) => subnetDecider.evolve(s, { type: e.type, data: e.data } as SubnetEvent), null as SubnetState);
  const storeSnapshot = (row: Partial<StoredSnapshot>) =>
    backend.db.run('UPDATE snapshots SET revision = COALESCE(?, revision), version = COALESCE(?, version), data = COALESCE(?, data) WHERE stream_id = ?', [row.revision ?? null, row.version ?? null, row.data ?? null, stream]);

  beforeEach(async () => {
    backend = await openBackend();
    warnings = [];
    reads = [];
  });
  afterEach(async () => {
    for (const e of executors.splice(0)) await e.snapshotsSettled();
    await backend.dispose();
  });

  it('given a subnet grown past two intervals, when a fresh executor loads it cold, then it restores the newest snapshot, reads only the events after it and equals the full fold', async () => {
    await grow(executor(), 25);
    expect(await backend.snapshots.read(stream)).toMatchObject({ revision: 19, version: SUBNET_SNAPSHOT_VERSION });

    reads = [];
    const cold = executor();
    const { state, revision } = await cold.load(stream, decider);

    expect(reads).toEqual([{ fromRevision: 19 }]);
    expect(revision).toBe(25);
    expect(canonical(state)).toBe(canonical(await fullFold()));
    expect(state!.allocations.size).toBe(25);
    expect(warnings).toEqual([]);
  });

  it('given a cold executor restored from a snapshot, when it allocates, then it hands out the address the full fold would, never a taken one', async () => {
    await grow(executor(), 25);
    const folded = await fullFold();
    const expected = subnetDecider.decide(allocate('late'), folded, { now: new Date().toISOString() });

    await run(executor(), allocate('late'));

    const [last] = await backend.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    expect(last!.data).toEqual(expected[0]!.data);
    expect(folded!.allocations.holderOf((last!.data as { ipAddress: string }).ipAddress)).toBeUndefined();
  });

  /** Corruptions of a stored snapshot's data (given the good data). */
  const corruptions: [string, (good: string) => string][] = [
    ['text that is not JSON', (good) => good.slice(0, good.length / 2)],
    ['JSON of the wrong shape', () => '{"definition": {"subnetId": "snap-subnet"}, "allocations": "all of them"}'],
    ['an allocation that is not a pair', (good) => JSON.stringify({ ...JSON.parse(good), allocations: [['10.9.0.2']] })],
    ['an allocation without its port', (good) => JSON.stringify({ ...JSON.parse(good), allocations: [['10.9.0.2', 7]] })],
    ['a field of the wrong type', (good) => JSON.stringify({ ...JSON.parse(good), deleted: 'no' })],
  ];

  it.each(corruptions)('given a snapshot holding %s, when loaded cold, then the stream is folded from 0, the fault logged, and the snapshot rewritten', async (_what, corrupt) => {
    await grow(executor(), 25);
    await storeSnapshot({ data: corrupt((await backend.snapshots.read(stream))!.data) });

    reads = [];
    const cold = executor();
    const { state } = await cold.load(stream, decider);
    await cold.snapshotsSettled();

    expect(reads).toEqual([{}]);
    expect(canonical(state)).toBe(canonical(await fullFold()));
    expect(warnings).toEqual([expect.stringContaining('unreadable')]);
    const healed = await backend.snapshots.read(stream);
    expect(healed?.revision).toBe(25);
    expect(canonical(subnetSnapshots.fromSnapshot(JSON.parse(healed!.data)))).toBe(canonical(state));
  });

  it('given a snapshot of another version, when loaded cold, then the stream is folded from 0 without alarm and a current-version snapshot replaces it', async () => {
    await grow(executor(), 25);
    await storeSnapshot({ version: SUBNET_SNAPSHOT_VERSION + 1 });

    reads = [];
    const cold = executor();
    const { state } = await cold.load(stream, decider);
    await cold.snapshotsSettled();

    expect(reads).toEqual([{}]);
    expect(canonical(state)).toBe(canonical(await fullFold()));
    expect(warnings).toEqual([]);
    expect(await backend.snapshots.read(stream)).toMatchObject({ revision: 25, version: SUBNET_SNAPSHOT_VERSION });
  });

  it('given a snapshot claiming a revision the stream does not have, when loaded cold, then it is ignored and the stream folded from 0', async () => {
    await grow(executor(), 25);
    await storeSnapshot({ revision: 500 });

    reads = [];
    const { state, revision } = await executor().load(stream, decider);

    expect(reads).toEqual([{ fromRevision: 500 }, {}]);
    expect(revision).toBe(25);
    expect(canonical(state)).toBe(canonical(await fullFold()));
    expect(warnings).toEqual([expect.stringContaining('which the stream does not have')]);
  });

  it('given a snapshot store whose writes fail, when commands cross intervals, then every command succeeds and the failures are logged', async () => {
    const failing: SnapshotStore = { read: async () => null, write: () => Promise.reject(new Error('disk full')), close: async () => undefined };
    const on = executor(failing);

    await grow(on, 25);

    expect((await on.load(stream, decider)).revision).toBe(25);
    expect(warnings).toEqual([expect.stringContaining('disk full'), expect.stringContaining('disk full')]);
    expect(await backend.snapshots.read(stream)).toBeNull();
  });

  it('given a snapshot store whose reads fail, when loaded cold, then the stream is folded from 0 and the failure logged', async () => {
    await grow(executor(), 25);
    const unreadable: SnapshotStore = { read: () => Promise.reject(new Error('connection reset')), write: async () => false, close: async () => undefined };

    const { state } = await executor(unreadable).load(stream, decider);

    expect(canonical(state)).toBe(canonical(await fullFold()));
    expect(warnings).toEqual([expect.stringContaining('connection reset')]);
  });

  it('given a crash between an append and its snapshot write, when the subnet is loaded again, then it folds from the older snapshot plus the longer tail, equals the full fold, and stores a new snapshot', async () => {
    await grow(executor(), 12);
    expect((await backend.snapshots.read(stream))?.revision).toBe(9);
    // The process that crosses revision 19 dies before its snapshot write reaches the database.
    const lost: SnapshotStore = { read: (id) => backend.snapshots.read(id), write: async () => false, close: async () => undefined };
    await grow(executor(lost), 25, 12);
    expect((await backend.snapshots.read(stream))?.revision).toBe(9);

    reads = [];
    const restarted = executor();
    const { state, revision } = await restarted.load(stream, decider);
    await restarted.snapshotsSettled();

    expect(reads).toEqual([{ fromRevision: 9 }]);
    expect(revision).toBe(25);
    expect(canonical(state)).toBe(canonical(await fullFold()));
    expect((await backend.snapshots.read(stream))?.revision).toBe(25);
  });

  it('given a background write overtaken by a newer snapshot, when it lands, then the stored snapshot does not go backwards', async () => {
    await grow(executor(), 12);
    await grow(executor({ read: (id) => backend.snapshots.read(id), write: async () => false, close: async () => undefined }), 25, 12);
    // A cold load from the snapshot at 9 stores revision 25, but its write is held up...
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = executor({ read: (id) => backend.snapshots.read(id), write: async (s) => (await gate, backend.snapshots.write(s)), close: async () => undefined });
    await slow.load(stream, decider);
    // ...while another executor grows the subnet past revision 29 and stores that.
    await grow(executor(), 32, 25);
    expect((await backend.snapshots.read(stream))?.revision).toBe(29);

    release();
    await slow.snapshotsSettled();

    expect((await backend.snapshots.read(stream))?.revision).toBe(29);
  });
});

describe('the subnet decider', () => {
  it('carries its snapshot support: the current snapshot version, every 1,000 events', () => {
    expect(subnetDecider.snapshots).toMatchObject({ version: SUBNET_SNAPSHOT_VERSION, everyEvents: 1_000 });
  });
});

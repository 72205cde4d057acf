import type { NewEvent, RecordedEvent } from '../../../src/adapters/event-store/event-envelope.js';
import type { SqlDatabase, SqlExecutor } from '../../../src/adapters/sql/sql-database.js';
import type { Projection } from '../../../src/projections/projection.js';
import { ProjectionRunner } from '../../../src/projections/projection-runner.js';
import { writeCheckpoint } from '../../../src/projections/projection-checkpoints.js';
import { openSqliteReadModelDb } from '../../support/read-model-db.js';
import { InMemoryEventStore } from './in-memory-event-store.js';

/** Records what it was handed, and counts rows in a table of its own so rollback is visible. */
class CountingProjection implements Projection {
  readonly batches: number[][] = [];
  failOn: number | undefined;
  constructor(readonly name: string) {}

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    this.batches.push(events.map((e) => e.position));
    for (const e of events) {
      if (e.position === this.failOn) throw new Error(`${this.name} fails on ${e.position}`);
      await tx.run('INSERT INTO runner_test (projection, position) VALUES (?, ?)', [this.name, e.position]);
    }
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.run('DELETE FROM runner_test WHERE projection = ?', [this.name]);
  }

  get seen(): number[] {
    return this.batches.flat();
  }
}

const event = (n: number): NewEvent => ({
  id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  type: 'Noted',
  schemaVersion: 1,
  data: { n },
  metadata: { requestId: `req-${n}`, correlationId: 'c', causationId: 'c', actor: { userId: 'u', projectId: 'p', roles: [] } },
  occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
});

async function appendN(store: InMemoryEventStore, from: number, to: number): Promise<number> {
  let last = 0;
  for (let n = from; n <= to; n++) last = (await store.append(`s-${n % 3}`, [event(n)])).lastPosition;
  return last;
}

const rowsOf = async (db: SqlDatabase, name: string) =>
  (await db.query<{ position: number }>('SELECT position FROM runner_test WHERE projection = ? ORDER BY position', [name])).map((r) =>
    Number(r.position),
  );

describe('ProjectionRunner', () => {
  let db: SqlDatabase;
  let store: InMemoryEventStore;
  let runner: ProjectionRunner | undefined;

  beforeEach(async () => {
    db = await openSqliteReadModelDb();
    await db.exec('CREATE TABLE runner_test (projection TEXT NOT NULL, position INTEGER NOT NULL)');
    store = new InMemoryEventStore();
  });

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await db.close();
  });

  it('given projections at different checkpoints, when it catches up, then each is handed only the events past its own', async () => {
    await appendN(store, 1, 10);
    const behind = new CountingProjection('behind');
    const ahead = new CountingProjection('ahead');
    await db.transaction((tx) => writeCheckpoint(tx, 'ahead', 6));
    runner = new ProjectionRunner({ db, store, projections: [behind, ahead], batchSize: 4 });

    await runner.catchUp();

    expect(behind.batches).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
    expect(ahead.batches).toEqual([[7, 8], [9, 10]]);
    expect(runner.checkpoints()).toEqual({ behind: 10, ahead: 10 });
    const stored = await db.query<{ name: string; position: number }>('SELECT name, position FROM projection_checkpoints ORDER BY name');
    expect(stored.map((r) => [r.name, Number(r.position)])).toEqual([
      ['ahead', 10],
      ['behind', 10],
    ]);
  });

  it('given one projection fails in a batch, then no projection keeps that batch and no checkpoint moves', async () => {
    await appendN(store, 1, 6);
    const good = new CountingProjection('good');
    const bad = new CountingProjection('bad');
    bad.failOn = 5;
    runner = new ProjectionRunner({ db, store, projections: [good, bad], batchSize: 3 });

    await expect(runner.catchUp()).rejects.toThrow('bad fails on 5');

    expect(await rowsOf(db, 'good')).toEqual([1, 2, 3]);
    expect(await rowsOf(db, 'bad')).toEqual([1, 2, 3]);
    expect(runner.checkpoints()).toEqual({ good: 3, bad: 3 });
  });

  it('given a started runner, when events are appended, then waitForPosition resolves once every projection passed them', async () => {
    const a = new CountingProjection('a');
    const b = new CountingProjection('b');
    runner = new ProjectionRunner({ db, store, projections: [a, b], batchSize: 2 });
    await runner.start();

    const last = await appendN(store, 1, 5);
    expect(await runner.waitForPosition(last, 2000)).toBe(true);

    expect(await rowsOf(db, 'a')).toEqual([1, 2, 3, 4, 5]);
    expect(await rowsOf(db, 'b')).toEqual([1, 2, 3, 4, 5]);
    expect(await runner.lag()).toEqual({ a: 0, b: 0 });
  });

  it('when the position is not reached in time, then waitForPosition answers false', async () => {
    runner = new ProjectionRunner({ db, store, projections: [new CountingProjection('a')] });
    await runner.start();
    const started = Date.now();
    expect(await runner.waitForPosition(99, 60)).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('given a runner that is not started, then waitForPosition follows the checkpoints another process writes', async () => {
    runner = new ProjectionRunner({ db, store, projections: [new CountingProjection('a')], pollIntervalMs: 5 });
    const waiting = runner.waitForPosition(3, 2000);
    setTimeout(() => void db.transaction((tx) => writeCheckpoint(tx, 'a', 3)), 20);
    expect(await waiting).toBe(true);
  });

  it('reports lag per projection against the head', async () => {
    await appendN(store, 1, 7);
    await db.transaction((tx) => writeCheckpoint(tx, 'b', 5));
    runner = new ProjectionRunner({ db, store, projections: [new CountingProjection('a'), new CountingProjection('b')] });
    expect(await runner.lag()).toEqual({ a: 7, b: 2 });
  });

  it('given the store fails once, then the subscription resumes from the committed checkpoints without loss or duplicates', async () => {
    const a = new CountingProjection('a');
    const errors: unknown[] = [];
    runner = new ProjectionRunner({ db, store, projections: [a], batchSize: 2, retryDelayMs: 10, onError: (e) => errors.push(e) });
    await appendN(store, 1, 3);
    await runner.start();
    expect(await runner.waitForPosition(3, 2000)).toBe(true);

    store.failNextRead = new Error('disk unplugged');
    const last = await appendN(store, 4, 8);
    expect(await runner.waitForPosition(last, 2000)).toBe(true);

    expect(await rowsOf(db, 'a')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(errors.length).toBeGreaterThanOrEqual(1);
  });

  it('given a fence that refuses (the lease was lost), when a batch is folded, then nothing of it commits and no checkpoint moves', async () => {
    await appendN(store, 1, 4);
    const a = new CountingProjection('a');
    runner = new ProjectionRunner({ db, store, projections: [a], fence: async () => Promise.reject(new Error('lease lost')) });

    await expect(runner.catchUp()).rejects.toThrow('lease lost');

    expect(await rowsOf(db, 'a')).toEqual([]);
    expect(runner.checkpoints()).toEqual({ a: 0 });
  });

  it('given a runner stopped while another process folded on, when it starts again, then it resumes from the stored checkpoints and folds nothing twice', async () => {
    const first = new CountingProjection('a');
    runner = new ProjectionRunner({ db, store, projections: [first], batchSize: 2 });
    await runner.start();
    expect(await runner.waitForPosition(await appendN(store, 1, 3), 2000)).toBe(true);
    await runner.stop();
    const other = new ProjectionRunner({ db, store, projections: [new CountingProjection('a')], batchSize: 2 });
    await appendN(store, 4, 6);
    await other.catchUp();

    await runner.start();
    expect(await runner.waitForPosition(await appendN(store, 7, 8), 2000)).toBe(true);

    expect(await rowsOf(db, 'a')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(first.seen).toEqual([1, 2, 3, 7, 8]);
  });

  it('given a write waiting on a started runner, when the runner stops (lease lost), then the wait follows the checkpoints the new holder writes', async () => {
    runner = new ProjectionRunner({ db, store, projections: [new CountingProjection('a')], pollIntervalMs: 5 });
    await runner.start();
    const waiting = runner.waitForPosition(3, 2000);
    await runner.stop();
    await db.transaction((tx) => writeCheckpoint(tx, 'a', 3));
    expect(await waiting).toBe(true);
  });

  it('refuses two projections with one name', () => {
    expect(() => new ProjectionRunner({ db, store, projections: [new CountingProjection('x'), new CountingProjection('x')] })).toThrow(
      'Two projections named x',
    );
  });
});

import { LeaseLostError } from '../../../src/adapters/lease/lease-lost.error.js';
import { SqlLease } from '../../../src/adapters/lease/sql-lease.js';
import type { SqlDatabase } from '../../../src/adapters/sql/sql-database.js';
import { LeaseKeeper } from '../../../src/handlers/lease/lease-keeper.js';
import type { SingletonConsumer } from '../../../src/handlers/lease/singleton-consumer.js';
import { openSqliteReadModelDb } from '../../support/read-model-db.js';

const TTL_MS = 10_000;
const quiet = { log: () => undefined, warn: () => undefined };

/** A consumer that records what the keeper did to it, in one log shared by all. */
function consumer(name: string, log: string[], options: { failStart?: boolean } = {}): SingletonConsumer {
  return {
    name,
    start: async () => {
      if (options.failStart) throw new Error(`${name} cannot start`);
      log.push(`start ${name}`);
    },
    stop: async () => void log.push(`stop ${name}`),
  };
}

describe('LeaseKeeper', () => {
  let db: SqlDatabase;
  let now: number;
  const keeper = (holder: string, log: string[], consumers: SingletonConsumer[] = [consumer(`${holder}.projections`, log), consumer(`${holder}.sagas`, log)]) => {
    const k = new LeaseKeeper({
      lease: new SqlLease({ db, name: 'consumers', holder, ttlMs: TTL_MS, now: () => now, isGone: () => false }),
      renewIntervalMs: TTL_MS / 3,
      log: quiet,
    });
    for (const c of consumers) k.register(c);
    return k;
  };

  beforeEach(async () => {
    db = await openSqliteReadModelDb();
    now = Date.UTC(2026, 0, 1);
  });

  afterEach(async () => {
    await db.close();
  });

  it('given a free lease, when a keeper ticks, then it starts its consumers in registration order and holds', async () => {
    const log: string[] = [];
    const a = keeper('a', log);
    await a.tick();
    expect(log).toEqual(['start a.projections', 'start a.sagas']);
    expect(a.holding).toBe(true);
  });

  it('given one keeper holding, when a second ticks, then the second starts nothing', async () => {
    const log: string[] = [];
    const a = keeper('a', log);
    const b = keeper('b', log);
    await a.tick();
    await b.tick();
    expect(log).toEqual(['start a.projections', 'start a.sagas']);
    expect(b.holding).toBe(false);
  });

  it('given the holder stops, when the other ticks next, then it takes over at once (no TTL wait)', async () => {
    const log: string[] = [];
    const a = keeper('a', log);
    const b = keeper('b', log);
    await a.tick();
    await a.stop();
    await b.tick();
    expect(log).toEqual(['start a.projections', 'start a.sagas', 'stop a.sagas', 'stop a.projections', 'start b.projections', 'start b.sagas']);
  });

  it('given a holder paused past its TTL and taken over, when it ticks again, then its renewal fails and it stops its consumers', async () => {
    const log: string[] = [];
    const a = keeper('a', log);
    const b = keeper('b', log);
    await a.tick();
    now += TTL_MS;
    await b.tick();
    await a.tick();
    expect(log).toEqual(['start a.projections', 'start a.sagas', 'start b.projections', 'start b.sagas', 'stop a.sagas', 'stop a.projections']);
    expect(a.holding).toBe(false);
    expect(b.holding).toBe(true);
  });

  it('given a holder paused past its TTL and taken over, when it commits progress before its next tick, then the fence refuses the commit and its consumers stop', async () => {
    const log: string[] = [];
    const a = keeper('a', log);
    const b = keeper('b', log);
    await a.tick();
    now += TTL_MS;
    await b.tick();
    const commit = db.transaction(async (tx) => {
      await a.fence(tx);
      await tx.run('INSERT INTO projection_checkpoints (name, position, updated_at) VALUES (?, ?, ?)', ['p', 9, 'now']);
    });
    await expect(commit).rejects.toBeInstanceOf(LeaseLostError);
    await a.tick();
    expect(await db.query('SELECT * FROM projection_checkpoints WHERE name = ?', ['p'])).toEqual([]);
    expect(log.slice(-2)).toEqual(['stop a.sagas', 'stop a.projections']);
  });

  it('given a holder whose renewal keeps succeeding, when many TTLs pass, then the other never starts', async () => {
    const log: string[] = [];
    const a = keeper('a', log);
    const b = keeper('b', log);
    await a.tick();
    for (let i = 0; i < 6; i++) {
      now += TTL_MS / 3;
      await a.tick();
      await b.tick();
    }
    expect(log).toEqual(['start a.projections', 'start a.sagas']);
  });

  it('given a consumer that fails to start, when the keeper ticks, then it stops what it started and lets the lease go to another', async () => {
    const log: string[] = [];
    const a = keeper('a', log, [consumer('a.projections', log), consumer('a.sagas', log, { failStart: true })]);
    const b = keeper('b', log);
    await a.tick();
    await b.tick();
    expect(log).toEqual(['start a.projections', 'stop a.projections', 'start b.projections', 'start b.sagas']);
    expect(a.holding).toBe(false);
  });
});

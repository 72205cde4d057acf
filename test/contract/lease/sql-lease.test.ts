import { LeaseLostError } from '../../../src/adapters/lease/lease-lost.error.js';
import { SqlLease } from '../../../src/adapters/lease/sql-lease.js';
import type { SqlDatabase } from '../../../src/adapters/sql/sql-database.js';
import { eventually } from '../../support/eventually.js';
import { migrateReadModels } from '../../support/read-model-db.js';
import { dialects, type DialectFixture } from '../sql-dialects.js';

const TTL_MS = 10_000;

/** One clock all holders read, moved by the test. */
class FakeClock {
  ms = Date.UTC(2026, 0, 1);
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

describe.each(dialects)('SqlLease on $name', (dialect) => {
  let fixture: DialectFixture;
  let db: SqlDatabase;
  let clock: FakeClock;
  const gone = new Set<string>();
  const lease = (holder: string, on: SqlDatabase = db): SqlLease =>
    new SqlLease({ db: on, name: 'consumers', holder, ttlMs: TTL_MS, now: clock.now, isGone: (h) => gone.has(h) });

  beforeEach(async () => {
    fixture = await dialect.setup();
    db = fixture.db;
    await migrateReadModels(db);
    clock = new FakeClock();
    gone.clear();
  });

  afterEach(async () => {
    await fixture.dispose();
  });

  it('given no row, when a holder acquires, then it holds generation 1 until now + TTL', async () => {
    const a = lease('a');
    expect(await a.acquire()).toBe(true);
    expect(a.grant).toEqual({ generation: 1, expiresAt: clock.ms + TTL_MS });
  });

  it('given a holder within its TTL, when another tries, then it is refused and the first still renews', async () => {
    const a = lease('a');
    const b = lease('b', fixture.openAnother());
    await a.acquire();
    clock.advance(TTL_MS - 1);
    expect(await b.acquire()).toBe(false);
    expect(b.grant).toBeNull();
    expect(await a.renew()).toBe(true);
  });

  it('given a holder that stopped renewing, when its TTL passes, then another takes it with the next generation and the first can neither renew nor pass its fence', async () => {
    const a = lease('a');
    const b = lease('b', fixture.openAnother());
    await a.acquire();
    clock.advance(TTL_MS);
    expect(await b.acquire()).toBe(true);
    expect(b.grant?.generation).toBe(2);
    await expect(db.transaction((tx) => a.fence(tx))).rejects.toBeInstanceOf(LeaseLostError);
    expect(await a.renew()).toBe(false);
    expect(a.grant).toBeNull();
  });

  it('given a renewing holder, when time passes beyond the first TTL, then nobody else gets it', async () => {
    const a = lease('a');
    const b = lease('b', fixture.openAnother());
    await a.acquire();
    for (let i = 0; i < 5; i++) {
      clock.advance(TTL_MS / 2);
      expect(await a.renew()).toBe(true);
      expect(await b.acquire()).toBe(false);
    }
  });

  it('given a holder that released, when another tries at once, then it takes over without waiting for the TTL', async () => {
    const a = lease('a');
    const b = lease('b', fixture.openAnother());
    await a.acquire();
    await a.release();
    expect(a.grant).toBeNull();
    expect(await b.acquire()).toBe(true);
    expect(b.grant?.generation).toBe(2);
  });

  it('given a holder known to be gone, when another tries within its TTL, then it takes over', async () => {
    const a = lease('a');
    const b = lease('b', fixture.openAnother());
    await a.acquire();
    gone.add('a');
    expect(await b.acquire()).toBe(true);
    expect(b.grant?.generation).toBe(2);
  });

  it('given the holder, when its fence runs in a transaction, then the transaction commits', async () => {
    const a = lease('a');
    await a.acquire();
    await db.transaction(async (tx) => {
      await a.fence(tx);
      await tx.run('INSERT INTO projection_checkpoints (name, position, updated_at) VALUES (?, ?, ?)', ['p', 7, 'now']);
    });
    expect(await db.query('SELECT position FROM projection_checkpoints WHERE name = ?', ['p'])).toHaveLength(1);
  });

  it('given a process that never acquired, when its fence runs, then LeaseLostError', async () => {
    await expect(db.transaction((tx) => lease('a').fence(tx))).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('given two holders racing for a free lease, when both acquire at once, then exactly one holds it', async () => {
    const holders = [lease('a'), lease('b', fixture.openAnother()), lease('c', fixture.openAnother())];
    const won = await Promise.all(holders.map((h) => h.acquire()));
    expect(won.filter(Boolean)).toHaveLength(1);
  });
});

/** PostgreSQL runs transactions concurrently, so there the fence must hold off a takeover itself (SQLite's write lock does it for it). */
describe.each(dialects.filter((d) => d.name === 'PostgreSQL'))('SqlLease fence on $name', (dialect) => {
  let fixture: DialectFixture;
  let clock: FakeClock;

  beforeEach(async () => {
    fixture = await dialect.setup();
    await migrateReadModels(fixture.db);
    clock = new FakeClock();
  });

  afterEach(async () => {
    await fixture.dispose();
  });

  it('given a holder past its TTL inside a fenced transaction, when another takes the lease, then the takeover waits for that commit, which lands first', async () => {
    const order: string[] = [];
    const a = new SqlLease({ db: fixture.db, name: 'consumers', holder: 'a', ttlMs: TTL_MS, now: clock.now, isGone: () => false });
    const b = new SqlLease({ db: fixture.openAnother(), name: 'consumers', holder: 'b', ttlMs: TTL_MS, now: clock.now, isGone: () => false });
    const observer = fixture.openAnother();
    await a.acquire();
    let takeover: Promise<boolean> | undefined;

    await fixture.db.transaction(async (tx) => {
      await a.fence(tx);
      clock.advance(TTL_MS);
      takeover = b.acquire().then((won) => (order.push('b acquired'), won));
      // b's upsert waits on the lease row that a's fence locked.
      await eventually(async () => {
        const waiting = await observer.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO leases%'");
        expect(waiting.length).toBeGreaterThanOrEqual(1);
      });
      await tx.run('INSERT INTO projection_checkpoints (name, position, updated_at) VALUES (?, ?, ?)', ['p', 7, 'now']);
      order.push('a committing');
    });

    expect(await takeover).toBe(true);
    expect(order).toEqual(['a committing', 'b acquired']);
    expect(await fixture.db.query('SELECT position FROM projection_checkpoints WHERE name = ?', ['p'])).toHaveLength(1);
    await expect(fixture.db.transaction((tx) => a.fence(tx))).rejects.toBeInstanceOf(LeaseLostError);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDatabase } from '../../../../src/adapters/sql/sqlite-database.js';
import type { FileFlusher } from '../../../../src/adapters/sql/wal-file-sync.js';

/** Counts datasyncs; while holding, each waits until released. */
function holdingFlusher() {
  const held: Array<() => void> = [];
  let datasyncs = 0;
  let holding = false;
  const flusher: FileFlusher = {
    open: async () => 3,
    datasync: () => {
      datasyncs++;
      return holding ? new Promise<void>((resolve) => held.push(resolve)) : Promise.resolve();
    },
    close: async () => undefined,
  };
  return {
    flusher,
    datasyncs: () => datasyncs,
    hold: () => void (holding = true),
    /** Lets the held datasyncs finish, and the next one once it starts. */
    releaseOne: async () => {
      for (let i = 0; i < 100 && held.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
      held.shift()?.();
    },
    stopHolding: () => {
      holding = false;
      held.splice(0).forEach((release) => release());
    },
  };
}

const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void promise.then(() => (done = true), () => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('SqliteDatabase durability', () => {
  let dir: string;
  let db: SqliteDatabase | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vp-sqlite-durable-'));
  });

  afterEach(async () => {
    await db?.close();
    db = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a durable file, when each kind of write commits, then it resolves only after the WAL is flushed', async () => {
    const f = holdingFlusher();
    db = new SqliteDatabase({ path: join(dir, 'events.sqlite'), flusher: f.flusher });
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    f.hold();

    const writes: Array<Promise<unknown>> = [
      db.run('INSERT INTO t (v) VALUES (?)', ['run']),
      db.query('INSERT INTO t (v) VALUES (?) RETURNING id', ['returning']),
      db.writeTransaction((raw) => raw.prepare("INSERT INTO t (v) VALUES ('writeTransaction')").run()),
      db.transaction((tx) => tx.run("INSERT INTO t (v) VALUES ('transaction')")),
      db.exec("INSERT INTO t (v) VALUES ('exec')"),
    ];

    for (const write of writes) expect(await settled(write)).toBe(false);
    f.stopHolding();
    await Promise.all(writes);
    expect(await db.query('SELECT v FROM t ORDER BY id')).toHaveLength(5);
  }, 10_000);

  it('given a write waiting for its flush, when others read and write meanwhile, then they run at once (the flush holds no lock)', async () => {
    const f = holdingFlusher();
    db = new SqliteDatabase({ path: join(dir, 'events.sqlite'), flusher: f.flusher });
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    const before = f.datasyncs();
    f.hold();

    const first = db.run('INSERT INTO t (id) VALUES (1)');
    const read = db.query<{ n: number }>('SELECT COUNT(*) AS n FROM t');
    const second = db.transaction((tx) => tx.run('INSERT INTO t (id) VALUES (2)'));

    expect(await read).toEqual([{ n: 1 }]);
    expect(await settled(second)).toBe(false);
    expect(await settled(first)).toBe(false);
    await f.releaseOne();
    await first;
    await f.releaseOne();
    await second;
    f.stopHolding();
    // One flush for the first write, one for the second (it committed while the first was flushing).
    expect(f.datasyncs() - before).toBe(2);
  });

  it('given a database that is not durable, or in memory, when it writes, then it never flushes', async () => {
    const f = holdingFlusher();
    const notDurable = new SqliteDatabase({ path: join(dir, 'read-models.sqlite'), durable: false, flusher: f.flusher });
    const memory = new SqliteDatabase({ path: ':memory:', flusher: f.flusher });
    try {
      for (const d of [notDurable, memory]) {
        await d.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
        await d.run('INSERT INTO t (id) VALUES (1)');
        await d.transaction((tx) => tx.run('INSERT INTO t (id) VALUES (2)'));
      }
    } finally {
      await notDurable.close();
      await memory.close();
    }

    expect(f.datasyncs()).toBe(0);
  });

  it('given a durable file, when it only reads, then it does not flush', async () => {
    const f = holdingFlusher();
    db = new SqliteDatabase({ path: join(dir, 'events.sqlite'), flusher: f.flusher });
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    const before = f.datasyncs();

    await db.query('SELECT * FROM t');
    await db.exclusive((raw) => raw.prepare('SELECT 1').get());

    expect(f.datasyncs()).toBe(before);
  });
});

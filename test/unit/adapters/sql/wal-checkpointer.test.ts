import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteDatabase } from '../../../../src/adapters/sql/sqlite-database.js';
import { WalCheckpointer } from '../../../../src/adapters/sql/wal-checkpointer.js';
import { waitFor } from '../../../support/redis.js';

describe('WalCheckpointer', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vp-checkpointer-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a WAL database whose commits never checkpoint, when it is registered and written to, then its WAL reaches the file in the background', async () => {
    const path = join(dir, 'db.sqlite');
    const raw = new Database(path);
    raw.pragma('journal_mode = WAL');
    raw.pragma('wal_autocheckpoint = 0');
    raw.exec('CREATE TABLE t (v TEXT)');
    const stop = new WalCheckpointer(20).register(path, () => undefined);
    try {
      const sizeBefore = statSync(path).size;
      const insert = raw.prepare('INSERT INTO t (v) VALUES (?)');
      raw.transaction(() => {
        for (let i = 0; i < 500; i++) insert.run('x'.repeat(4000));
      })();

      await waitFor(() => statSync(path).size > sizeBefore + 1_000_000, 10_000, 'the WAL in the file');
    } finally {
      await stop();
      raw.close();
    }
  });

  it('given a database the thread cannot open, when registered, then that registration is told to checkpoint by itself', async () => {
    const failures: string[] = [];

    new WalCheckpointer(20).register(join(dir, 'missing', 'db.sqlite'), (reason) => failures.push(reason));

    await waitFor(() => failures.length === 1, 10_000, 'the failure');
    expect(failures[0]).toMatch(/unable to open|SQLITE_CANTOPEN|directory does not exist/i);
  });
});

describe('SqliteDatabase checkpoints', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vp-checkpoints-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a file, then commits do not checkpoint (the background thread does) unless checkpoints are asked on commit', async () => {
    const background = new SqliteDatabase({ path: join(dir, 'a.sqlite') });
    const onCommit = new SqliteDatabase({ path: join(dir, 'b.sqlite'), checkpoints: 'on-commit' });
    try {
      expect(background.raw.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      expect(onCommit.raw.pragma('wal_autocheckpoint', { simple: true })).toBe(4000);
    } finally {
      await background.close();
      await onCommit.close();
    }
  });
});

import { openSqlDatabase } from '../../src/adapters/sql/open-sql-database.js';
import { PostgresDatabase } from '../../src/adapters/sql/postgres-database.js';
import { numberPlaceholders } from '../../src/adapters/sql/numbered-placeholders.js';
import { SqliteDatabase } from '../../src/adapters/sql/sqlite-database.js';
import { TransactionFinishedError } from '../../src/adapters/sql/transaction-finished.error.js';
import { UnsupportedDatabaseUrlError } from '../../src/adapters/sql/unsupported-database-url.error.js';
import type { SqlTransaction } from '../../src/adapters/sql/sql-database.js';
import { dialects, type DialectFixture } from './sql-dialects.js';

describe.each(dialects)('SqlDatabase: $name', ({ setup }) => {
  let fixture: DialectFixture;

  beforeEach(async () => {
    fixture = await setup();
    await fixture.db.exec('CREATE TABLE servers (id TEXT PRIMARY KEY, name TEXT, vcpus INTEGER, locked BOOLEAN, created_at TEXT)');
  });

  afterEach(async () => {
    await fixture?.dispose();
  });

  it('when running statements with ? placeholders, then values round-trip and run counts changed rows', async () => {
    const { db } = fixture;
    const inserted = await db.run('INSERT INTO servers (id, name, vcpus, locked) VALUES (?, ?, ?, ?), (?, ?, ?, ?)', [
      's1', 'web?', 2, true, 's2', "it's", 4, false,
    ]);
    const rows = await db.query<{ id: string; name: string; vcpus: number }>(
      "SELECT id, name, vcpus FROM servers WHERE name <> '?' AND vcpus >= ? ORDER BY id",
      [2],
    );
    const counted = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM servers');

    expect(inserted).toBe(2);
    expect(rows).toEqual([
      { id: 's1', name: 'web?', vcpus: 2 },
      { id: 's2', name: "it's", vcpus: 4 },
    ]);
    expect(counted).toEqual([{ n: 2 }]);
  });

  it('when a transaction throws, then nothing it did remains', async () => {
    const failure = new Error('decided against it');
    await expect(
      fixture.db.transaction(async (tx) => {
        await tx.run('INSERT INTO servers (id, name) VALUES (?, ?)', ['s1', 'a']);
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(await fixture.db.query('SELECT id FROM servers')).toEqual([]);
  });

  it('when a transaction resolves, then its statements and scripts are committed together', async () => {
    const result = await fixture.db.transaction(async (tx) => {
      await tx.run('INSERT INTO servers (id, name) VALUES (?, ?)', ['s1', 'a']);
      await tx.exec("INSERT INTO servers (id, name) VALUES ('s2', 'b'); INSERT INTO servers (id, name) VALUES ('s3', 'c')");
      return (await tx.query<{ n: number }>('SELECT COUNT(*) AS n FROM servers'))[0]!.n;
    });

    expect(result).toBe(3);
    expect((await fixture.db.query('SELECT id FROM servers')).length).toBe(3);
  });

  it('given an open transaction awaiting, when another caller writes meanwhile, then that write is not part of the transaction', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const tx = fixture.db.transaction(async (t) => {
      await t.run('INSERT INTO servers (id) VALUES (?)', ['in-tx']);
      await held;
      throw new Error('roll back');
    });
    await new Promise((r) => setTimeout(r, 20));

    const outside = fixture.db.run('INSERT INTO servers (id) VALUES (?)', ['outside']);
    await new Promise((r) => setTimeout(r, 20));
    release();
    await expect(tx).rejects.toThrow('roll back');
    await outside;

    expect(await fixture.db.query('SELECT id FROM servers')).toEqual([{ id: 'outside' }]);
  });

  it('when a transaction executor is used after the transaction, then it refuses', async () => {
    let leaked!: SqlTransaction;
    await fixture.db.transaction(async (tx) => void (leaked = tx));

    await expect(leaked.query('SELECT 1')).rejects.toBeInstanceOf(TransactionFinishedError);
  });

  it('when two transactions run at once, then both commit', async () => {
    await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        fixture.db.transaction(async (tx) => {
          const before = await tx.query<{ n: number }>('SELECT COUNT(*) AS n FROM servers');
          await tx.run('INSERT INTO servers (id, vcpus) VALUES (?, ?)', [id, before[0]!.n]);
        }),
      ),
    );

    expect((await fixture.db.query('SELECT id FROM servers')).length).toBe(3);
  });
});

describe('openSqlDatabase', () => {
  it('opens sqlite::memory: and sqlite:<path> as SQLite, postgres:// as PostgreSQL', async () => {
    const memory = openSqlDatabase('sqlite::memory:');
    const pg = openSqlDatabase('postgres://postgres@127.0.0.1:5432/postgres?schema=vp_example');

    expect(memory).toBeInstanceOf(SqliteDatabase);
    expect(pg).toBeInstanceOf(PostgresDatabase);
    expect((pg as PostgresDatabase).schema).toBe('vp_example');
    await memory.close();
    await pg.close();
  });

  it('refuses other schemes', () => {
    expect(() => openSqlDatabase('mysql://localhost/db')).toThrow(UnsupportedDatabaseUrlError);
  });
});

describe('numberPlaceholders', () => {
  it('numbers ? outside literals, quoted identifiers, comments and dollar quotes', () => {
    const sql = `SELECT ?, '?''?', "a?b", $$ ? $$, $t$ ? $t$ -- ?\nFROM x WHERE y = ? /* ? */`;
    expect(numberPlaceholders(sql)).toBe(`SELECT $1, '?''?', "a?b", $$ ? $$, $t$ ? $t$ -- ?\nFROM x WHERE y = $2 /* ? */`);
  });
});

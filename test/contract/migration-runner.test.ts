import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuplicateMigrationVersionError, loadMigrations } from '../../src/adapters/sql/migration-files.js';
import { MigrationRunner, runMigrations } from '../../src/adapters/sql/migration-runner.js';
import { findProjectRoot } from '../../src/adapters/sql/project-root.js';
import { dialects, type DialectFixture } from './sql-dialects.js';

function migrationsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vp-migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

const FILES = {
  '0001_servers.sql': 'CREATE TABLE servers (id TEXT PRIMARY KEY);',
  '0002_flavors.sqlite.sql': 'CREATE TABLE flavors (id TEXT PRIMARY KEY, sqlite_only INTEGER);',
  '0002_flavors.postgres.sql': 'CREATE TABLE flavors (id TEXT PRIMARY KEY, postgres_only INTEGER);',
  '0003_seed.sql': "INSERT INTO servers (id) VALUES ('s1');\nINSERT INTO servers (id) VALUES ('s2');",
  'README.md': 'not a migration',
};

describe.each(dialects)('MigrationRunner: $name', ({ name, setup }) => {
  let fixture: DialectFixture;
  let dir: string;

  beforeEach(async () => {
    fixture = await setup();
    dir = migrationsFolder(FILES);
  });

  afterEach(async () => {
    await fixture?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given a fresh database, when migrating, then the files for this dialect apply in order, once', async () => {
    const applied = await runMigrations(fixture.db, { directory: dir });
    const again = await runMigrations(fixture.db, { directory: dir });

    expect(applied).toEqual([
      { version: 1, name: 'servers' },
      { version: 2, name: 'flavors' },
      { version: 3, name: 'seed' },
    ]);
    expect(again).toEqual([]);
    expect((await fixture.db.query('SELECT id FROM servers')).length).toBe(2);
    const column = name === 'SQLite' ? 'sqlite_only' : 'postgres_only';
    await expect(fixture.db.query(`SELECT ${column} FROM flavors`)).resolves.toEqual([]);
  });

  it('given two processes starting together, when both migrate, then each migration applies exactly once', async () => {
    const [a, b] = await Promise.all([
      runMigrations(fixture.db, { directory: dir }),
      runMigrations(fixture.openAnother(), { directory: dir }),
    ]);

    expect([...a, ...b].map((m) => m.version).sort()).toEqual([1, 2, 3]);
    expect((await fixture.db.query('SELECT id FROM servers')).length).toBe(2);
  });

  it('when a migration fails, then it leaves nothing behind and the earlier ones stay applied', async () => {
    writeFileSync(join(dir, '0004_broken.sql'), 'CREATE TABLE half_done (id TEXT);\nTHIS IS NOT SQL;');

    // Matched by message: under jest a native module's errors may come from another realm's Error.
    await expect(runMigrations(fixture.db, { directory: dir })).rejects.toHaveProperty('message', expect.stringMatching(/syntax error/));

    const applied = await new MigrationRunner(fixture.db, { directory: dir }).applied();
    expect(applied.map((m) => Number(m.version))).toEqual([1, 2, 3]);
    await expect(fixture.db.query('SELECT id FROM half_done')).rejects.toHaveProperty('message', expect.stringMatching(/half_done/));
  });

  it('given two folders numbered from 0001, when both migrate one database, then their records do not collide', async () => {
    const other = migrationsFolder({ '0001_images.sql': 'CREATE TABLE images (id TEXT PRIMARY KEY);' });
    try {
      await runMigrations(fixture.db, { directory: dir });
      const applied = await runMigrations(fixture.db, { directory: other, set: 'images' });
      expect(applied).toEqual([{ version: 1, name: 'images' }]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('migration files', () => {
  it('refuses two migrations with one number', () => {
    const dir = migrationsFolder({ '0001_a.sql': 'SELECT 1;', '0001_b.sql': 'SELECT 1;' });
    try {
      expect(() => loadMigrations(dir, 'sqlite')).toThrow(DuplicateMigrationVersionError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("finds the project's migrations folder from the source tree", () => {
    const root = findProjectRoot();
    expect(loadMigrations(join(root, 'migrations'), 'postgres')[0]).toMatchObject({ version: 1, name: 'event_store' });
  });
});

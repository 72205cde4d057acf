import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMigrations, type Migration } from './migration-files.js';
import { findProjectRoot } from './project-root.js';
import type { SqlDatabase, SqlTransaction } from './sql-database.js';

export interface MigrationRunnerOptions {
  /** Folder of NNNN_name[.dialect].sql files; the project's migrations/ by default. */
  directory?: string | URL;
  /**
   * Names this set of migrations in schema_migrations, so several folders (the event store's
   * migrations/, the read models' migrations/read-models/) can share one database and each number
   * from 0001. Defaults to the folder's name.
   */
  set?: string;
}

export interface AppliedMigration {
  version: number;
  name: string;
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  migration_set TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (migration_set, version)
)`;

/**
 * Applies pending migrations in version order, each in its own transaction together with its
 * schema_migrations row, so a crash leaves every migration either fully applied or not at all.
 * Running it again applies nothing. On PostgreSQL each transaction first takes an advisory lock
 * (per schema), so processes starting together wait for each other and then see the work done;
 * on SQLite BEGIN IMMEDIATE does the same.
 */
export class MigrationRunner {
  private readonly directory: string;
  private readonly set: string;

  constructor(
    private readonly db: SqlDatabase,
    options: MigrationRunnerOptions = {},
  ) {
    const dir = options.directory;
    this.directory =
      dir === undefined ? join(findProjectRoot(), 'migrations') : dir instanceof URL ? fileURLToPath(dir) : dir;
    this.set = options.set ?? basename(this.directory.replace(/[\\/]+$/, ''));
  }

  /** The migrations for this database's dialect, applied or not. */
  migrations(): Migration[] {
    return loadMigrations(this.directory, this.db.dialect);
  }

  /** What schema_migrations records for this set (creating the table on first use). */
  async applied(): Promise<AppliedMigration[]> {
    await this.db.transaction(async (tx) => {
      await this.lock(tx);
      await tx.exec(CREATE_TABLE);
    });
    return this.db.query<AppliedMigration>(
      'SELECT version, name FROM schema_migrations WHERE migration_set = ? ORDER BY version',
      [this.set],
    );
  }

  /** Applies what is pending; returns what this call applied (empty when up to date). */
  async migrate(): Promise<AppliedMigration[]> {
    const done = new Set((await this.applied()).map((m) => Number(m.version)));
    const appliedNow: AppliedMigration[] = [];
    for (const migration of this.migrations()) {
      if (done.has(migration.version)) continue;
      const applied = await this.db.transaction(async (tx) => {
        await this.lock(tx);
        // Another process may have applied it while we waited for the lock.
        const rows = await tx.query('SELECT 1 AS present FROM schema_migrations WHERE migration_set = ? AND version = ?', [
          this.set,
          migration.version,
        ]);
        if (rows.length > 0) return false;
        await tx.exec(migration.sql);
        await tx.run('INSERT INTO schema_migrations (migration_set, version, name, checksum, applied_at) VALUES (?, ?, ?, ?, ?)', [
          this.set,
          migration.version,
          migration.name,
          migration.checksum,
          new Date().toISOString(),
        ]);
        return true;
      });
      if (applied) appliedNow.push({ version: migration.version, name: migration.name });
    }
    return appliedNow;
  }

  private async lock(tx: SqlTransaction): Promise<void> {
    if (tx.dialect !== 'postgres') return;
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('virtplane:migrations:' || current_schema()))");
  }
}

/** Applies pending migrations from the project's migrations/ folder (or options.directory). */
export function runMigrations(db: SqlDatabase, options?: MigrationRunnerOptions): Promise<AppliedMigration[]> {
  return new MigrationRunner(db, options).migrate();
}

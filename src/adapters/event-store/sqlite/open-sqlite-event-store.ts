import { runMigrations } from '../../sql/migration-runner.js';
import { SqliteDatabase } from '../../sql/sqlite-database.js';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store.js';

export interface OpenSqliteEventStoreOptions extends Omit<SqliteEventStoreOptions, 'closeDatabase'> {
  /** Database file, or ':memory:'. */
  path: string;
  /** Apply pending migrations first (default true). */
  migrate?: boolean;
}

/** Opens a database of its own, migrates it, and returns a store that closes it on close(). */
export async function openSqliteEventStore(options: OpenSqliteEventStoreOptions): Promise<SqliteEventStore> {
  const { path, migrate = true, ...storeOptions } = options;
  const db = new SqliteDatabase({ path });
  try {
    if (migrate) await runMigrations(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return new SqliteEventStore(db, { ...storeOptions, closeDatabase: true });
}

import { runMigrations } from '../../sql/migration-runner.js';
import { PostgresDatabase } from '../../sql/postgres-database.js';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store.js';

export interface OpenPostgresEventStoreOptions extends Omit<PostgresEventStoreOptions, 'closeDatabase'> {
  connectionString: string;
  /** search_path for every connection; the schema must exist. */
  schema?: string;
  /** Pool size (default 10). */
  max?: number;
  /** Apply pending migrations first (default true). */
  migrate?: boolean;
}

/** Opens a pool of its own, migrates the schema, and returns a store that closes the pool on close(). */
export async function openPostgresEventStore(options: OpenPostgresEventStoreOptions): Promise<PostgresEventStore> {
  const { connectionString, schema, max, migrate = true, ...storeOptions } = options;
  const db = new PostgresDatabase({ connectionString, schema, max });
  try {
    if (migrate) await runMigrations(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return new PostgresEventStore(db, { ...storeOptions, closeDatabase: true });
}

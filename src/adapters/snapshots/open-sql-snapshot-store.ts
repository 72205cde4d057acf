import { PostgresDatabase } from '../sql/postgres-database.js';
import { SqliteDatabase } from '../sql/sqlite-database.js';
import { SqlSnapshotStore } from './sql-snapshot-store.js';

export type SnapshotDatabase =
  | { dialect: 'sqlite'; /** the event store's file */ path: string }
  | { dialect: 'postgres'; connectionString: string; /** the event store's schema */ schema?: string };

/**
 * A snapshot store on a connection of its own to the event store's database, which must already be
 * migrated (the event store's migrations create the table). Its own connection keeps the event store
 * untouched: on SQLite a snapshot write takes the file's write lock for one short statement, and an
 * append arriving meanwhile waits a few milliseconds (busy retry), once per thousand events of a
 * stream; on PostgreSQL it is a pool of two next to the store's.
 */
export function openSqlSnapshotStore(database: SnapshotDatabase): SqlSnapshotStore {
  const db =
    database.dialect === 'sqlite'
      ? new SqliteDatabase({ path: database.path })
      : new PostgresDatabase({ connectionString: database.connectionString, schema: database.schema, max: 2 });
  return new SqlSnapshotStore(db, { closeDatabase: true });
}

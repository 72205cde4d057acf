import { POSTGRES_URL, createPostgresTestSchema } from './databases.js';
import { join } from 'node:path';
import { runMigrations } from '../../src/adapters/sql/migration-runner.js';
import { openSqlDatabase } from '../../src/adapters/sql/open-sql-database.js';
import type { SqlDatabase } from '../../src/adapters/sql/sql-database.js';
import { SqliteDatabase } from '../../src/adapters/sql/sqlite-database.js';
import type { PostgresDatabase } from '../../src/adapters/sql/postgres-database.js';
import { SqliteEventStore } from '../../src/adapters/event-store/sqlite/sqlite-event-store.js';
import { PostgresEventStore } from '../../src/adapters/event-store/postgres/postgres-event-store.js';
import { UpcasterChain } from '../../src/adapters/event-store/upcaster.js';
import { upcasters } from '../../src/domain/upcasters.js';

/** The read models' migrations (their own folder: in SQLite mode they live in their own file). */
export const READ_MODEL_MIGRATIONS = join(process.cwd(), 'migrations', 'read-models');

export async function migrateReadModels(db: SqlDatabase): Promise<void> {
  await runMigrations(db, { directory: READ_MODEL_MIGRATIONS });
}

/** A fresh in-memory SQLite read-model database with every read-model migration applied. */
export async function openSqliteReadModelDb(): Promise<SqlDatabase> {
  const db = openSqlDatabase('sqlite::memory:');
  await migrateReadModels(db);
  return db;
}

/** A PostgreSQL read-model database in a schema of its own; drop() removes the schema. */
export async function openPostgresReadModelDb(): Promise<{ db: SqlDatabase; schema: string; drop(): Promise<void> }> {
  const { schema, open, dispose } = await createPostgresTestSchema();
  const db = open({ max: 2 });
  await migrateReadModels(db);
  return { db, schema, drop: dispose };
}

/**
 * A fresh in-memory SQLite event store (its own database, as in production) with the domain's
 * upcasters, so old schema versions in recorded logs are lifted on read.
 */
export async function openSqliteEventStore(): Promise<SqliteEventStore> {
  const db = new SqliteDatabase({ path: ':memory:' });
  await runMigrations(db);
  return new SqliteEventStore(db, { upcasters: new UpcasterChain(upcasters), pollIntervalMs: 20, closeDatabase: true });
}

/** A PostgreSQL event store in the same schema as a read-model database opened by openPostgresReadModelDb. */
export async function openPostgresEventStore(schema: string): Promise<PostgresEventStore> {
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('schema', schema);
  const db = openSqlDatabase(url.toString(), { max: 4 }) as PostgresDatabase;
  await runMigrations(db);
  return new PostgresEventStore(db, { upcasters: new UpcasterChain(upcasters), pollIntervalMs: 50, closeDatabase: true });
}

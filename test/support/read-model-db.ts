import { randomUUID } from 'node:crypto';
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

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Whether the test PostgreSQL answers; under CI=true an unreachable server is a failure, not a skip. */
export async function postgresAvailable(): Promise<boolean> {
  const probe = openSqlDatabase(POSTGRES_URL, { max: 1 });
  try {
    await probe.query('SELECT 1');
    return true;
  } catch (error) {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL at ${POSTGRES_URL} is unreachable under CI: ${String(error)}`);
    return false;
  } finally {
    await probe.close().catch(() => undefined);
  }
}

/** A PostgreSQL read-model database in a schema of its own; drop() removes the schema. */
export async function openPostgresReadModelDb(): Promise<{ db: SqlDatabase; schema: string; drop(): Promise<void> }> {
  const schema = `rm_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = openSqlDatabase(POSTGRES_URL, { max: 1 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('schema', schema);
  const db = openSqlDatabase(url.toString(), { max: 2 });
  await migrateReadModels(db);
  return {
    db,
    schema,
    async drop() {
      await db.close().catch(() => undefined);
      await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.close();
    },
  };
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

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresDatabase } from '../../src/adapters/sql/postgres-database.js';
import { SqliteDatabase } from '../../src/adapters/sql/sqlite-database.js';

export const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The test PostgreSQL could not be reached (under CI=true this fails the tests rather than skipping them). */
export class PostgresUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`PostgreSQL at ${redact(POSTGRES_URL)} is unreachable: ${String(cause)}`);
    this.name = 'PostgresUnavailableError';
  }
}

/**
 * Whether to register the PostgreSQL tests. Outside CI an unreachable server skips them with a
 * message saying why. Under CI=true they always run, so an unreachable server fails every one of
 * them (counted as failures, with PostgresUnavailableError) instead of hiding behind a skip.
 */
export async function shouldRunPostgresTests(): Promise<boolean> {
  const error = await probePostgres();
  if (!error || process.env.CI === 'true') return true;
  console.warn(`Skipping PostgreSQL tests: ${redact(POSTGRES_URL)} is unreachable (${String(error)}). Under CI=true this fails.`);
  return false;
}

/** undefined when the server answers, else the connection error. */
async function probePostgres(): Promise<unknown> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface SqliteTestDatabase {
  path: string;
  /** Another connection to the same file (the first one is `db`). */
  open(): SqliteDatabase;
  db: SqliteDatabase;
  dispose(): Promise<void>;
}

/** A fresh SQLite file in its own temp directory, removed with everything opened on it. */
export function createSqliteTestDatabase(): SqliteTestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'vp-test-'));
  const path = join(dir, 'events.db');
  const opened: SqliteDatabase[] = [];
  const open = (): SqliteDatabase => {
    const db = new SqliteDatabase({ path });
    opened.push(db);
    return db;
  };
  return {
    path,
    open,
    db: open(),
    async dispose() {
      for (const db of opened) await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PostgresTestSchema {
  schema: string;
  connectionString: string;
  /** A new pool whose connections use the schema (one per simulated process). */
  open(options?: { max?: number }): PostgresDatabase;
  db: PostgresDatabase;
  dispose(): Promise<void>;
}

/** A fresh schema `vp_test_<random>`, dropped with everything in it when disposed. */
export async function createPostgresTestSchema(): Promise<PostgresTestSchema> {
  const schema = `vp_test_${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    await admin.end().catch(() => undefined);
    throw new PostgresUnavailableError(error);
  }
  await admin.query(`CREATE SCHEMA ${schema}`);
  const opened: PostgresDatabase[] = [];
  const open = (options: { max?: number } = {}): PostgresDatabase => {
    const db = new PostgresDatabase({ connectionString: POSTGRES_URL, schema, max: options.max });
    opened.push(db);
    return db;
  };
  return {
    schema,
    connectionString: POSTGRES_URL,
    open,
    db: open(),
    async dispose() {
      for (const db of opened) await db.close().catch(() => undefined);
      try {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

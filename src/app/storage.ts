import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { EventStore } from '../adapters/event-store/event-store.port.js';
import type { EventStoreMetrics } from '../adapters/event-store/event-store-metrics.js';
import { openPostgresEventStore } from '../adapters/event-store/postgres/open-postgres-event-store.js';
import { openSqliteEventStore } from '../adapters/event-store/sqlite/open-sqlite-event-store.js';
import { UpcasterChain } from '../adapters/event-store/upcaster.js';
import { openSqlSnapshotStore } from '../adapters/snapshots/open-sql-snapshot-store.js';
import type { SnapshotStore } from '../adapters/snapshots/snapshot-store.port.js';
import { runMigrations } from '../adapters/sql/migration-runner.js';
import { PostgresDatabase } from '../adapters/sql/postgres-database.js';
import { findProjectRoot } from '../adapters/sql/project-root.js';
import type { SqlDatabase } from '../adapters/sql/sql-database.js';
import { SqliteDatabase } from '../adapters/sql/sqlite-database.js';
import type { AppConfig } from '../config/config.schema.js';
import { upcasters } from '../domain/upcasters.js';

/** The embedded default's files under DATA_DIR. */
export const SQLITE_EVENTS_FILE = 'events.sqlite';
export const SQLITE_READ_MODELS_FILE = 'read-models.sqlite';

export interface Storage {
  store: EventStore;
  /** Snapshots of long streams, in the event store's database (see migrations/0002_snapshots). */
  snapshots: SnapshotStore;
  /** The read models and their checkpoints. */
  readModelDb: SqlDatabase;
  close(): Promise<void>;
}

/**
 * Opens the event store and the read-model database and applies their migrations. On SQLite the read
 * models get a file of their own, so folding them never holds the event log's write lock; on
 * PostgreSQL both live in DATABASE_SCHEMA (created if missing).
 */
export async function openStorage(config: AppConfig, metrics?: EventStoreMetrics): Promise<Storage> {
  const chain = new UpcasterChain(upcasters);
  const readModelMigrations = join(findProjectRoot(), 'migrations', 'read-models');
  let store: EventStore;
  let readModelDb: SqlDatabase;
  let snapshots: SnapshotStore;
  if (config.EVENT_STORE === 'postgres') {
    const connectionString = config.DATABASE_URL!;
    await ensureSchema(connectionString, config.DATABASE_SCHEMA);
    store = await openPostgresEventStore({ connectionString, schema: config.DATABASE_SCHEMA, upcasters: chain, metrics });
    readModelDb = new PostgresDatabase({ connectionString, schema: config.DATABASE_SCHEMA });
    snapshots = openSqlSnapshotStore({ dialect: 'postgres', connectionString, schema: config.DATABASE_SCHEMA });
  } else {
    mkdirSync(config.DATA_DIR, { recursive: true });
    store = await openSqliteEventStore({ path: join(config.DATA_DIR, SQLITE_EVENTS_FILE), upcasters: chain, metrics });
    readModelDb = openSqliteReadModelDb(join(config.DATA_DIR, SQLITE_READ_MODELS_FILE));
    snapshots = openSqlSnapshotStore({ dialect: 'sqlite', path: join(config.DATA_DIR, SQLITE_EVENTS_FILE) });
  }
  try {
    await runMigrations(readModelDb, { directory: readModelMigrations });
    await runMigrations(readModelDb, { directory: join(findProjectRoot(), 'migrations', 'identity') });
  } catch (error) {
    await Promise.allSettled([snapshots.close(), store.close(), readModelDb.close()]);
    throw error;
  }
  return {
    store,
    snapshots,
    readModelDb,
    async close() {
      await snapshots.close();
      await store.close();
      await readModelDb.close();
    },
  };
}

/**
 * The read models need atomicity, not durability: a batch's rows and its checkpoint commit in one
 * transaction, and everything is refolded from the event store. So the read-model file is not
 * `durable` (no fsync per commit; the WAL is synced at checkpoints). A crash or power loss
 * can only drop the last few committed batches, rows and checkpoint together, and the runner refolds
 * them from the older checkpoint; the database is never corrupted. The event store's file is durable.
 */
function openSqliteReadModelDb(path: string): SqliteDatabase {
  if (!existsSync(path)) createWithLargePages(path);
  const db = new SqliteDatabase({ path, durable: false });
  // Lets SQLite sort with helper threads; what sorts big is a rebuild recreating its indexes.
  db.raw.pragma(`threads = ${Math.min(4, availableParallelism())}`);
  return db;
}

/**
 * Read-model rows are written a batch at a time and each commit writes every page it dirtied to the
 * WAL (and later to the file): 16 KiB pages carry the same rows in fewer frames, with less per-page
 * overhead, which roughly halves a replay's commit cost against the default 4 KiB. The page size is
 * fixed once the file has its first page, and SqliteDatabase turns WAL on (writing that page) as it
 * opens, so a new file is created here first. An existing file keeps the page size it has.
 */
const READ_MODEL_PAGE_SIZE = 16_384;

function createWithLargePages(path: string): void {
  const raw = new Database(path);
  try {
    raw.pragma(`page_size = ${READ_MODEL_PAGE_SIZE}`);
    raw.pragma('journal_mode = WAL');
  } finally {
    raw.close();
  }
}

async function ensureSchema(connectionString: string, schema: string): Promise<void> {
  const admin = new PostgresDatabase({ connectionString, max: 1 });
  try {
    // The config schema restricts DATABASE_SCHEMA to a plain identifier, so it is safe to splice.
    await admin.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await admin.close();
  }
}

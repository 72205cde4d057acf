import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UpcasterChain } from '../adapters/event-store/upcaster.js';
import { PostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';
import { SqliteEventStore } from '../adapters/event-store/sqlite/sqlite-event-store.js';
import type { EventStore } from '../adapters/event-store/event-store.port.js';
import { runMigrations } from '../adapters/sql/migration-runner.js';
import { PostgresDatabase } from '../adapters/sql/postgres-database.js';
import { findProjectRoot } from '../adapters/sql/project-root.js';
import type { SqlDatabase } from '../adapters/sql/sql-database.js';
import { SqliteDatabase } from '../adapters/sql/sqlite-database.js';
import { upcasters } from '../domain/upcasters.js';
import { createAllProjections } from './all-projections.js';
import { rebuildProjections } from './rebuild.js';

/**
 * `npm run rebuild-projection -- <name...|all>`: drops the named read models and replays the whole
 * log into them. Run it with the service stopped (the service's runner would fold concurrently).
 *
 * Env (kept local and tiny until the service config is shared): EVENT_STORE=sqlite|postgres,
 * SQLITE_DIR (or DATA_DIR; default ./data) holding events.sqlite and read-models.sqlite,
 * DATABASE_URL and DATABASE_SCHEMA for PostgreSQL, PROJECTION_BATCH_SIZE.
 */
export const SQLITE_EVENTS_FILE = 'events.sqlite';
export const SQLITE_READ_MODELS_FILE = 'read-models.sqlite';

async function open(env: NodeJS.ProcessEnv): Promise<{ db: SqlDatabase; store: EventStore; close(): Promise<void> }> {
  const root = findProjectRoot();
  const chain = new UpcasterChain(upcasters);
  if ((env.EVENT_STORE ?? 'sqlite') === 'postgres') {
    if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required when EVENT_STORE=postgres');
    const schema = env.DATABASE_SCHEMA;
    const eventsDb = new PostgresDatabase({ connectionString: env.DATABASE_URL, schema, max: 2 });
    const db = new PostgresDatabase({ connectionString: env.DATABASE_URL, schema, max: 2 });
    await runMigrations(eventsDb, { directory: join(root, 'migrations') });
    await runMigrations(db, { directory: join(root, 'migrations', 'read-models') });
    const store = new PostgresEventStore(eventsDb, { upcasters: chain, listen: false, closeDatabase: true });
    return { db, store, close: async () => (await store.close(), await db.close()) };
  }
  const dir = env.SQLITE_DIR ?? env.DATA_DIR ?? './data';
  mkdirSync(dir, { recursive: true });
  const eventsDb = new SqliteDatabase({ path: join(dir, SQLITE_EVENTS_FILE) });
  const db = new SqliteDatabase({ path: join(dir, SQLITE_READ_MODELS_FILE) });
  await runMigrations(eventsDb, { directory: join(root, 'migrations') });
  await runMigrations(db, { directory: join(root, 'migrations', 'read-models') });
  const store = new SqliteEventStore(eventsDb, { upcasters: chain, closeDatabase: true });
  return { db, store, close: async () => (await store.close(), await db.close()) };
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const projections = createAllProjections();
  const names = argv.length === 0 || argv.includes('all') ? 'all' : argv;
  if (argv.length === 0) {
    process.stderr.write(`usage: rebuild-projection <${projections.map((p) => p.name).join('|')}|all>...\n`);
    return 2;
  }
  const { db, store, close } = await open(env);
  try {
    const started = Date.now();
    const batchSize = env.PROJECTION_BATCH_SIZE ? Number(env.PROJECTION_BATCH_SIZE) : 1000;
    const checkpoints = await rebuildProjections({ db, store, projections, names, batchSize });
    const seconds = (Date.now() - started) / 1000;
    for (const [name, position] of Object.entries(checkpoints)) process.stdout.write(`${name}: rebuilt to position ${position}\n`);
    process.stdout.write(`done in ${seconds.toFixed(1)} s\n`);
    return 0;
  } finally {
    await close();
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}

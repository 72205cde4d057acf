import { shouldRunPostgresTests } from '../../support/databases.js';
import type { RecordedEvent } from '../../../src/adapters/event-store/event-envelope.js';
import type { EventStore } from '../../../src/adapters/event-store/event-store.port.js';
import type { SqlDatabase, SqlExecutor } from '../../../src/adapters/sql/sql-database.js';
import { createAllProjections } from '../../../src/projections/all-projections.js';
import { queryAuditLog, type AuditEntry } from '../../../src/projections/audit/audit-log.queries.js';
import { getInstanceAction, listInstanceActions, type InstanceActionWithEvents } from '../../../src/projections/instance-actions/instance-actions.queries.js';
import { listServers } from '../../../src/projections/servers/servers.queries.js';
import type { ServerView } from '../../../src/projections/servers/server-view.js';
import {
  openPostgresEventStore,
  openPostgresReadModelDb,
  openSqliteEventStore,
  openSqliteReadModelDb,
} from '../../support/read-model-db.js';

/** A read-model database and an event store of one dialect, fresh for one test. */
export interface Backend {
  db: SqlDatabase;
  store: EventStore;
  close(): Promise<void>;
}

export type BackendFactory = () => Promise<Backend>;

export const sqliteBackend: BackendFactory = async () => {
  const db = await openSqliteReadModelDb();
  const store = await openSqliteEventStore();
  return {
    db,
    store,
    async close() {
      await store.close();
      await db.close();
    },
  };
};

export const postgresBackend: BackendFactory = async () => {
  const { db, schema, drop } = await openPostgresReadModelDb();
  const store = await openPostgresEventStore(schema);
  return {
    db,
    store,
    async close() {
      await store.close();
      await drop();
    },
  };
};

/** The backends to run against: SQLite always; PostgreSQL when it answers (under CI it must). */
export async function backends(): Promise<[string, BackendFactory][]> {
  const list: [string, BackendFactory][] = [['sqlite', sqliteBackend]];
  if (await shouldRunPostgresTests()) list.push(['postgres', postgresBackend]);
  return list;
}

/** The read models as the API sees them, for comparing with the expected JSON of a fixture. */
export interface ReadModelSnapshot {
  servers: ServerView[];
  instanceActions: Record<string, InstanceActionWithEvents[]>;
  /** recordedAt is left out: the store stamps its own. */
  audit: Omit<AuditEntry, 'recordedAt'>[];
}

export async function snapshotReadModels(db: SqlExecutor): Promise<ReadModelSnapshot> {
  const servers = (await listServers(db, { includeDeleted: true })).sort((a, b) => a.id.localeCompare(b.id));
  const instanceActions: Record<string, InstanceActionWithEvents[]> = {};
  for (const server of servers) {
    const actions = await listInstanceActions(db, server.id);
    instanceActions[server.id] = [];
    for (const action of actions) instanceActions[server.id]!.push((await getInstanceAction(db, server.id, action.requestId))!);
  }
  const audit: Omit<AuditEntry, 'recordedAt'>[] = [];
  for (let cursor: string | null = null; ; ) {
    const page = await queryAuditLog(db, { limit: 1000, cursor });
    audit.push(...page.items.map(({ recordedAt: _recordedAt, ...rest }) => rest));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return { servers, instanceActions, audit };
}

/** Every row of every read-model table, in key order, for proving a rebuild equals incremental folding. */
export async function dumpTables(db: SqlExecutor): Promise<Record<string, unknown[]>> {
  const tables: [string, string][] = [
    ['servers', 'id'],
    ['instance_actions', 'task_id'],
    ['instance_action_events', 'position'],
    ['audit_log', 'position'],
    ['audit_running_tasks', 'server_id'],
    ['flavors', 'id'],
    ['keypairs', 'user_id, name'],
    ['project_quotas', 'project_id'],
    ['images', 'id'],
  ];
  const dump: Record<string, unknown[]> = {};
  for (const [table, key] of tables) dump[table] = await db.query(`SELECT * FROM ${table} ORDER BY ${key}`);
  // The store stamps recorded_at itself; everything else must match exactly.
  dump.audit_log = dump.audit_log!.map((row) => ({ ...(row as object), recorded_at: undefined }));
  return dump;
}

export const allProjections = createAllProjections;

/** Events in store order with their upcast data, as the projections were handed them. */
export async function readAllEvents(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (;;) {
    const batch = await store.readAll({ after: all.length ? all[all.length - 1]!.position : 0, maxCount: 1000 });
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import type { SqlExecutor, SqlValue } from '../../adapters/sql/sql-database.js';
import type { Projection } from '../projection.js';
import { deleteWhereIn, insertRows, selectWhereIn, upsertRows } from '../sql-batch.js';
import { actionOf, endsTask, taskIdOf, taskStarted } from './audit-action.js';
import { summarizeEvent } from './event-summary.js';

export const AUDIT_COLUMNS = [
  'position',
  'event_id',
  'occurred_at',
  'recorded_at',
  'stream_id',
  'event_type',
  'server_id',
  'user_id',
  'project_id',
  'request_id',
  'correlation_id',
  'action',
  'summary',
  'request_fingerprint',
] as const;

const VM_STREAM_PREFIX = 'vm-';

type RunningTask = { taskId: string; action: string };

/** Every event of every stream into audit_log, with the Nova action it belongs to. */
export class AuditLogProjection implements Projection {
  readonly name = 'audit-log';
  readonly tables = ['audit_log', 'audit_running_tasks'];

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const running = await this.loadRunningTasks(events, tx);
    const touched = new Set<string>();
    const rows: SqlValue[][] = [];

    for (const event of events) {
      const serverId = event.streamId.startsWith(VM_STREAM_PREFIX) ? event.streamId.slice(VM_STREAM_PREFIX.length) : null;
      const started = taskStarted(event.data);
      let action = started ? started.action : actionOf(event.type, event.data);
      if (serverId !== null) {
        const taskId = taskIdOf(event.data);
        if (started) {
          running.set(serverId, started);
          touched.add(serverId);
        } else if (action === undefined && taskId !== undefined) {
          const task = running.get(serverId);
          if (task && task.taskId === taskId) action = task.action;
        }
        if (endsTask(event.type)) {
          running.set(serverId, null);
          touched.add(serverId);
        }
      }
      const actor = event.metadata?.actor;
      rows.push([
        event.position,
        event.id,
        isoInstant(event.occurredAt),
        event.recordedAt,
        event.streamId,
        event.type,
        serverId,
        actor?.userId ?? null,
        actor?.projectId ?? null,
        event.metadata?.requestId ?? null,
        event.metadata?.correlationId ?? null,
        action ?? null,
        JSON.stringify(summarizeEvent(event)),
        event.metadata?.requestFingerprint ?? null,
      ]);
    }

    await insertRows(tx, 'audit_log', AUDIT_COLUMNS, rows);
    const ended = [...touched].filter((id) => running.get(id) === null);
    const live = [...touched].filter((id) => running.get(id)).map((id) => [id, running.get(id)!.taskId, running.get(id)!.action]);
    await deleteWhereIn(tx, 'audit_running_tasks', 'server_id', ended);
    await upsertRows(tx, 'audit_running_tasks', ['server_id', 'task_id', 'action'], ['server_id'], live);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.run('DELETE FROM audit_log');
    await tx.run('DELETE FROM audit_running_tasks');
  }

  /** The running tasks of servers whose step events this batch has but whose task it did not start. */
  private async loadRunningTasks(events: RecordedEvent[], tx: SqlExecutor): Promise<Map<string, RunningTask | null>> {
    const startedHere = new Set<string>();
    const needed = new Set<string>();
    for (const event of events) {
      if (!event.streamId.startsWith(VM_STREAM_PREFIX)) continue;
      const serverId = event.streamId.slice(VM_STREAM_PREFIX.length);
      if (taskStarted(event.data)) startedHere.add(serverId);
      else if (!startedHere.has(serverId) && taskIdOf(event.data) !== undefined) needed.add(serverId);
    }
    const running = new Map<string, RunningTask | null>();
    if (needed.size === 0) return running;
    const rows = await selectWhereIn<{ server_id: string; task_id: string; action: string }>(
      tx,
      'SELECT server_id, task_id, action FROM audit_running_tasks',
      'server_id',
      [...needed],
    );
    for (const row of rows) running.set(row.server_id, { taskId: row.task_id, action: row.action });
    return running;
  }
}

/** What Date.prototype.toISOString produces for years 0..9999: such a value is already canonical. */
const CANONICAL_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Instants are stored as ISO-8601 UTC so time ranges compare as text on both dialects. */
export function isoInstant(value: string): string {
  // Events are written with toISOString, so a replay almost never needs the parse and format.
  if (CANONICAL_INSTANT.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

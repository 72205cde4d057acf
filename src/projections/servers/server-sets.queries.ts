import type { SqlExecutor } from '../../adapters/sql/sql-database.js';
import type { PendingTask } from './server-view.js';

/** Servers whose task has not ended: what reconciliation re-derives pending jobs for. */
export async function serversWithRunningTasks(db: SqlExecutor): Promise<string[]> {
  const rows = await db.query<{ id: string }>('SELECT id FROM servers WHERE task IS NOT NULL AND deleted = 0');
  return rows.map((r) => r.id);
}

/** Servers that should exist in the cluster and that no task is changing: what power-state sync compares. */
export async function serversAtRest(db: SqlExecutor): Promise<{ id: string; projectId: string }[]> {
  const rows = await db.query<{ id: string; project_id: string }>(
    "SELECT id, project_id FROM servers WHERE deleted = 0 AND task IS NULL AND vm_state IN ('active', 'stopped', 'paused')",
  );
  return rows.map((r) => ({ id: r.id, projectId: r.project_id }));
}

/** A running task whose deadline can still fire, as the read model has it. */
export interface ArmedTaskDeadline {
  serverId: string;
  taskId: string;
  /** The request that started the task: its timeout belongs to the same instance action. */
  requestId: string;
}

/** Running tasks started at or before `startedBy` (ISO) whose deadline has not fired, oldest first. */
export async function tasksStartedBy(db: SqlExecutor, startedBy: string, limit: number): Promise<ArmedTaskDeadline[]> {
  const rows = await db.query<{ id: string; task: string }>(
    'SELECT id, task FROM servers WHERE task_started_at IS NOT NULL AND task_started_at <= ? ORDER BY task_started_at LIMIT ?',
    [startedBy, limit],
  );
  return rows.map((row) => {
    const task = JSON.parse(row.task) as PendingTask;
    return { serverId: row.id, taskId: task.taskId, requestId: task.requestId };
  });
}

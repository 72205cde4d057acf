import type { SqlExecutor } from '../../adapters/sql/sql-database.js';

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

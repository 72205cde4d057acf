import type { SqlExecutor } from '../../adapters/sql/sql-database.js';
import type { ComputeResources } from '../../domain/quota/check-quota.js';
import type { ServerView } from './server-view.js';

/** Nova counts every server not deleted, with its flavor's vCPUs and RAM (its current size). */
function counted(view: ServerView | undefined): ComputeResources | null {
  return view && !view.deleted ? { instances: 1, cores: view.flavor.vcpus, ram: view.flavor.ramMb } : null;
}

/** How each project's usage moves when servers change from `before` to `after`. */
export function usageDeltas(changes: ReadonlyArray<{ before: ServerView | undefined; after: ServerView }>): Map<string, ComputeResources> {
  const deltas = new Map<string, ComputeResources>();
  const add = (projectId: string, r: ComputeResources, sign: 1 | -1) => {
    const d = deltas.get(projectId) ?? { instances: 0, cores: 0, ram: 0 };
    d.instances += sign * r.instances;
    d.cores += sign * r.cores;
    d.ram += sign * r.ram;
    deltas.set(projectId, d);
  };
  for (const { before, after } of changes) {
    const was = counted(before);
    const is = counted(after);
    if (was) add(before!.projectId, was, -1);
    if (is) add(after.projectId, is, 1);
  }
  return deltas;
}

/** Adds the deltas to project_usage (one upsert per project and batch). */
export async function applyUsageDeltas(tx: SqlExecutor, deltas: Map<string, ComputeResources>): Promise<void> {
  for (const [projectId, d] of deltas) {
    if (d.instances === 0 && d.cores === 0 && d.ram === 0) continue;
    await tx.run(
      'INSERT INTO project_usage (project_id, instances, cores, ram) VALUES (?, ?, ?, ?) ON CONFLICT (project_id) DO UPDATE SET ' +
        'instances = project_usage.instances + excluded.instances, cores = project_usage.cores + excluded.cores, ram = project_usage.ram + excluded.ram',
      [projectId, d.instances, d.cores, d.ram],
    );
  }
}

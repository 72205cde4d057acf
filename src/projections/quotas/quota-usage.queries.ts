import type { SqlExecutor } from '../../adapters/sql/sql-database.js';
import type { ComputeResources } from '../../domain/quota/check-quota.js';
import type { QuotaSet } from '../../domain/quota/quota-resources.js';

/** The quotas set for a project (resources not set are absent: they follow the defaults). */
export async function getProjectQuotas(db: SqlExecutor, projectId: string): Promise<Partial<QuotaSet>> {
  const rows = await db.query<{ limits: string }>('SELECT limits FROM project_quotas WHERE project_id = ?', [projectId]);
  return rows[0] ? (JSON.parse(rows[0].limits) as Partial<QuotaSet>) : {};
}

/**
 * What a project's servers use, as Nova counts it: every server not deleted, with its flavor's vCPUs
 * and RAM (from the servers read model).
 */
export async function computeUsage(db: SqlExecutor, projectId: string): Promise<ComputeResources> {
  const rows = await db.query<{ flavor: string }>('SELECT flavor FROM servers WHERE project_id = ? AND deleted = 0', [projectId]);
  const usage: ComputeResources = { instances: 0, cores: 0, ram: 0 };
  for (const row of rows) {
    const flavor = JSON.parse(row.flavor) as { vcpus: number; ramMb: number };
    usage.instances += 1;
    usage.cores += flavor.vcpus;
    usage.ram += flavor.ramMb;
  }
  return usage;
}

/** How many key pairs a user has (Nova's key_pairs usage is per user). */
export async function keypairCount(db: SqlExecutor, userId: string): Promise<number> {
  const rows = await db.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM keypairs WHERE user_id = ?', [userId]);
  return Number(rows[0]?.n ?? 0);
}

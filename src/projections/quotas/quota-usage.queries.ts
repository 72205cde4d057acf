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
 * and RAM (kept by the servers projection in project_usage).
 */
export async function computeUsage(db: SqlExecutor, projectId: string): Promise<ComputeResources> {
  const rows = await db.query<{ instances: unknown; cores: unknown; ram: unknown }>('SELECT instances, cores, ram FROM project_usage WHERE project_id = ?', [projectId]);
  const row = rows[0];
  return row ? { instances: Number(row.instances), cores: Number(row.cores), ram: Number(row.ram) } : { instances: 0, cores: 0, ram: 0 };
}

/** How many key pairs a user has (Nova's key_pairs usage is per user). */
export async function keypairCount(db: SqlExecutor, userId: string): Promise<number> {
  const rows = await db.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM keypairs WHERE user_id = ?', [userId]);
  return Number(rows[0]?.n ?? 0);
}

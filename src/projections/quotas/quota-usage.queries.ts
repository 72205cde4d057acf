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

/** What a create's quota check needs: the live flavor's size, the project's usage and its quotas. */
export interface CreateQuotaInputs {
  flavor: { vcpus: number; ramMb: number };
  usage: ComputeResources;
  overrides: Partial<QuotaSet>;
}

/**
 * The create's quota inputs in one query (undefined for an unknown or deleted flavor): a create is
 * the API's hottest write, and on PostgreSQL every statement is a round trip.
 */
export async function createQuotaInputs(db: SqlExecutor, projectId: string, flavorId: string): Promise<CreateQuotaInputs | undefined> {
  const rows = await db.query<{ vcpus: unknown; ram_mb: unknown; instances: unknown; cores: unknown; ram: unknown; limits: string | null }>(
    'SELECT f.vcpus, f.ram_mb, u.instances, u.cores, u.ram, q.limits FROM flavors f ' +
      'LEFT JOIN project_usage u ON u.project_id = ? LEFT JOIN project_quotas q ON q.project_id = ? ' +
      'WHERE f.id = ? AND f.deleted = 0',
    [projectId, projectId, flavorId],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    flavor: { vcpus: Number(row.vcpus), ramMb: Number(row.ram_mb) },
    usage: { instances: Number(row.instances ?? 0), cores: Number(row.cores ?? 0), ram: Number(row.ram ?? 0) },
    overrides: row.limits ? (JSON.parse(row.limits) as Partial<QuotaSet>) : {},
  };
}

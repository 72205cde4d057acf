import type { SqlValue } from '../../adapters/sql/sql-database.js';

/** Nova's migration statuses we use: live (queued, running, completed, error, cancelled), resize (migrating, finished, confirmed, reverting, reverted, error). */
export type MigrationStatus =
  | 'queued'
  | 'running'
  | 'completed'
  | 'error'
  | 'cancelled'
  | 'migrating'
  | 'finished'
  | 'confirmed'
  | 'reverting'
  | 'reverted';

export type MigrationType = 'live-migration' | 'resize';

/** One row of the migrations read model. */
export interface MigrationView {
  id: number;
  uuid: string;
  instanceUuid: string;
  migrationType: MigrationType;
  status: MigrationStatus;
  sourceCompute: string | null;
  destCompute: string | null;
  oldFlavorId: string | null;
  newFlavorId: string | null;
  userId: string;
  projectId: string;
  createdAt: string;
  updatedAt: string;
  /** Percent of memory copied (live migrations the cluster reports progress for); null before the first report. */
  progress: number | null;
  /** libvirt's memory figures with the last progress recorded, in bytes; null before it, or recorded without them. */
  memory: { totalBytes: number; processedBytes: number; remainingBytes: number } | null;
}

export const MIGRATION_COLUMNS = [
  'id',
  'uuid',
  'instance_uuid',
  'migration_type',
  'status',
  'source_compute',
  'dest_compute',
  'old_flavor_id',
  'new_flavor_id',
  'user_id',
  'project_id',
  'created_at',
  'updated_at',
  'progress',
  'memory_total_bytes',
  'memory_processed_bytes',
  'memory_remaining_bytes',
] as const;

export type MigrationRow = Record<(typeof MIGRATION_COLUMNS)[number], unknown>;

export function migrationToRow(m: MigrationView): SqlValue[] {
  return [
    ...[m.id, m.uuid, m.instanceUuid, m.migrationType, m.status, m.sourceCompute, m.destCompute, m.oldFlavorId, m.newFlavorId, m.userId, m.projectId, m.createdAt, m.updatedAt, m.progress],
    ...(m.memory ? [m.memory.totalBytes, m.memory.processedBytes, m.memory.remainingBytes] : [null, null, null]),
  ];
}

export function rowToMigration(row: MigrationRow): MigrationView {
  const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  // PostgreSQL returns BIGINT as text.
  const bytes = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  const [totalBytes, processedBytes, remainingBytes] = [bytes(row.memory_total_bytes), bytes(row.memory_processed_bytes), bytes(row.memory_remaining_bytes)];
  return {
    id: Number(row.id),
    uuid: String(row.uuid),
    instanceUuid: String(row.instance_uuid),
    migrationType: String(row.migration_type) as MigrationType,
    status: String(row.status) as MigrationStatus,
    sourceCompute: text(row.source_compute),
    destCompute: text(row.dest_compute),
    oldFlavorId: text(row.old_flavor_id),
    newFlavorId: text(row.new_flavor_id),
    userId: String(row.user_id),
    projectId: String(row.project_id),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
    progress: row.progress === null || row.progress === undefined ? null : Number(row.progress),
    memory: totalBytes !== null && processedBytes !== null && remainingBytes !== null ? { totalBytes, processedBytes, remainingBytes } : null,
  };
}

/** Nova's in-progress live migration statuses (what /servers/{id}/migrations lists and may abort). */
export const IN_PROGRESS: readonly MigrationStatus[] = ['queued', 'running'];

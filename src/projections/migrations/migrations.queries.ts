import type { SqlExecutor, SqlValue } from '../../adapters/sql/sql-database.js';
import { IN_PROGRESS, MIGRATION_COLUMNS, rowToMigration, type MigrationRow, type MigrationView } from './migration-row.js';

const SELECT = `SELECT ${MIGRATION_COLUMNS.join(', ')} FROM migrations`;

/** A server's live migrations still running (Nova lists only those under /servers/{id}/migrations). */
export async function inProgressLiveMigrations(db: SqlExecutor, instanceUuid: string): Promise<MigrationView[]> {
  const rows = await db.query<MigrationRow>(
    `${SELECT} WHERE instance_uuid = ? AND migration_type = 'live-migration' AND status IN (${IN_PROGRESS.map(() => '?').join(', ')}) ORDER BY id`,
    [instanceUuid, ...IN_PROGRESS],
  );
  return rows.map(rowToMigration);
}

export async function getMigrationById(db: SqlExecutor, id: number): Promise<MigrationView | null> {
  const rows = await db.query<MigrationRow>(`${SELECT} WHERE id = ?`, [id]);
  return rows[0] ? rowToMigration(rows[0]) : null;
}

export async function getMigrationByUuid(db: SqlExecutor, uuid: string): Promise<MigrationView | null> {
  const rows = await db.query<MigrationRow>(`${SELECT} WHERE uuid = ?`, [uuid]);
  return rows[0] ? rowToMigration(rows[0]) : null;
}

export interface MigrationFilters {
  instanceUuid?: string;
  status?: string;
  migrationType?: string;
  /** Matches source or destination (Nova's host/source_compute filters). */
  host?: string;
  sourceCompute?: string;
  userId?: string;
  projectId?: string;
  changesSince?: string;
  changesBefore?: string;
  /** Paging (2.59): rows after this one in the order below, at most `limit`. */
  marker?: MigrationView;
  limit?: number;
}

/** Nova's os-migrations: newest first (created_at, id descending), filtered. */
export async function listMigrations(db: SqlExecutor, f: MigrationFilters): Promise<MigrationView[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (clause: string, ...values: SqlValue[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (f.instanceUuid) add('instance_uuid = ?', f.instanceUuid);
  if (f.status) add('status = ?', f.status);
  if (f.migrationType) add('migration_type = ?', f.migrationType);
  if (f.host) add('(source_compute = ? OR dest_compute = ?)', f.host, f.host);
  if (f.sourceCompute) add('source_compute = ?', f.sourceCompute);
  if (f.userId) add('user_id = ?', f.userId);
  if (f.projectId) add('project_id = ?', f.projectId);
  if (f.changesSince) add('updated_at >= ?', f.changesSince);
  if (f.changesBefore) add('updated_at <= ?', f.changesBefore);
  if (f.marker) add('(created_at < ? OR (created_at = ? AND id < ?))', f.marker.createdAt, f.marker.createdAt, f.marker.id);
  const sql = `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC${f.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(f.limit))}` : ''}`;
  return (await db.query<MigrationRow>(sql, params)).map(rowToMigration);
}

import type { SqlExecutor, SqlValue } from '../../adapters/sql/sql-database.js';
import { rowToServer, SERVER_COLUMNS, type ServerRow } from './server-row.js';
import type { ServerView } from './server-view.js';

const SELECT = `SELECT ${SERVER_COLUMNS.join(', ')} FROM servers`;

/** One server by id, deleted ones included (Nova shows a deleted server to admins, and for history). */
export async function getServer(db: SqlExecutor, id: string): Promise<ServerView | undefined> {
  const rows = await db.query<ServerRow>(`${SELECT} WHERE id = ?`, [id]);
  return rows[0] ? rowToServer(rows[0]) : undefined;
}

export interface ServerListFilter {
  /** Omit for all projects (admin all_tenants). */
  projectId?: string;
  userId?: string;
  status?: string;
  /** A regular expression the name must match somewhere (Nova's `name` filter); validate it first. */
  name?: string;
  /** Nova's changes-since: updated at or after this instant; also returns deleted servers. */
  changesSince?: string;
  /** Include servers with deleted = 1 (implied by changesSince). */
  includeDeleted?: boolean;
  /** Paging: servers after this id in the list order (Nova's marker). */
  marker?: string;
  limit?: number;
}

/** Servers newest first (created_at desc, id desc), as Nova lists them. */
export async function listServers(db: SqlExecutor, filter: ServerListFilter = {}): Promise<ServerView[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.projectId !== undefined) (where.push('project_id = ?'), params.push(filter.projectId));
  if (filter.userId !== undefined) (where.push('user_id = ?'), params.push(filter.userId));
  if (filter.status !== undefined) (where.push('status = ?'), params.push(filter.status.toUpperCase()));
  if (filter.name !== undefined) (where.push(db.dialect === 'sqlite' ? 'name REGEXP ?' : 'name ~ ?'), params.push(filter.name));
  if (filter.changesSince !== undefined) (where.push('updated_at >= ?'), params.push(filter.changesSince));
  else if (!filter.includeDeleted) where.push('deleted = 0');
  if (filter.marker !== undefined) {
    // A marker the caller cannot see is as unknown as any other id: another project's server is not found.
    const marker = await db.query<{ created_at: string; id: string }>(
      `SELECT created_at, id FROM servers WHERE id = ?${filter.projectId !== undefined ? ' AND project_id = ?' : ''}`,
      filter.projectId !== undefined ? [filter.marker, filter.projectId] : [filter.marker],
    );
    if (!marker[0]) throw new ServerMarkerNotFoundError(filter.marker);
    where.push('(created_at < ? OR (created_at = ? AND id < ?))');
    params.push(marker[0].created_at, marker[0].created_at, marker[0].id);
  }
  const limit = Math.max(1, Math.min(filter.limit ?? 1000, 1000));
  const sql = `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ${limit}`;
  return (await db.query<ServerRow>(sql, params)).map(rowToServer);
}

/** Nova answers 400 "marker [x] not found". */
export class ServerMarkerNotFoundError extends Error {
  constructor(readonly marker: string) {
    super(`marker [${marker}] not found`);
    this.name = 'ServerMarkerNotFoundError';
  }
}

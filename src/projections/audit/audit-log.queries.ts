import type { SqlExecutor, SqlValue } from '../../adapters/sql/sql-database.js';
import { isoInstant } from './audit-log.projection.js';

export interface AuditQuery {
  serverId?: string;
  userId?: string;
  projectId?: string;
  /** Nova action name ('create', 'reboot', 'rename', 'flavor-create', ...). */
  action?: string;
  /** Inclusive lower bound on occurredAt (ISO-8601). */
  from?: string;
  /** Inclusive upper bound on occurredAt (ISO-8601). */
  to?: string;
  /** Page size, 1..1000; 100 by default. */
  limit?: number;
  /** nextCursor of the previous page. */
  cursor?: string | null;
}

export interface AuditEntry {
  position: number;
  eventId: string;
  occurredAt: string;
  recordedAt: string;
  streamId: string;
  type: string;
  serverId: string | null;
  userId: string | null;
  projectId: string | null;
  requestId: string | null;
  correlationId: string | null;
  action: string | null;
  summary: Record<string, unknown>;
}

export interface AuditPage {
  /** Newest first. */
  items: AuditEntry[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** A cursor that was not handed out by queryAuditLog (the API answers 400). */
export class InvalidAuditCursorError extends Error {
  constructor(readonly cursor: string) {
    super(`Invalid audit cursor: ${cursor}`);
    this.name = 'InvalidAuditCursorError';
  }
}

/** Opaque to clients: base64url of the position the next page starts below. */
export function encodeAuditCursor(beforePosition: number): string {
  return Buffer.from(JSON.stringify({ b: beforePosition })).toString('base64url');
}

export function decodeAuditCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { b?: unknown };
    if (typeof parsed.b === 'number' && Number.isSafeInteger(parsed.b) && parsed.b > 0) return parsed.b;
  } catch {
    // falls through to the error below
  }
  throw new InvalidAuditCursorError(cursor);
}

interface AuditRow {
  position: number | string;
  event_id: string;
  occurred_at: string;
  recorded_at: string;
  stream_id: string;
  event_type: string;
  server_id: string | null;
  user_id: string | null;
  project_id: string | null;
  request_id: string | null;
  correlation_id: string | null;
  action: string | null;
  summary: string;
}

/** Who did what to which VM, when: filtered, newest first, a page at a time. */
export async function queryAuditLog(db: SqlExecutor, query: AuditQuery = {}): Promise<AuditPage> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const eq = (column: string, value: string | undefined): void => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    params.push(value);
  };
  eq('server_id', query.serverId);
  eq('user_id', query.userId);
  eq('project_id', query.projectId);
  eq('action', query.action);
  if (query.from !== undefined) (where.push('occurred_at >= ?'), params.push(isoInstant(query.from)));
  if (query.to !== undefined) (where.push('occurred_at <= ?'), params.push(isoInstant(query.to)));
  if (query.cursor) (where.push('position < ?'), params.push(decodeAuditCursor(query.cursor)));
  const limit = Math.max(1, Math.min(Math.floor(query.limit ?? 100), 1000));

  const rows = await db.query<AuditRow>(
    `SELECT position, event_id, occurred_at, recorded_at, stream_id, event_type, server_id, user_id, project_id, ` +
      `request_id, correlation_id, action, summary FROM audit_log` +
      `${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY position DESC LIMIT ${limit + 1}`,
    params,
  );
  const items = rows.slice(0, limit).map(toEntry);
  const nextCursor = rows.length > limit ? encodeAuditCursor(items[items.length - 1]!.position) : null;
  return { items, nextCursor };
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    position: Number(r.position),
    eventId: r.event_id,
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    streamId: r.stream_id,
    type: r.event_type,
    serverId: r.server_id ?? null,
    userId: r.user_id ?? null,
    projectId: r.project_id ?? null,
    requestId: r.request_id ?? null,
    correlationId: r.correlation_id ?? null,
    action: r.action ?? null,
    summary: JSON.parse(r.summary) as Record<string, unknown>,
  };
}

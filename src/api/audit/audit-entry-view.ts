import type { AuditEntry } from '../../projections/audit/audit-log.queries.js';

/** An audit entry as the API shows it (snake_case, as the rest of the API). */
export function auditEntryView(e: AuditEntry) {
  return {
    position: e.position,
    event_id: e.eventId,
    type: e.type,
    action: e.action,
    occurred_at: e.occurredAt,
    recorded_at: e.recordedAt,
    stream_id: e.streamId,
    server_id: e.serverId,
    user_id: e.userId,
    project_id: e.projectId,
    request_id: e.requestId,
    correlation_id: e.correlationId,
    summary: e.summary,
  };
}

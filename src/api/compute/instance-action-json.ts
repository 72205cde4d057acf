import type { InstanceAction, InstanceActionEvent } from '../../projections/instance-actions/instance-actions.queries.js';
import { isAtLeast, type Microversion } from './microversion.js';
import { isoMicros } from './nova-time.js';
import { hostId } from './server-json.js';

/** One entry of os-instance-actions, Nova's keys (updated_at from 2.58). */
export function instanceActionJson(a: InstanceAction, version: Microversion): Record<string, unknown> {
  return {
    action: a.action,
    instance_uuid: a.instanceUuid,
    message: a.message,
    project_id: a.projectId,
    request_id: a.requestId,
    start_time: isoMicros(a.startTime),
    user_id: a.userId,
    ...(isAtLeast(version, '2.58') ? { updated_at: isoMicros(a.updatedAt) } : {}),
  };
}

/**
 * One event of an action, as Nova's default policy shows it: traceback for admins; host for admins
 * and hostId for all from 2.62; details from 2.84.
 */
export function instanceActionEventJson(e: InstanceActionEvent, projectId: string, version: Microversion, admin: boolean) {
  const event: Record<string, unknown> = {
    event: e.event,
    start_time: isoMicros(e.startTime),
    finish_time: isoMicros(e.finishTime),
    result: e.result,
  };
  if (admin) event.traceback = e.traceback;
  if (isAtLeast(version, '2.62')) {
    if (admin) event.host = e.host ?? '';
    event.hostId = hostId(projectId, e.host);
  }
  if (isAtLeast(version, '2.84')) event.details = e.details;
  return event;
}

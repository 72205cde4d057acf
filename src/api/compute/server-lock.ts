import type { ServerView } from '../../projections/servers/server-view.js';
import type { RequestContext } from '../auth/request-context.js';
import { InstanceIsLockedError } from '../../domain/virtual-machine/virtual-machine.errors.js';

/**
 * Nova's check_instance_lock: a locked server refuses actions and deletion from anyone but an admin.
 * Checked on the read model before the command, as Nova checks its database row.
 */
export function assertNotLocked(ctx: RequestContext, server: ServerView): void {
  if (server.locked && !ctx.isAdmin) throw new InstanceIsLockedError(server.id);
}

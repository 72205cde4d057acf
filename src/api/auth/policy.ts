import { PolicyNotAuthorizedError } from './policy-not-authorized.error.js';
import type { RequestContext } from './request-context.js';

/**
 * Throws 403 unless the caller holds `admin`. `action` names the rule in OpenStack's style
 * (`os_compute_api:os-migrations:index`) and appears in the message.
 */
export function requireAdmin(ctx: RequestContext, action: string): void {
  if (!ctx.isAdmin) throw new PolicyNotAuthorizedError(action);
}

/** Throws 403 for a caller who can only read (`reader` without `member` or `admin`). */
export function requireWriter(ctx: RequestContext, action: string): void {
  if (!canWrite(ctx)) throw new PolicyNotAuthorizedError(action);
}

export function canWrite(ctx: RequestContext): boolean {
  return ctx.roles.includes('admin') || ctx.roles.includes('member');
}

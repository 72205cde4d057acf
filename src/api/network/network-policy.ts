import { canWrite } from '../auth/policy.js';
import type { RequestContext } from '../auth/request-context.js';
import { NeutronPolicyRefused } from './neutron-errors.js';

/** 403 in Neutron's words for a caller who can only read. */
export function requireNetworkWriter(ctx: RequestContext, rule: string): void {
  if (!canWrite(ctx)) throw new NeutronPolicyRefused(rule);
}

export function requireNetworkAdmin(ctx: RequestContext, rule: string): void {
  if (!ctx.isAdmin) throw new NeutronPolicyRefused(rule);
}

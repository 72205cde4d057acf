import { canWrite } from '../auth/policy.js';
import type { RequestContext } from '../auth/request-context.js';
import { projectOf } from './neutron-body.js';
import type { NetworkView } from '../../projections/networking/network-view.js';
import { NeutronNetworkNotOwned, NeutronPolicyRefused } from './neutron-errors.js';

/** 403 in Neutron's words for a caller who can only read. */
export function requireNetworkWriter(ctx: RequestContext, rule: string): void {
  if (!canWrite(ctx)) throw new NeutronPolicyRefused(rule);
}

export function requireNetworkAdmin(ctx: RequestContext, rule: string): void {
  if (!ctx.isAdmin) throw new NeutronPolicyRefused(rule);
}

/** Neutron's admin_or_owner: what belongs to another project only admin may do. */
export function requireNetworkOwner(ctx: RequestContext, projectId: string, rule: string): void {
  if (!ctx.isAdmin && projectId !== ctx.projectId) throw new NeutronPolicyRefused(rule);
}

/** The project a create is for (project_id / tenant_id, else the caller's); another project's needs admin. */
export function createdForProject(given: { project_id?: string; tenant_id?: string }, ctx: RequestContext, rule: string): string {
  const projectId = projectOf(given, ctx.projectId);
  if (projectId !== ctx.projectId && !ctx.isAdmin) throw new NeutronPolicyRefused(`${rule}:project_id`);
  return projectId;
}

/**
 * Neutron's ownership check on port create: a port made for a project goes on that project's networks
 * or on shared ones; admin anywhere. It matters for external networks, which others read but do not own.
 */
export function requirePortNetworkOwnedOrShared(ctx: RequestContext, network: NetworkView, projectId: string): void {
  if (!ctx.isAdmin && !network.shared && network.projectId !== projectId) throw new NeutronNetworkNotOwned(projectId);
}

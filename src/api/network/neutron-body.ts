import type { z } from 'zod';
import { NeutronBadRequest } from './neutron-errors.js';

/**
 * The inner object of a Neutron request body (`{"network": {...}}`), checked as Neutron checks it:
 * a missing resource is 400, an attribute it does not know is 400 "Unrecognized attribute(s) 'x'",
 * a wrongly typed one is 400 "Invalid input for x. Reason: ...".
 */
export function resourceBody<S extends z.ZodObject>(body: unknown, resource: string, schema: S): z.infer<S> {
  const inner = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)[resource] : undefined;
  if (inner === undefined || inner === null || typeof inner !== 'object' || Array.isArray(inner)) {
    throw new NeutronBadRequest(`Resource body required: the request body must be {"${resource}": {...}}.`);
  }
  const extra = Object.keys(body as object).filter((k) => k !== resource);
  if (extra.length > 0) throw new NeutronBadRequest(`Unrecognized attribute(s) '${extra.join(', ')}'`);
  const unknown = Object.keys(inner).filter((k) => !(k in schema.shape));
  if (unknown.length > 0) throw new NeutronBadRequest(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
  const parsed = schema.safeParse(inner);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path[0] ?? resource);
  throw new NeutronBadRequest(`Invalid input for ${field}. Reason: ${issue.message}.`);
}

/** Neutron's project_id / tenant_id pair: either names the project; both must agree. */
export function projectOf(given: { project_id?: string; tenant_id?: string }, own: string): string {
  if (given.project_id !== undefined && given.tenant_id !== undefined && given.project_id !== given.tenant_id) {
    throw new NeutronBadRequest('Invalid input for operation: project_id and tenant_id do not match.');
  }
  return given.project_id ?? given.tenant_id ?? own;
}

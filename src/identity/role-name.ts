import { stableId } from './stable-id.js';

/** The roles virtplane knows, as Keystone's bootstrap creates them. */
export const ROLE_NAMES = ['admin', 'member', 'reader'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/**
 * Keystone's default implied roles: admin implies member implies reader, and a token lists every
 * role it grants, implied ones included, so clients and policies see the whole set.
 */
const IMPLIES: Record<RoleName, RoleName[]> = { admin: ['member', 'reader'], member: ['reader'], reader: [] };

/** The assigned roles with the roles they imply, in admin, member, reader order. */
export function effectiveRoles(assigned: Iterable<RoleName>): RoleName[] {
  const all = new Set<RoleName>();
  for (const role of assigned) {
    all.add(role);
    for (const implied of IMPLIES[role]) all.add(implied);
  }
  return ROLE_NAMES.filter((r) => all.has(r));
}

/** Roles are fixed, so their ids are derived from their names rather than stored. */
export function roleId(role: RoleName): string {
  return stableId('role', role);
}

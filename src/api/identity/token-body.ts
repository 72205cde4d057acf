import type { Domain, Project } from '../../identity/identity-entities.js';
import { roleId } from '../../identity/role-name.js';
import type { CatalogEntry } from '../../identity/service-catalog.js';
import type { VerifiedToken } from '../auth/verified-token.js';

/** Keystone writes times with microseconds: 2026-01-02T03:04:05.678000Z. */
export function keystoneTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const domainView = (d: Domain) => ({ id: d.id, name: d.name });
const projectView = (p: Project) => ({ id: p.id, name: p.name, domain: domainView(p.domain) });

/**
 * The token as POST, GET and HEAD /v3/auth/tokens return it. An unscoped token has no project, roles
 * or catalog; `catalog` is null when the client asked for ?nocatalog.
 */
export function tokenBody({ claims, user, project }: VerifiedToken, catalog: CatalogEntry[] | null) {
  return {
    token: {
      methods: claims.methods,
      user: { id: user.id, name: user.name, domain: domainView(user.domain), password_expires_at: null },
      audit_ids: [claims.tokenId],
      expires_at: keystoneTime(claims.expiresAt),
      issued_at: keystoneTime(claims.issuedAt),
      ...(project
        ? {
            project: projectView(project),
            is_domain: false,
            roles: claims.roles.map((name) => ({ id: roleId(name), name })),
            ...(catalog ? { catalog } : {}),
          }
        : {}),
    },
  };
}

/** One entry of GET /v3/auth/projects, as Keystone lists projects. */
export function projectListEntry(project: Project, identityUrl: string) {
  return {
    id: project.id,
    name: project.name,
    domain_id: project.domain.id,
    description: project.description,
    enabled: project.enabled,
    parent_id: project.domain.id,
    is_domain: false,
    tags: [],
    options: {},
    links: { self: `${identityUrl}/projects/${project.id}` },
  };
}

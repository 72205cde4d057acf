import { z } from 'zod';
import type { DomainRef } from '../../identity/identity-entities.js';
import type { ProjectRef, ScopeRequest, UserRef } from '../../identity/authenticate.js';
import { InvalidAuthRequestError } from './keystone-errors.js';

const domainRef = z.union([z.object({ id: z.string().min(1) }).loose(), z.object({ name: z.string().min(1) }).loose()]);

/** By id, or by name within a domain (given by id or name), as Keystone's schema has it. */
const namedRef = z.union([
  z.object({ id: z.string().min(1) }).loose(),
  z.object({ name: z.string().min(1), domain: domainRef }).loose(),
]);

const passwordUser = z.intersection(namedRef, z.object({ password: z.string() }).loose());

/** POST /v3/auth/tokens: `{"auth": {"identity": {...}, "scope": {...}}}`; unknown members are ignored. */
export const authRequestSchema = z
  .object({
    auth: z
      .object({
        identity: z
          .object({
            methods: z.array(z.string()).min(1),
            password: z.object({ user: passwordUser }).loose().optional(),
            token: z.object({ id: z.string().min(1) }).loose().optional(),
          })
          .loose(),
        scope: z
          .union([
            z.literal('unscoped'),
            z.object({ project: namedRef }).loose(),
            z.object({ domain: domainRef }).loose(),
            z.object({ system: z.unknown() }).loose(),
            z.object({ 'OS-TRUST:trust': z.unknown() }).loose(),
          ])
          .optional(),
      })
      .loose(),
  })
  .loose();

export type AuthRequest = z.output<typeof authRequestSchema>;

export type AuthIdentity =
  | { method: 'password'; user: UserRef; password: string }
  | { method: 'token'; tokenId: string };

/** Parses the body into what authentication needs, or InvalidAuthRequestError naming the field. */
export function parseAuthRequest(body: unknown): { identity: AuthIdentity; scope: ScopeRequest } {
  const parsed = authRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String);
    // Keystone's wording for a missing member names the parent: field 'auth': 'identity' is a required property.
    if (issue.code === 'invalid_type' && / received undefined$/.test(issue.message) && path.length > 0) {
      throw new InvalidAuthRequestError(path.slice(0, -1).join('/') || 'body', `'${path.at(-1)}' is a required property`);
    }
    throw new InvalidAuthRequestError(path.join('/') || 'body', issue.message);
  }
  const { identity, scope } = parsed.data.auth;
  return { identity: identityOf(identity), scope: scopeOf(scope) };
}

function identityOf(identity: AuthRequest['auth']['identity']): AuthIdentity {
  // keystoneauth sends one method; password wins when a client sends both.
  if (identity.methods.includes('password')) {
    if (!identity.password) throw new InvalidAuthRequestError('identity', "'password' is a required property");
    const user = identity.password.user;
    return { method: 'password', user: refOf(user), password: user.password };
  }
  if (identity.methods.includes('token')) {
    if (!identity.token) throw new InvalidAuthRequestError('identity', "'token' is a required property");
    return { method: 'token', tokenId: identity.token.id };
  }
  throw new InvalidAuthRequestError('identity/methods', `unsupported method(s) ${identity.methods.join(', ')}; use password or token`);
}

function scopeOf(scope: AuthRequest['auth']['scope']): ScopeRequest {
  if (scope === undefined) return 'default';
  if (scope === 'unscoped') return 'unscoped';
  // The union's members are loose objects, so `in` does not narrow; the schema has checked each shape.
  if ('project' in scope) return { project: refOf(scope.project as Parameters<typeof refOf>[0]) as ProjectRef };
  if ('domain' in scope) return { domain: domainOf(scope.domain as Parameters<typeof domainOf>[0]) };
  return { system: true };
}

function refOf(ref: { id: string } | { name: string; domain: { id: string } | { name: string } }): UserRef {
  return 'id' in ref && typeof ref.id === 'string' ? { id: ref.id } : { name: (ref as { name: string }).name, domain: domainOf((ref as { domain: DomainRef }).domain) };
}

function domainOf(domain: { id: string } | { name: string }): DomainRef {
  return 'id' in domain && typeof domain.id === 'string' ? { id: domain.id } : { name: (domain as { name: string }).name };
}

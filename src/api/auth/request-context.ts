import type { RoleName } from '../../identity/role-name.js';

/**
 * Who is calling, from a validated project-scoped token: what controllers pass on as the actor of
 * commands and check policies against. Get it with `@Ctx()`.
 */
export interface RequestContext {
  readonly userId: string;
  readonly userName: string;
  readonly projectId: string;
  readonly projectName: string;
  /** Implied roles included: an admin is also member and reader. */
  readonly roles: readonly RoleName[];
  readonly isAdmin: boolean;
  readonly tokenId: string;
  readonly expiresAt: Date;
  /**
   * Set by the idempotency guard on a write whose client named its request id: the request's
   * fingerprint, which commands record so a retry after a lost reply can find this request's effect.
   */
  readonly requestFingerprint?: string;
}

/** Where the guard leaves the context on the Fastify request. */
export const REQUEST_CONTEXT = Symbol('virtplane:request-context');
/** Where the guard leaves the validated token, scoped or not (the identity API reads it). */
export const CALLER_TOKEN = Symbol('virtplane:caller-token');

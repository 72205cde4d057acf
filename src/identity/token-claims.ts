import type { RoleName } from './role-name.js';

/** What a token says, signed: who, scoped to what, with which roles, for how long. */
export interface TokenClaims {
  /** Random, unique per token; the revocation list and the audit id name the token by it. */
  readonly tokenId: string;
  readonly userId: string;
  /** null for an unscoped token. */
  readonly projectId: string | null;
  readonly roles: readonly RoleName[];
  readonly methods: readonly string[];
  /** Milliseconds since the epoch. */
  readonly issuedAt: number;
  readonly expiresAt: number;
}

import type { Project, User } from '../../identity/identity-entities.js';
import type { TokenClaims } from '../../identity/token-claims.js';

/** A token whose signature, expiry and revocation were checked, with the user and project it names. */
export interface VerifiedToken {
  readonly token: string;
  readonly claims: TokenClaims;
  readonly user: User;
  /** null: unscoped. */
  readonly project: Project | null;
}

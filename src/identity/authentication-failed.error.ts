/**
 * A password or scope was refused. As Keystone does outside debug mode, the client is told only
 * "requires authentication"; the reason stays on the error for logs and tests.
 */
export type AuthenticationFailureReason =
  | 'unknown-user'
  | 'wrong-password'
  | 'user-disabled'
  | 'unknown-project'
  | 'project-disabled'
  | 'no-role-on-project'
  | 'scope-not-supported';

export class AuthenticationFailedError extends Error {
  readonly code = 'AUTHENTICATION_FAILED';
  constructor(readonly reason: AuthenticationFailureReason) {
    super('The request you have made requires authentication.');
    this.name = 'AuthenticationFailedError';
  }
}

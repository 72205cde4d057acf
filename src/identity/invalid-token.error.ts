/** Why a token was refused; the reason is for logs and tests, clients only ever see a plain 401. */
export type InvalidTokenReason = 'malformed' | 'bad-signature' | 'expired' | 'revoked' | 'unknown-subject';

export class InvalidTokenError extends Error {
  readonly code = 'INVALID_TOKEN';
  constructor(readonly reason: InvalidTokenReason) {
    super(`The token is not valid (${reason}).`);
    this.name = 'InvalidTokenError';
  }
}

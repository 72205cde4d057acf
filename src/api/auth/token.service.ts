import { randomBytes } from 'node:crypto';
import type { Authorization } from '../../identity/authenticate.js';
import type { IdentityDirectory } from '../../identity/identity-directory.js';
import { InvalidTokenError } from '../../identity/invalid-token.error.js';
import type { TokenClaims } from '../../identity/token-claims.js';
import type { TokenCodec } from '../../identity/token-codec.js';
import type { TokenRevocations } from './token-revocations.js';
import type { VerifiedToken } from './verified-token.js';

/** Issues, checks and revokes tokens: the codec for the signature, the directory for who, SQL for revocations. */
export class TokenService {
  constructor(
    private readonly codec: TokenCodec,
    private readonly directory: IdentityDirectory,
    private readonly revocations: TokenRevocations,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `expiresAt` caps the lifetime: a token obtained with another token (the `token` method) must not
   * outlive the one it came from, as Keystone does.
   */
  issue(auth: Authorization, methods: string[], expiresAt?: number): VerifiedToken {
    const issuedAt = this.now();
    const claims: TokenClaims = {
      // 16 random bytes in base64url: 22 characters, the form of Keystone's audit ids.
      tokenId: randomBytes(16).toString('base64url'),
      userId: auth.user.id,
      projectId: auth.project?.id ?? null,
      roles: auth.roles,
      methods,
      issuedAt,
      expiresAt: Math.min(issuedAt + this.ttlSeconds * 1000, expiresAt ?? Number.POSITIVE_INFINITY),
    };
    return { token: this.codec.sign(claims), claims, user: auth.user, project: auth.project };
  }

  /** The token's claims with its user and project, or InvalidTokenError (forged, expired, revoked, or its user gone). */
  async verify(token: string): Promise<VerifiedToken> {
    const claims = this.codec.verify(token, this.now());
    if (await this.revocations.isRevoked(claims.tokenId)) throw new InvalidTokenError('revoked');
    const user = this.directory.userById(claims.userId);
    if (!user || !user.enabled) throw new InvalidTokenError('unknown-subject');
    let project = null;
    if (claims.projectId !== null) {
      project = this.directory.projectById(claims.projectId) ?? null;
      if (!project || !project.enabled) throw new InvalidTokenError('unknown-subject');
    }
    return { token, claims, user, project };
  }

  async revoke(claims: TokenClaims): Promise<void> {
    await this.revocations.revoke(claims.tokenId, claims.expiresAt, this.now());
  }
}

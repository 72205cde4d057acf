import { randomBytes } from 'node:crypto';
import type { Authorization } from '../../identity/authenticate.js';
import type { IdentityDirectory } from '../../identity/identity-directory.js';
import { InvalidTokenError } from '../../identity/invalid-token.error.js';
import type { TokenClaims } from '../../identity/token-claims.js';
import type { TokenCodec } from '../../identity/token-codec.js';
import type { TokenRevocations } from './token-revocations.js';
import type { VerifiedToken } from './verified-token.js';
import type { VerifiedTokenCache } from './verified-token-cache.js';

/**
 * Issues, checks and revokes tokens: the codec for the signature, the directory for who, SQL for
 * revocations, and a cache so a token's signature and revocation are checked once per cache TTL
 * rather than on every request (see VerifiedTokenCache for how long a revocation made by another
 * process may take to be seen here).
 */
export class TokenService {
  constructor(
    private readonly codec: TokenCodec,
    private readonly directory: IdentityDirectory,
    private readonly revocations: TokenRevocations,
    private readonly cache: VerifiedTokenCache,
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
    const claims = this.cache.get(token, this.now()) ?? (await this.check(token));
    // The directory is in memory: users and projects are looked up on every request, cached or not.
    const user = this.directory.userById(claims.userId);
    if (!user || !user.enabled) throw new InvalidTokenError('unknown-subject');
    let project = null;
    if (claims.projectId !== null) {
      project = this.directory.projectById(claims.projectId) ?? null;
      if (!project || !project.enabled) throw new InvalidTokenError('unknown-subject');
    }
    return { token, claims, user, project };
  }

  async revoke({ token, claims }: VerifiedToken): Promise<void> {
    // Before and after the write: a check racing with it neither keeps a stale answer nor finds one.
    this.cache.revoked(token);
    await this.revocations.revoke(claims.tokenId, claims.expiresAt, this.now());
    this.cache.revoked(token);
  }

  private async check(token: string): Promise<TokenClaims> {
    const mark = this.cache.begin();
    const checkedAt = this.now();
    const claims = this.codec.verify(token, checkedAt);
    if (await this.revocations.isRevoked(claims.tokenId)) throw new InvalidTokenError('revoked');
    this.cache.set(token, claims, checkedAt, mark);
    return claims;
  }
}

import { LRUCache } from 'lru-cache';
import type { TokenClaims } from '../../identity/token-claims.js';

export interface VerifiedTokenCacheOptions {
  /** Most tokens held; the least recently used goes first. */
  maxEntries: number;
  /**
   * How long a token's check is reused. Revocations are stored in the shared read-model database:
   * this process forgets a token it revokes at once, but another process sharing the store may
   * accept a token revoked elsewhere for up to this long (keystonemiddleware's token cache trusts a
   * token for 300 s by default).
   */
  ttlMs: number;
}

interface Entry {
  claims: TokenClaims;
  /** Epoch ms: min(the token's expiry, when it was checked + ttlMs). */
  until: number;
}

/**
 * Tokens whose signature, payload and revocation were checked, by their full text (a forged token
 * is a different string, so it misses). Saves the HMAC, the payload's schema and the revoked-token
 * query on every request after a token's first.
 */
export class VerifiedTokenCache {
  private readonly entries: LRUCache<string, Entry>;
  /**
   * Moves on every revocation here: a check that started before one must not store its answer, since
   * its revoked-token query may have run before the revocation was written.
   */
  private epoch = 0;

  constructor(private readonly options: VerifiedTokenCacheOptions) {
    this.entries = new LRUCache<string, Entry>({ max: options.maxEntries });
  }

  get size(): number {
    return this.entries.size;
  }

  /** The claims checked for this token, while still within their time at `now`. */
  get(token: string, now: number): TokenClaims | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (now < entry.until) return entry.claims;
    this.entries.delete(token);
    return undefined;
  }

  /** A mark to hand back to set(): the answer is kept only if no revocation came in between. */
  begin(): number {
    return this.epoch;
  }

  set(token: string, claims: TokenClaims, checkedAt: number, mark: number): void {
    if (mark !== this.epoch) return;
    this.entries.set(token, { claims, until: Math.min(claims.expiresAt, checkedAt + this.options.ttlMs) });
  }

  /** Forgets the token and any check still running when it was revoked. */
  revoked(token: string): void {
    this.epoch += 1;
    this.entries.delete(token);
  }
}

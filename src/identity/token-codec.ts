import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ROLE_NAMES } from './role-name.js';
import type { TokenClaims } from './token-claims.js';
import { InvalidTokenError } from './invalid-token.error.js';

/**
 * A token is `<payload>.<signature>`, both base64url: the payload a compact JSON of the claims, the
 * signature HMAC-SHA256 over the payload's text with the service's secret. Nothing is stored per
 * token, so any replica with the secret can check one; only revocations are stored.
 */
const payloadSchema = z
  .object({
    v: z.literal(1),
    t: z.string().min(1),
    u: z.string().min(1),
    p: z.string().min(1).nullable(),
    r: z.array(z.enum(ROLE_NAMES)),
    m: z.array(z.string()),
    i: z.number().int(),
    e: z.number().int(),
  })
  .strict();

export class TokenCodec {
  constructor(private readonly secret: Buffer) {
    if (secret.length < 16) throw new RangeError('a token secret needs at least 16 bytes');
  }

  sign(claims: TokenClaims): string {
    const payload = Buffer.from(
      JSON.stringify({ v: 1, t: claims.tokenId, u: claims.userId, p: claims.projectId, r: claims.roles, m: claims.methods, i: claims.issuedAt, e: claims.expiresAt }),
    ).toString('base64url');
    return `${payload}.${this.mac(payload).toString('base64url')}`;
  }

  /** The claims of a token this secret signed and that has not expired at `now`; else InvalidTokenError. */
  verify(token: string, now: number): TokenClaims {
    const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) throw new InvalidTokenError('malformed');
    const [, payload, signature] = match as unknown as [string, string, string];
    const given = Buffer.from(signature, 'base64url');
    const expected = this.mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidTokenError('bad-signature');
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidTokenError('malformed');
    }
    const parsed = payloadSchema.safeParse(decoded);
    if (!parsed.success) throw new InvalidTokenError('malformed');
    const c = parsed.data;
    if (now >= c.e) throw new InvalidTokenError('expired');
    return { tokenId: c.t, userId: c.u, projectId: c.p, roles: c.r, methods: c.m, issuedAt: c.i, expiresAt: c.e };
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.secret).update(payload).digest();
  }
}

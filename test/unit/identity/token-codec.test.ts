import { createHmac } from 'node:crypto';
import { InvalidTokenError } from '../../../src/identity/invalid-token.error.js';
import type { TokenClaims } from '../../../src/identity/token-claims.js';
import { TokenCodec } from '../../../src/identity/token-codec.js';

const secret = Buffer.from('0123456789abcdef0123456789abcdef');
const claims: TokenClaims = {
  tokenId: 'Zm9vYmFyYmF6cXV4cXV1eA',
  userId: 'u1',
  projectId: 'p1',
  roles: ['member', 'reader'],
  methods: ['password'],
  issuedAt: 1_000_000,
  expiresAt: 1_000_000 + 3_600_000,
};

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('TokenCodec', () => {
  const codec = new TokenCodec(secret);

  it('given a signed token, when verified before it expires, then the same claims come back', () => {
    const token = codec.sign(claims);
    expect(codec.verify(token, claims.issuedAt + 1)).toEqual(claims);
  });

  it('given an unscoped token, when verified, then its project is null', () => {
    const token = codec.sign({ ...claims, projectId: null, roles: [] });
    expect(codec.verify(token, claims.issuedAt).projectId).toBeNull();
  });

  it('given a token at or past its expiry, when verified, then expired', () => {
    const token = codec.sign(claims);
    expect(reasonOf(() => codec.verify(token, claims.expiresAt))).toBe('expired');
    expect(reasonOf(() => codec.verify(token, claims.expiresAt + 1))).toBe('expired');
  });

  it('given a payload changed to claim admin, when verified with the old signature, then bad-signature', () => {
    const [payload, signature] = codec.sign(claims).split('.') as [string, string];
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = `${Buffer.from(JSON.stringify({ ...decoded, r: ['admin'] })).toString('base64url')}.${signature}`;
    expect(reasonOf(() => codec.verify(forged, claims.issuedAt))).toBe('bad-signature');
  });

  it('given a signature with one character changed, when verified, then bad-signature', () => {
    const token = codec.sign(claims);
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${token.slice(0, -2)}${last}${token.at(-1)}`;
    expect(reasonOf(() => codec.verify(tampered, claims.issuedAt))).toBe('bad-signature');
  });

  it('given a token signed with another secret, when verified, then bad-signature', () => {
    const other = new TokenCodec(Buffer.from('fedcba9876543210fedcba9876543210'));
    expect(reasonOf(() => codec.verify(other.sign(claims), claims.issuedAt))).toBe('bad-signature');
  });

  it.each(['', 'abc', 'a.b', 'a.b.c', `${'x'.repeat(10)}.${'!'.repeat(43)}`])('given %j, when verified, then malformed', (token) => {
    expect(reasonOf(() => codec.verify(token, 0))).toBe('malformed');
  });

  it('given a correctly signed payload that is not a token, when verified, then malformed', () => {
    const payload = Buffer.from(JSON.stringify({ hello: 'world' })).toString('base64url');
    const token = `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
    expect(reasonOf(() => codec.verify(token, 0))).toBe('malformed');
  });

  it('given a secret shorter than 16 bytes, when a codec is made, then it refuses', () => {
    expect(() => new TokenCodec(Buffer.from('short'))).toThrow(RangeError);
  });
});

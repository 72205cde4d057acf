import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** scrypt cost: N=2^14, r=8, p=1 (Node's defaults, about 50 ms per hash): strong enough, and start-up hashes every seeded user. */
const PARAMS = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;

/** A password as kept in memory: never the clear text. */
export interface PasswordHash {
  readonly salt: Buffer;
  readonly key: Buffer;
}

export function hashPassword(password: string, salt: Buffer = randomBytes(16)): PasswordHash {
  return { salt, key: scryptSync(password.normalize('NFC'), salt, KEY_LENGTH, PARAMS) };
}

/** Constant-time comparison, so the time taken says nothing about how much of the password matched. */
export function verifyPassword(password: string, hash: PasswordHash): boolean {
  const candidate = scryptSync(password.normalize('NFC'), hash.salt, KEY_LENGTH, PARAMS);
  return timingSafeEqual(candidate, hash.key);
}

/**
 * Hashed once at start-up from a fixed string, and checked against when the user does not exist, so an
 * unknown user name costs the same time as a wrong password and cannot be told apart by timing.
 */
export const DECOY_PASSWORD_HASH: PasswordHash = hashPassword('virtplane-decoy', Buffer.alloc(16));

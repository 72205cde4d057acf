import { createHash } from 'node:crypto';
import { InvalidKeypairError } from './keypair.errors.js';

/** The SSH public key types Nova's clients import. */
export const SSH_KEY_TYPES = [
  'ssh-rsa',
  'ssh-ed25519',
  'ssh-dss',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
] as const;

export interface ParsedPublicKey {
  /** The key as given, trimmed (type, base64 blob and comment). */
  publicKey: string;
  /** Nova's fingerprint for ssh keys: MD5 of the key blob, colon-separated hex. */
  fingerprint: string;
}

/**
 * Parses an OpenSSH public key line ("ssh-ed25519 AAAA... comment"): the blob must be base64 and
 * name the same type inside (RFC 4253 string encoding). Deterministic: no I/O, no randomness.
 */
export function parseSshPublicKey(text: string): ParsedPublicKey {
  const publicKey = text.trim();
  const [type, blob] = publicKey.split(/\s+/);
  if (!type || !blob || !(SSH_KEY_TYPES as readonly string[]).includes(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) {
    throw new InvalidKeypairError('Keypair data is invalid: failed to generate fingerprint');
  }
  const bytes = Buffer.from(blob, 'base64');
  const length = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  if (length < 1 || 4 + length > bytes.length || bytes.subarray(4, 4 + length).toString('latin1') !== type) {
    throw new InvalidKeypairError('Keypair data is invalid: failed to generate fingerprint');
  }
  const md5 = createHash('md5').update(bytes).digest('hex');
  return { publicKey, fingerprint: md5.match(/../g)!.join(':') };
}

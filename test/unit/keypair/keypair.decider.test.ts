import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keypairDecider } from '../../../src/domain/keypair/keypair.decider.js';
import { InvalidKeypairError, KeypairExistsError, KeypairNotFoundError } from '../../../src/domain/keypair/keypair.errors.js';
import type { KeypairEvent } from '../../../src/domain/keypair/keypair.events.js';
import { parseSshPublicKey } from '../../../src/domain/keypair/public-key.js';
import { generateEd25519Keypair } from '../../../src/handlers/keypair/generate-ed25519-keypair.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { RSA_FINGERPRINT, RSA_PUBLIC_KEY } from './rsa-key.fixture.js';

const spec = deciderSpec(keypairDecider, { now: '2026-11-22T10:00:00.000Z' });
const importKey = { type: 'ImportKeypair' as const, data: { userId: 'u1', name: 'laptop', type: 'ssh' as const, publicKey: `  ${RSA_PUBLIC_KEY}\n` } };
const imported: KeypairEvent = {
  type: 'KeypairImported',
  data: { userId: 'u1', name: 'laptop', type: 'ssh', publicKey: RSA_PUBLIC_KEY, fingerprint: RSA_FINGERPRINT },
};

describe('Keypair decider', () => {
  it('given no key pair, when an ssh key is imported, then KeypairImported with the MD5 fingerprint Nova computes', () => {
    spec.given([]).when(importKey).then([imported]);
  });

  it('given a key pair, when the name is imported again, then KeyPairExists', () => {
    spec.given([imported]).when(importKey).thenThrows(KeypairExistsError, "Key pair 'laptop' already exists.");
  });

  it('given a deleted key pair, when the name is imported again, then it is imported', () => {
    spec.given([imported, { type: 'KeypairDeleted', data: { userId: 'u1', name: 'laptop' } }]).when(importKey).then([imported]);
  });

  it.each([
    ['garbage', 'not a key'],
    ['an unknown type', RSA_PUBLIC_KEY.replace('ssh-rsa', 'ssh-foo')],
    ['a blob of another type', RSA_PUBLIC_KEY.replace('ssh-rsa', 'ssh-ed25519')],
    ['a truncated blob', RSA_PUBLIC_KEY.slice(0, 20)],
    ['bad base64', 'ssh-rsa !!!!'],
  ])('given no key pair, when %s is imported, then InvalidKeypair', (_why, publicKey) => {
    spec.given([]).when({ ...importKey, data: { ...importKey.data, publicKey } }).thenThrows(InvalidKeypairError);
  });

  it('given no key pair, when the name has unsafe characters or the type is x509, then InvalidKeypair', () => {
    spec.given([]).when({ ...importKey, data: { ...importKey.data, name: 'a/b' } }).thenThrows(InvalidKeypairError, /unsafe characters/);
    spec.given([]).when({ ...importKey, data: { ...importKey.data, type: 'x509' } }).thenThrows(InvalidKeypairError);
  });

  it('given no key pair, when deleted, then KeypairNotFound; given one, then KeypairDeleted', () => {
    const del = { type: 'DeleteKeypair' as const, data: { userId: 'u1', name: 'laptop' } };
    spec.given([]).when(del).thenThrows(KeypairNotFoundError, 'Keypair laptop not found for user u1');
    spec.given([imported]).when(del).then([{ type: 'KeypairDeleted', data: del.data }]);
  });
});

describe('generated Ed25519 key pairs', () => {
  it('are OpenSSH keys whose private half ssh-keygen reads back to the same public key', () => {
    const { publicKey, privateKey } = generateEd25519Keypair('test');
    expect(parseSshPublicKey(publicKey).fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    let sshKeygen = true;
    try {
      execFileSync('ssh-keygen', ['-?'], { stdio: 'ignore' });
    } catch (error) {
      sshKeygen = (error as { code?: string }).code !== 'ENOENT';
    }
    if (!sshKeygen) return;
    const dir = mkdtempSync(join(tmpdir(), 'keypair-'));
    try {
      writeFileSync(join(dir, 'id'), privateKey, { mode: 0o600 });
      const derived = execFileSync('ssh-keygen', ['-y', '-f', join(dir, 'id')], { encoding: 'utf8' }).trim();
      expect(derived.split(' ').slice(0, 2)).toEqual(publicKey.split(' ').slice(0, 2));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

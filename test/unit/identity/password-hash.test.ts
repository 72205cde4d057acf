import { hashPassword, verifyPassword } from '../../../src/identity/password-hash.js';

describe('password hashing (scrypt)', () => {
  const hash = hashPassword('correct horse');

  it('given the right password, when verified, then true', () => {
    expect(verifyPassword('correct horse', hash)).toBe(true);
  });

  it.each(['correct hors', 'Correct horse', '', 'correct horse '])('given %j, when verified, then false', (attempt) => {
    expect(verifyPassword(attempt, hash)).toBe(false);
  });

  it('given the same password twice, when hashed, then salts and keys differ and neither holds the clear text', () => {
    const again = hashPassword('correct horse');
    expect(again.salt.equals(hash.salt)).toBe(false);
    expect(again.key.equals(hash.key)).toBe(false);
    expect(hash.key.toString('latin1')).not.toContain('correct horse');
  });
});

import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTokenSecret, WeakTokenSecretError } from '../../../src/api/auth/token-secret.js';

describe('resolveTokenSecret', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'virtplane-secret-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('given no configured secret, when resolved twice, then one file with mode 0600 and the same secret both times', () => {
    const first = resolveTokenSecret(undefined, join(dir, 'data'));
    const second = resolveTokenSecret(undefined, join(dir, 'data'));
    expect(first.equals(second)).toBe(true);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dir, 'data', 'token-secret')).mode & 0o777).toBe(0o600);
  });

  it('given a configured secret, when resolved, then it is used and no file is written', () => {
    expect(resolveTokenSecret('s'.repeat(32), dir).toString()).toBe('s'.repeat(32));
    expect(() => statSync(join(dir, 'token-secret'))).toThrow();
  });

  it('given a short configured secret, when resolved, then refused without repeating it', () => {
    expect(() => resolveTokenSecret('hunter2', dir)).toThrow(WeakTokenSecretError);
    expect(() => resolveTokenSecret('hunter2', dir)).toThrow(/^TOKEN_SECRET must hold at least 32 characters$/);
  });

  it('given a truncated secret file, when resolved, then refused', () => {
    writeFileSync(join(dir, 'token-secret'), 'abc\n', { mode: 0o600 });
    expect(() => resolveTokenSecret(undefined, dir)).toThrow(WeakTokenSecretError);
  });
});

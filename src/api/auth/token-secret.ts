import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const TOKEN_SECRET_FILE = 'token-secret';
const MIN_LENGTH = 32;

/** TOKEN_SECRET is too short; the message never repeats it. */
export class WeakTokenSecretError extends Error {
  readonly code = 'WEAK_TOKEN_SECRET';
  constructor(where: string) {
    super(`${where} must hold at least ${MIN_LENGTH} characters`);
    this.name = 'WeakTokenSecretError';
  }
}

/**
 * The HMAC key for tokens: TOKEN_SECRET when configured; otherwise the one in DATA_DIR/token-secret,
 * generated on first start (readable by the service's user only), so tokens survive a restart.
 * A second replica needs TOKEN_SECRET (or the same file), or it refuses the first one's tokens.
 */
export function resolveTokenSecret(configured: string | undefined, dataDir: string): Buffer {
  if (configured !== undefined) {
    if (configured.length < MIN_LENGTH) throw new WeakTokenSecretError('TOKEN_SECRET');
    return Buffer.from(configured, 'utf8');
  }
  const path = join(dataDir, TOKEN_SECRET_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': two processes starting together cannot both write one; the loser reads the winner's.
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < MIN_LENGTH) throw new WeakTokenSecretError(path);
  return Buffer.from(secret, 'utf8');
}

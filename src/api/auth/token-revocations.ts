import type { SqlDatabase } from '../../adapters/sql/sql-database.js';

/**
 * Revoked token ids, each kept until the token would have expired anyway (after that the signature
 * check refuses it on its own). Shared through the read-model database, so every replica sees a
 * revocation once its verified-token cache lets go of the token (VerifiedTokenCache's ttlMs).
 */
export class TokenRevocations {
  constructor(private readonly db: SqlDatabase) {}

  async revoke(tokenId: string, expiresAt: number, now: number): Promise<void> {
    await this.db.run('DELETE FROM revoked_tokens WHERE expires_at <= ?', [now]);
    await this.db.run(
      'INSERT INTO revoked_tokens (token_id, expires_at, revoked_at) VALUES (?, ?, ?) ON CONFLICT (token_id) DO NOTHING',
      [tokenId, expiresAt, new Date(now).toISOString()],
    );
  }

  async isRevoked(tokenId: string): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 AS revoked FROM revoked_tokens WHERE token_id = ?', [tokenId]);
    return rows.length > 0;
  }
}

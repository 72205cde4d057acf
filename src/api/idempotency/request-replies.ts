import type { SqlDatabase } from '../../adapters/sql/sql-database.js';

export interface RequestKey {
  userId: string;
  requestId: string;
  fingerprint: string;
}

export interface StoredReply {
  status: number;
  location: string | null;
  /** The JSON body as sent; null for a reply without one. */
  body: string | null;
}

/** How long a reply is kept for a retry: longer than any client's retry loop, short enough to stay small. */
export const REPLY_RETENTION_MS = 24 * 60 * 60 * 1000;

/** The replies to named writes (table request_replies in the read-model database). */
export class RequestReplies {
  private lastPurge = 0;

  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async find(key: RequestKey): Promise<StoredReply | null> {
    const [row] = await this.db.query<StoredReply>(
      'SELECT status, location, body FROM request_replies WHERE user_id = ? AND request_id = ? AND fingerprint = ?',
      [key.userId, key.requestId, key.fingerprint],
    );
    return row ? { status: Number(row.status), location: row.location, body: row.body } : null;
  }

  async save(key: RequestKey, reply: StoredReply): Promise<void> {
    const now = this.now();
    await this.db.run(
      'INSERT INTO request_replies (user_id, request_id, fingerprint, status, location, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (user_id, request_id, fingerprint) DO NOTHING',
      [key.userId, key.requestId, key.fingerprint, reply.status, reply.location, reply.body, now.toISOString()],
    );
    // Purging on the write path, at most once a minute, keeps the table bounded without a timer.
    if (now.getTime() - this.lastPurge > 60_000) {
      this.lastPurge = now.getTime();
      await this.db.run('DELETE FROM request_replies WHERE created_at < ?', [new Date(now.getTime() - REPLY_RETENTION_MS).toISOString()]);
    }
  }

  /**
   * True when the audit log holds an effect of this very request (the reply may have been lost):
   * an event its command recorded under the same user, request id and fingerprint. The request id
   * alone is not enough: it is global, so "stop A" and then "stop B" under one id would take A's
   * effect for B's and answer B without stopping it.
   * Events recorded before fingerprints were (request_fingerprint NULL) are no evidence: a retry
   * of such a request runs again, which at worst repeats or refuses a write the client is told
   * about, rather than telling it that a different write happened.
   */
  async tookEffect(key: RequestKey): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 AS found FROM audit_log WHERE request_id = ? AND user_id = ? AND request_fingerprint = ? LIMIT 1', [
      key.requestId,
      key.userId,
      key.fingerprint,
    ]);
    return rows.length > 0;
  }
}

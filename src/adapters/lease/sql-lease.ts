import type { SqlDatabase, SqlExecutor } from '../sql/sql-database.js';
import { isGoneOnThisHost } from './lease-holder.js';
import { LeaseLostError } from './lease-lost.error.js';

export interface SqlLeaseOptions {
  /** Holds the leases table (migrations/read-models/0150_leases.sql). */
  db: SqlDatabase;
  /** The row: one lease per set of singleton consumers. */
  name: string;
  /** This keeper's id (newLeaseHolder()). */
  holder: string;
  /** How long an acquisition or renewal lasts. */
  ttlMs: number;
  /** Epoch milliseconds; holders on several machines must agree to well within the TTL (NTP). */
  now?: () => number;
  /** Whether a holder is known dead without waiting for its expiry (default: a process of this host that is gone). */
  isGone?: (holder: string) => boolean;
}

/** What this keeper was granted: its generation is the fencing token. */
export interface LeaseGrant {
  generation: number;
  expiresAt: number;
}

/**
 * A named lease in the SQL database, one statement per operation and the same SQL on SQLite and
 * PostgreSQL. It is taken when free, expired or held by a dead process of this host; renewed while
 * its row still names this holder and generation; released by expiring it at once. `fence` checks,
 * inside the caller's transaction, that the lease is still this holder's: it updates the row, so on
 * PostgreSQL it holds the row lock to the commit, and a takeover (an update of the same row) waits
 * for that commit or makes the fence fail; on SQLite the transaction holds the write lock anyway.
 */
export class SqlLease {
  private current: LeaseGrant | null = null;
  private readonly now: () => number;
  private readonly isGone: (holder: string) => boolean;

  constructor(private readonly options: SqlLeaseOptions) {
    this.now = options.now ?? Date.now;
    this.isGone = options.isGone ?? isGoneOnThisHost;
  }

  get name(): string {
    return this.options.name;
  }

  get holder(): string {
    return this.options.holder;
  }

  /** The grant as last confirmed by the database; null when not held. */
  get grant(): LeaseGrant | null {
    return this.current;
  }

  /** Takes the lease when it is free, expired, or its holder is gone; true when this keeper holds it after. */
  async acquire(): Promise<boolean> {
    if (await this.tryAcquire(null)) return true;
    const rows = await this.options.db.query<{ holder: string }>('SELECT holder FROM leases WHERE name = ?', [this.options.name]);
    const other = rows[0]?.holder;
    return other !== undefined && other !== this.options.holder && this.isGone(other) ? this.tryAcquire(other) : false;
  }

  /** Moves the expiry on; false (and the grant dropped) when the row no longer names this holder and generation. */
  async renew(): Promise<boolean> {
    const grant = this.current;
    if (!grant) return false;
    const expiresAt = this.now() + this.options.ttlMs;
    const changed = await this.options.db.run('UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ? AND generation = ?', [
      expiresAt,
      this.options.name,
      this.options.holder,
      grant.generation,
    ]);
    this.current = changed === 1 ? { generation: grant.generation, expiresAt } : null;
    return this.current !== null;
  }

  /** Expires the lease now so a successor takes it on its next attempt; a no-op when not held. */
  async release(): Promise<void> {
    const grant = this.current;
    this.current = null;
    if (!grant) return;
    await this.options.db.run('UPDATE leases SET expires_at = 0 WHERE name = ? AND holder = ? AND generation = ?', [
      this.options.name,
      this.options.holder,
      grant.generation,
    ]);
  }

  /** Throws LeaseLostError unless the lease is still this holder's, as seen by tx (call it in the transaction to be fenced). */
  async fence(tx: SqlExecutor): Promise<void> {
    const grant = this.current;
    const changed = grant
      ? await tx.run('UPDATE leases SET holder = holder WHERE name = ? AND holder = ? AND generation = ?', [
          this.options.name,
          this.options.holder,
          grant.generation,
        ])
      : 0;
    if (changed !== 1) throw new LeaseLostError(this.options.name, this.options.holder);
  }

  /**
   * One upsert: a new row, or the existing one when it is this holder's, expired, or held by
   * `goneHolder`; a change of holder bumps the generation.
   */
  private async tryAcquire(goneHolder: string | null): Promise<boolean> {
    const now = this.now();
    const expiresAt = now + this.options.ttlMs;
    const rows = await this.options.db.query<{ generation: number | string }>(
      'INSERT INTO leases (name, holder, generation, expires_at, acquired_at) VALUES (?, ?, 1, ?, ?) ' +
        'ON CONFLICT (name) DO UPDATE SET ' +
        'generation = CASE WHEN leases.holder = excluded.holder THEN leases.generation ELSE leases.generation + 1 END, ' +
        'acquired_at = CASE WHEN leases.holder = excluded.holder THEN leases.acquired_at ELSE excluded.acquired_at END, ' +
        'holder = excluded.holder, expires_at = excluded.expires_at ' +
        'WHERE leases.holder = excluded.holder OR leases.expires_at <= ? OR leases.holder = ? ' +
        'RETURNING generation',
      [this.options.name, this.options.holder, expiresAt, new Date(now).toISOString(), now, goneHolder ?? ''],
    );
    const row = rows[0];
    // pg returns BIGINT as a string.
    this.current = row ? { generation: Number(row.generation), expiresAt } : null;
    return this.current !== null;
  }
}

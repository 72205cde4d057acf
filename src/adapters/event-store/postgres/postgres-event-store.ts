import type { PostgresDatabase } from '../../sql/postgres-database.js';
import { planGroup, type AppendOutcome, type AppendRequest } from '../append-plan.js';
import type { RecordedEvent } from '../event-envelope.js';
import { EventStoreClosedError } from '../event-store-closed.error.js';
import type { ReadStreamOptions } from '../event-store.port.js';
import { GroupCommitEventStore, type GroupCommitEventStoreOptions } from '../group-commit-event-store.js';
import { EVENT_COLUMNS, toRecordedEvent, type RecordedEventRow } from '../recorded-event-row.js';
import { isEventIdViolation, PostgresAppendTransaction, type LookUpIds, type PostgresAppendHooks } from './postgres-append-transaction.js';
import { PostgresCommitListener } from './postgres-commit-listener.js';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

export interface PostgresEventStoreOptions extends GroupCommitEventStoreOptions {
  /**
   * Subscriptions are woken by LISTEN/NOTIFY (and at once for appends through this store); the poll
   * (default 500 ms) covers a lost notification connection.
   */
  pollIntervalMs?: number;
  /** Use LISTEN/NOTIFY for cross-process wake-up (default true). */
  listen?: boolean;
  /** Test-only seams into the append transaction; never set them in production. */
  hooks?: PostgresAppendHooks;
  /** Close the database's pool in close(); set when the store owns it (see openPostgresEventStore). */
  closeDatabase?: boolean;
}

/**
 * The PostgreSQL event store; the schema must have the migrations applied (0001_event_store).
 * Positions taken independently by concurrent transactions (a sequence) can commit out of order,
 * and a reader of "position > last" would then skip an event for ever. Every append transaction
 * therefore first takes one transaction-scoped advisory lock, shared by all processes on the schema,
 * and only then reads the head and assigns head + 1..; the lock is released after the commit is
 * visible, so commit order is position order and positions have no gaps. Group commit keeps this to
 * one short transaction per group of appends.
 */
export class PostgresEventStore extends GroupCommitEventStore {
  private readonly listener: PostgresCommitListener | undefined;
  private readonly channel: string;

  constructor(
    private readonly db: PostgresDatabase,
    private readonly options: PostgresEventStoreOptions = {},
  ) {
    super(options, options.pollIntervalMs ?? 500);
    // NOTIFY is database-wide; a channel per schema keeps test schemas from waking each other.
    this.channel = `virtplane_events_${(db.schema ?? 'public').toLowerCase()}`.slice(0, 63);
    this.listener =
      options.listen === false
        ? undefined
        : new PostgresCommitListener(() => db.connectDedicated(), this.channel, this.signal, undefined, (payload) => this.ownCommit(Number(payload)));
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const sql = backwards
      ? `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND revision <= $2 ORDER BY revision DESC LIMIT $3`
      : `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`;
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    return this.select(sql, [streamId, from, options.maxCount ?? null]);
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    const result = await this.db.pool.query<{ head: number }>('SELECT COALESCE(MAX(position), 0) AS head FROM events');
    return Number(result.rows[0]!.head);
  }

  async ping(): Promise<void> {
    this.assertOpen();
    await this.db.pool.query('SELECT 1');
  }

  protected readAfter(after: number, limit: number): Promise<RecordedEvent[]> {
    const sql = `SELECT ${EVENT_COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`;
    return this.select(sql, [after, limit >= Number.MAX_SAFE_INTEGER ? null : limit]);
  }

  protected async commitGroup(requests: AppendRequest[]): Promise<AppendOutcome[]> {
    try {
      return await this.commitOnce(requests, 'first');
    } catch (error) {
      // A stored id other than a batch's first one: redo the group with every id looked up, so the
      // planner can tell a retry or a conflict from a new append.
      if (isEventIdViolation(error)) return this.commitOnce(requests, 'all');
      throw error;
    }
  }

  private async commitOnce(requests: AppendRequest[], lookUp: LookUpIds): Promise<AppendOutcome[]> {
    const tx = await PostgresAppendTransaction.begin(this.db.pool, this.options.hooks);
    try {
      const stored = await tx.lookUp(requests, lookUp);
      const { rows, outcomes } = planGroup(requests, stored);
      const recordedAt = new Date().toISOString();
      if (rows.length > 0) {
        const head = tx.headPosition;
        rows.forEach((row, i) => (row.position = head + 1 + i));
        await tx.insert(rows, recordedAt, this.channel);
      }
      await tx.commit(rows);
      this.committed(rows, recordedAt);
      return outcomes;
    } catch (error) {
      await tx.rollback();
      throw error;
    }
  }

  /**
   * A notification's payload is the group's last position. This process's own commits were signalled
   * when they committed, so their notification would only send every subscription to read nothing;
   * another process's commit is remembered, so reads go to the database until the tail passes it.
   */
  private ownCommit(lastPosition: number): boolean {
    if (!Number.isSafeInteger(lastPosition)) return false;
    if (lastPosition <= this.committedHead) return true;
    this.committedElsewhere(lastPosition);
    return false;
  }

  /**
   * timestamptz keeps the instant, not the text: a read returns it as UTC with milliseconds. Only
   * plain ISO instants (at most microseconds, which PostgreSQL keeps exactly) are restated here;
   * anything else throws, and the tail is forgotten rather than risk differing from a read.
   */
  protected override storedTime(iso: string): string {
    if (!ISO_INSTANT.test(iso)) throw new RangeError(`not a plain ISO instant: ${iso}`);
    return new Date(iso).toISOString();
  }

  protected override beforeSubscribe(): void {
    this.listener?.start();
  }

  protected async release(): Promise<void> {
    await this.listener?.stop();
    if (this.options.closeDatabase) await this.db.close();
  }

  private async select(sql: string, params: unknown[]): Promise<RecordedEvent[]> {
    this.assertOpen();
    const result = await this.db.pool.query<RecordedEventRow>(sql, params);
    return result.rows.map((row) => toRecordedEvent(row, this.upcasters));
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreClosedError();
  }
}

import type { SqliteDatabase } from '../../sql/sqlite-database.js';
import { planGroup, type AppendOutcome, type AppendRequest } from '../append-plan.js';
import type { RecordedEvent } from '../event-envelope.js';
import { EventStoreClosedError } from '../event-store-closed.error.js';
import type { ReadStreamOptions } from '../event-store.port.js';
import { GroupCommitEventStore, type GroupCommitEventStoreOptions } from '../group-commit-event-store.js';
import { toRecordedEvent, type RecordedEventRow } from '../recorded-event-row.js';
import { SqliteEventStatements } from './sqlite-event-statements.js';

export interface SqliteEventStoreOptions extends GroupCommitEventStoreOptions {
  /**
   * Appends through this store wake its subscriptions at once; the poll (default 1,000 ms) only
   * finds appends made by another process on the same file.
   */
  pollIntervalMs?: number;
  /** Close the database in close(); set when the store owns it (see openSqliteEventStore). */
  closeDatabase?: boolean;
  /**
   * How often, while anything is subscribed, the store asks SQLite whether another connection (another
   * process on the same file, in practice) committed since it last asked (PRAGMA data_version, a read
   * of a counter in shared memory), and wakes its subscriptions if so (default 20 ms).
   */
  watchIntervalMs?: number;
}

/**
 * The embedded event store; the database must have the migrations applied (0001_event_store).
 * Each group commit is one synchronous BEGIN IMMEDIATE ... COMMIT on the shared connection, taken
 * while no other transaction is open on it, so positions are assigned and committed in order and
 * a reader never sees a gap. That holds across processes sharing the file too: the write lock
 * covers reading the head and inserting after it, and the committed tail (GroupCommitEventStore)
 * drops itself when its next group does not follow on, so it never answers for another process's
 * positions. What another process appends wakes the subscriptions through the data_version watch.
 */
export class SqliteEventStore extends GroupCommitEventStore {
  private readonly statements: SqliteEventStatements;
  private watchTimer: NodeJS.Timeout | undefined;
  private dataVersion: number | undefined;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly options: SqliteEventStoreOptions = {},
  ) {
    super(options, options.pollIntervalMs ?? 1000);
    this.statements = new SqliteEventStatements(db);
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.read(() => this.toEvents(this.statements.readStream(streamId, options)));
  }

  headPosition(): Promise<number> {
    return this.read(() => this.statements.headPosition());
  }

  async ping(): Promise<void> {
    await this.read(() => this.statements.ping());
  }

  protected readAfter(after: number, limit: number): Promise<RecordedEvent[]> {
    return this.read(() => this.toEvents(this.statements.readAfter(after, limit)));
  }

  protected async commitGroup(requests: AppendRequest[]): Promise<AppendOutcome[]> {
    const s = this.statements;
    const recordedAt = new Date().toISOString();
    const { rows, outcomes } = await this.db.writeTransaction(() => {
      const plan = planGroup(requests, s);
      let position = s.headPosition();
      for (const row of plan.rows) row.position = ++position;
      s.insert(plan.rows, recordedAt);
      return plan;
    });
    this.committed(rows, recordedAt);
    return outcomes;
  }

  protected override beforeSubscribe(): void {
    if (this.watchTimer) return;
    // The first look is now, not a tick later: what another process committed before it is only
    // found by the file's head, as data_version counts from the first read on.
    void this.watchOtherWriters();
    this.watchTimer = setInterval(() => void this.watchOtherWriters(), this.options.watchIntervalMs ?? 20);
    this.watchTimer.unref();
  }

  protected async release(): Promise<void> {
    clearInterval(this.watchTimer);
    this.watchTimer = undefined;
    if (this.options.closeDatabase) await this.db.close();
  }

  /** data_version moves only for commits by other connections: this store's own appends signal themselves. */
  private async watchOtherWriters(): Promise<void> {
    try {
      const { version, head } = await this.read(() => ({
        version: this.db.raw.pragma('data_version', { simple: true }) as number,
        head: this.statements.headPosition(),
      }));
      // The first look has nothing to compare with: the head it read stands for every commit so far.
      const changed = version !== this.dataVersion;
      this.dataVersion = version;
      if (!changed) return;
      // Reads go past the committed tail up to the other process's head before anyone is woken.
      this.committedElsewhere(head);
      this.signal.notify();
    } catch {
      // Closing, or busy: the subscriptions' own poll still finds the events.
    }
  }

  private read<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new EventStoreClosedError());
    return this.db.exclusive(fn);
  }

  private toEvents(rows: RecordedEventRow[]): RecordedEvent[] {
    return rows.map((row) => toRecordedEvent(row, this.upcasters));
  }
}

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
}

/**
 * The embedded event store; the database must have the migrations applied (0001_event_store).
 * Each group commit is one synchronous BEGIN IMMEDIATE ... COMMIT on the shared connection, taken
 * while no other transaction is open on it, so positions are assigned and committed in order and
 * a reader never sees a gap.
 */
export class SqliteEventStore extends GroupCommitEventStore {
  private readonly statements: SqliteEventStatements;

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

  protected async release(): Promise<void> {
    if (this.options.closeDatabase) await this.db.close();
  }

  private read<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new EventStoreClosedError());
    return this.db.exclusive(fn);
  }

  private toEvents(rows: RecordedEventRow[]): RecordedEvent[] {
    return rows.map((row) => toRecordedEvent(row, this.upcasters));
  }
}

import { serializeEvents, type AppendOutcome, type AppendRequest, type EventRow } from './append-plan.js';
import { CatchUpSubscription } from './catch-up-subscription.js';
import { CommittedTail } from './committed-tail.js';
import type { NewEvent, RecordedEvent } from './event-envelope.js';
import { EventStoreClosedError } from './event-store-closed.error.js';
import type { EventStoreMetrics } from './event-store-metrics.js';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeToAllOptions,
  Subscription,
} from './event-store.port.js';
import { GroupCommitQueue } from './group-commit-queue.js';
import { toRecordedEvent } from './recorded-event-row.js';
import { UpcasterChain } from './upcaster.js';
import { WakeSignal } from './wake-signal.js';

export interface GroupCommitEventStoreOptions {
  /** Applied on every read path (readStream, readAll, subscriptions). */
  upcasters?: UpcasterChain;
  metrics?: EventStoreMetrics;
  /** How often an idle subscription reads without having been woken by a commit notification. */
  pollIntervalMs?: number;
  /** Most events one group commit carries (default 10,000). */
  maxGroupEvents?: number;
}

/**
 * What the SQL adapters share: serialize once in the caller, queue into the group-commit writer,
 * and run subscriptions on one catch-up loop woken by `signal`. Adapters supply the transaction
 * and the queries.
 */
export abstract class GroupCommitEventStore implements EventStore {
  protected readonly upcasters: UpcasterChain;
  protected readonly signal = new WakeSignal();
  /** Set once subscriptions and the writer are done; reads fail after it. */
  protected closed = false;
  private closing = false;
  private readonly queue: GroupCommitQueue;
  private readonly subscriptions = new Set<Subscription>();
  private readonly tail = new CommittedTail();
  private elsewhereHead = 0;

  constructor(
    options: GroupCommitEventStoreOptions,
    private readonly pollIntervalMs: number,
  ) {
    this.upcasters = options.upcasters ?? new UpcasterChain();
    this.queue = new GroupCommitQueue((requests) => this.commitGroup(requests), {
      maxGroupEvents: options.maxGroupEvents,
      metrics: options.metrics,
      onCommitted: () => this.signal.notify(),
    });
  }

  append(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    let serialized;
    try {
      serialized = serializeEvents(events);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.queue.enqueue({ streamId, events: serialized, expectedRevision: options.expectedRevision ?? 'any', alsoExpect: options.alsoExpect });
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    if (this.closed) return Promise.reject(new EventStoreClosedError());
    return this.readCommittedAfter(options.after ?? 0, options.maxCount ?? Number.MAX_SAFE_INTEGER);
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    if (this.closing) throw new EventStoreClosedError();
    this.beforeSubscribe();
    const inner = new CatchUpSubscription((after, limit) => this.readCommittedAfter(after, limit), this.signal, options, this.pollIntervalMs);
    const subscription: Subscription = {
      get checkpoint() {
        return inner.checkpoint;
      },
      stop: async () => {
        await inner.stop();
        this.subscriptions.delete(subscription);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    // Subscriptions first, so none sees a read fail because the store closed under it.
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.queue.close();
    this.closed = true;
    await this.release();
  }

  abstract readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  abstract headPosition(): Promise<number>;
  abstract ping(): Promise<void>;

  /** One transaction for the whole group: look up, plan (planGroup), insert, commit. */
  protected abstract commitGroup(requests: AppendRequest[]): Promise<AppendOutcome[]>;
  /** Committed events with position > after, in order, at most limit, upcast. */
  protected abstract readAfter(after: number, limit: number): Promise<RecordedEvent[]>;

  /**
   * Adapters call this once a group's transaction has committed, with the rows as inserted (positions
   * assigned) and the recorded_at they stored, so reads that follow the head are answered from memory.
   */
  protected committed(rows: readonly EventRow[], recordedAt: string): void {
    try {
      this.tail.remember(rows, recordedAt, (iso) => this.storedTime(iso));
    } catch {
      // An instant this process cannot restate as the database does: forget the tail, reads go to the database.
      this.tail.clear();
    }
  }

  /** The last position this process committed and signalled (0 when unknown). */
  protected get committedHead(): number {
    return this.tail.lastPosition;
  }

  /**
   * Another process said it committed up to `position` (PostgreSQL's notification). Until the tail
   * reaches it, reads go to the database: the tail alone would end a reader short of those events,
   * and their signal may already have been spent.
   */
  protected committedElsewhere(position: number): void {
    if (position > this.elsewhereHead) this.elsewhereHead = position;
  }

  /** An instant as a read of the events table returns it (PostgreSQL's timestamptz comes back normalised). */
  protected storedTime(iso: string): string {
    return iso;
  }

  private readCommittedAfter(after: number, limit: number): Promise<RecordedEvent[]> {
    if (this.closed) return this.readAfter(after, limit);
    const rows = this.tail.lastPosition >= this.elsewhereHead ? this.tail.after(after, limit) : undefined;
    if (!rows) return this.readAfter(after, limit);
    try {
      return Promise.resolve(rows.map((row) => toRecordedEvent(row, this.upcasters)));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  /** Called before each new subscription (the PostgreSQL adapter starts LISTEN here). */
  protected beforeSubscribe(): void {}
  /** Frees connections once subscriptions and the writer are done. */
  protected abstract release(): Promise<void>;
}

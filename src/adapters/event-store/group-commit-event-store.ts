import { serializeEvents, type AppendOutcome, type AppendRequest } from './append-plan.js';
import { CatchUpSubscription } from './catch-up-subscription.js';
import type { NewEvent, RecordedEvent } from './event-envelope.js';
import { EventStoreClosedError } from './event-store-closed.error.js';
import type { EventStoreMetrics } from './event-store-metrics.js';
import type {
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeToAllOptions,
  Subscription,
} from './event-store.port.js';
import type { ExpectedRevision } from './expected-revision.js';
import { GroupCommitQueue } from './group-commit-queue.js';
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

  append(
    streamId: string,
    events: NewEvent[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    let serialized;
    try {
      serialized = serializeEvents(events);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.queue.enqueue({ streamId, events: serialized, expectedRevision: options.expectedRevision ?? 'any' });
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    if (this.closed) return Promise.reject(new EventStoreClosedError());
    return this.readAfter(options.after ?? 0, options.maxCount ?? Number.MAX_SAFE_INTEGER);
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    if (this.closing) throw new EventStoreClosedError();
    this.beforeSubscribe();
    const inner = new CatchUpSubscription((after, limit) => this.readAfter(after, limit), this.signal, options, this.pollIntervalMs);
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
  /** Called before each new subscription (the PostgreSQL adapter starts LISTEN here). */
  protected beforeSubscribe(): void {}
  /** Frees connections once subscriptions and the writer are done. */
  protected abstract release(): Promise<void>;
}

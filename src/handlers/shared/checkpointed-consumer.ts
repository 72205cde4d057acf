import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import type { EventStore } from '../../adapters/event-store/event-store.port.js';
import { ResubscribingSubscription } from '../../adapters/event-store/resubscribing-subscription.js';
import type { SqlDatabase, SqlExecutor } from '../../adapters/sql/sql-database.js';
import { DeferredCheckpoint } from './deferred-checkpoint.js';

export interface CheckpointedConsumerOptions {
  store: EventStore;
  /** Holds the checkpoint (the read-model database's checkpoints table). */
  db: SqlDatabase;
  /** The checkpoint's row. */
  name: string;
  /** Does a batch's work; the checkpoint moves past the batch only once it resolves. */
  handle(events: RecordedEvent[]): Promise<void>;
  batchSize: number;
  /** See DeferredCheckpoint (default 1,000 events or 1 s). */
  checkpointEvery?: { events: number; ms: number };
  now?: () => number;
  /** Wait before re-subscribing after a failed batch. */
  retryDelayMs?: number;
  /** Checked in the checkpoint write's transaction: throws when this process lost the lease. */
  fence?: (tx: SqlExecutor) => Promise<void>;
  onError?(error: unknown): void;
}

/**
 * A subscriber on $all whose work is idempotent, from its own deferred checkpoint: a failed batch is
 * retried after a pause, and a crash re-delivers at most what the checkpoint had not written yet.
 * The process manager runner and the network attachment reconciler are two.
 */
export class CheckpointedConsumer {
  private readonly subscription: ResubscribingSubscription;
  private readonly checkpoint: DeferredCheckpoint;

  constructor(options: CheckpointedConsumerOptions) {
    this.checkpoint = new DeferredCheckpoint({
      db: options.db,
      name: options.name,
      every: options.checkpointEvery,
      now: options.now,
      fence: options.fence,
      onError: options.onError,
    });
    this.subscription = new ResubscribingSubscription({
      store: options.store,
      after: () => this.checkpoint.position,
      onEvents: async (events) => {
        await options.handle(events);
        const last = events[events.length - 1];
        if (last) await this.checkpoint.advance(last.position, events.length);
      },
      batchSize: options.batchSize,
      retryDelayMs: options.retryDelayMs ?? 1_000,
      onError: options.onError,
    });
  }

  /** Handled up to here: resubscriptions start after it. */
  get position(): number {
    return this.checkpoint.position;
  }

  /** The error of the last failed batch while it waits to retry it. */
  get error(): unknown {
    return this.subscription.error;
  }

  async start(): Promise<void> {
    await this.checkpoint.load();
    this.subscription.start();
  }

  /** Stops after the batch in hand and writes the checkpoint it reached. */
  async stop(): Promise<void> {
    await this.subscription.stop();
    await this.checkpoint.close();
  }
}

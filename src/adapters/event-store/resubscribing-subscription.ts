import type { RecordedEvent } from './event-envelope.js';
import type { EventStore, Subscription } from './event-store.port.js';

export interface ResubscribingOptions {
  store: EventStore;
  /** Where to start, asked again at every (re)subscription: the consumer's committed checkpoint. */
  after(): number;
  onEvents(events: RecordedEvent[]): Promise<void>;
  batchSize: number;
  /** Wait before subscribing again after a failed batch (a store or Redis outage). */
  retryDelayMs: number;
  onError?(error: unknown): void;
}

/**
 * A catch-up subscription that comes back after a failure: a batch that failed was not committed, so
 * subscribing again from the consumer's checkpoint redelivers exactly what was lost.
 */
export class ResubscribingSubscription {
  private subscription: Subscription | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private running = false;
  private lastError: unknown;

  constructor(private readonly options: ResubscribingOptions) {}

  /** The error of the last failed batch while waiting to retry; undefined once a retry started. */
  get error(): unknown {
    return this.lastError;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.subscribe();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
  }

  private subscribe(): void {
    const { store, batchSize, onEvents } = this.options;
    this.subscription = store.subscribeToAll({
      after: this.options.after(),
      batchSize,
      onEvents,
      onError: (error) => this.failed(error),
    });
  }

  private failed(error: unknown): void {
    this.lastError = error;
    this.options.onError?.(error);
    this.subscription = undefined;
    if (!this.running) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.running) return;
      this.lastError = undefined;
      this.subscribe();
    }, this.options.retryDelayMs);
  }
}

import type { RecordedEvent } from './event-envelope.js';
import type { SubscribeToAllOptions, Subscription } from './event-store.port.js';
import type { WakeSignal } from './wake-signal.js';

/** Reads committed events with position > after, in position order, at most limit. */
export type ReadAfter = (after: number, limit: number) => Promise<RecordedEvent[]>;

/**
 * One loop for catch-up and live: it always reads from the last delivered position, so the switch
 * from catching up to following live cannot leave a gap or deliver twice. When a read comes back
 * empty it sleeps until a commit is signalled (this process, or LISTEN/NOTIFY) or the poll interval
 * passes (commits by other processes with no notification channel).
 */
export class CatchUpSubscription implements Subscription {
  private position: number;
  private stopped = false;
  private readonly done: Promise<void>;
  private readonly abort = new AbortController();

  constructor(
    private readonly readAfter: ReadAfter,
    private readonly signal: WakeSignal,
    private readonly options: SubscribeToAllOptions,
    private readonly pollIntervalMs: number,
  ) {
    this.position = options.after;
    this.done = this.run();
  }

  get checkpoint(): number {
    return this.position;
  }

  /** Do not await this inside onEvents: it waits for that very batch. */
  stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    return this.done;
  }

  private async run(): Promise<void> {
    const batchSize = Math.max(1, this.options.batchSize ?? 500);
    // Start on a later tick so the caller holds the Subscription before the first batch arrives.
    await Promise.resolve();
    try {
      while (!this.stopped) {
        const seen = this.signal.version;
        const events = await this.readAfter(this.position, batchSize);
        if (this.stopped) break;
        if (events.length > 0) {
          await this.options.onEvents(events);
          this.position = events[events.length - 1]!.position;
          // A full batch may have more behind it: read on. A short one held every event committed
          // before the read began (commits become visible in position order), and any commit since
          // `seen` was signalled, so the wait returns at once if there is more; reading again here
          // would only find nothing, one wasted query per subscription per commit.
          if (events.length >= batchSize) continue;
        }
        await this.signal.wait(seen, this.pollIntervalMs, this.abort.signal);
      }
    } catch (error) {
      this.stopped = true;
      if (this.options.onError) this.options.onError(error);
      // With no error handler there is nobody to tell; say it rather than fail in silence.
      else console.error('Event store subscription stopped', error);
    }
  }
}

import type { NewEvent, RecordedEvent } from '../../../src/adapters/event-store/event-envelope.js';
import type { AppendResult, EventStore, ReadAllOptions, ReadStreamOptions, SubscribeToAllOptions, Subscription } from '../../../src/adapters/event-store/event-store.port.js';
import { UpcasterChain } from '../../../src/adapters/event-store/upcaster.js';
import { upcasters } from '../../../src/domain/upcasters.js';

/**
 * A minimal EventStore for the projection runner's unit tests: no expected-revision checks, a
 * subscription that catches up and then waits for appends. The real adapters have their own contract suite.
 */
export class InMemoryEventStore implements EventStore {
  private readonly events: RecordedEvent[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly chain = new UpcasterChain(upcasters);
  /** Makes the next readAll throw, to test the runner's retry. */
  failNextRead: Error | undefined;

  async append(streamId: string, events: NewEvent[]): Promise<AppendResult> {
    let revision = this.events.filter((e) => e.streamId === streamId).length - 1;
    const positions: number[] = [];
    for (const event of events) {
      revision += 1;
      const position = this.events.length + 1;
      this.events.push({ ...event, streamId, revision, position, recordedAt: new Date().toISOString() });
      positions.push(position);
    }
    for (const listener of this.listeners) listener();
    return { nextExpectedRevision: revision, positions, lastPosition: positions[positions.length - 1] ?? 0 };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const stream = this.events.filter((e) => e.streamId === streamId && e.revision >= (options.fromRevision ?? 0));
    return stream.slice(0, options.maxCount ?? stream.length).map((e) => this.upcast(e));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    if (this.failNextRead) {
      const error = this.failNextRead;
      this.failNextRead = undefined;
      throw error;
    }
    const after = options.after ?? 0;
    return this.events.slice(after, after + (options.maxCount ?? this.events.length)).map((e) => this.upcast(e));
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    let checkpoint = options.after;
    let stopped = false;
    let wake: (() => void) | undefined;
    const listener = (): void => wake?.();
    this.listeners.add(listener);
    const loop = (async () => {
      try {
        while (!stopped) {
          const batch = await this.readAll({ after: checkpoint, maxCount: options.batchSize ?? 100 });
          if (batch.length === 0) {
            await new Promise<void>((resolve) => (wake = resolve));
            continue;
          }
          await options.onEvents(batch);
          checkpoint = batch[batch.length - 1]!.position;
        }
      } catch (error) {
        stopped = true;
        options.onError?.(error);
      } finally {
        this.listeners.delete(listener);
      }
    })();
    return {
      get checkpoint() {
        return checkpoint;
      },
      async stop() {
        stopped = true;
        wake?.();
        await loop;
      },
    };
  }

  async headPosition(): Promise<number> {
    return this.events.length;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  private upcast(event: RecordedEvent): RecordedEvent {
    const { schemaVersion, data } = this.chain.upcast(event.type, event.schemaVersion, event.data);
    return { ...event, schemaVersion, data };
  }
}

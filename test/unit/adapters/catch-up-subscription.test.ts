import type { RecordedEvent } from '../../../src/adapters/event-store/event-envelope.js';
import { CatchUpSubscription } from '../../../src/adapters/event-store/catch-up-subscription.js';
import { WakeSignal } from '../../../src/adapters/event-store/wake-signal.js';

const recorded = (position: number): RecordedEvent => ({
  id: `e-${position}`,
  type: 'Noted',
  schemaVersion: 1,
  data: {},
  metadata: { requestId: 'req-1', correlationId: 'c', causationId: 'c', actor: { userId: 'u', projectId: 'p', roles: [] } },
  occurredAt: '2026-01-01T00:00:00.000Z',
  streamId: 's',
  revision: position - 1,
  position,
  recordedAt: '2026-01-01T00:00:00.000Z',
});

/** A log the test appends to by hand, counting the subscription's reads. */
class Log {
  readonly events: RecordedEvent[] = [];
  reads = 0;
  readonly signal = new WakeSignal();
  append(n: number): void {
    for (let i = 0; i < n; i++) this.events.push(recorded(this.events.length + 1));
    this.signal.notify();
  }
  readAfter = async (after: number, limit: number): Promise<RecordedEvent[]> => {
    this.reads++;
    return this.events.filter((e) => e.position > after).slice(0, limit);
  };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('CatchUpSubscription', () => {
  it('given a short batch delivered, when nothing more is committed, then it waits for a signal instead of reading again', async () => {
    const log = new Log();
    log.append(3);
    const received: number[] = [];
    const subscription = new CatchUpSubscription(log.readAfter, log.signal, { after: 0, batchSize: 10, onEvents: async (b) => void received.push(...b.map((e) => e.position)) }, 60_000);

    await settle();
    expect(received).toEqual([1, 2, 3]);
    expect(log.reads).toBe(1);

    log.append(2);
    await settle();
    await subscription.stop();

    expect(received).toEqual([1, 2, 3, 4, 5]);
    expect(log.reads).toBe(2);
  });

  it('given a commit signalled while a batch is being handled, when the handler returns, then it reads again at once', async () => {
    const log = new Log();
    log.append(1);
    const received: number[] = [];
    const subscription = new CatchUpSubscription(
      log.readAfter,
      log.signal,
      {
        after: 0,
        batchSize: 10,
        onEvents: async (b) => {
          received.push(...b.map((e) => e.position));
          if (received.length === 1) log.append(1);
        },
      },
      60_000,
    );

    await settle();
    await subscription.stop();

    expect(received).toEqual([1, 2]);
  });

  it('given a full batch, when it is handled, then it reads on without waiting for a signal', async () => {
    const log = new Log();
    log.append(5);
    const received: number[] = [];
    // No signal will come: the events are all there before the subscription starts.
    const subscription = new CatchUpSubscription(log.readAfter, new WakeSignal(), { after: 0, batchSize: 2, onEvents: async (b) => void received.push(...b.map((e) => e.position)) }, 60_000);

    await settle();
    await subscription.stop();

    expect(received).toEqual([1, 2, 3, 4, 5]);
  });
});

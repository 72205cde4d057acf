import { v7 as uuidv7 } from 'uuid';
import type { NewEvent, RecordedEvent } from '../../src/adapters/event-store/event-envelope.js';
import { EventIdConflictError } from '../../src/adapters/event-store/event-id-conflict.error.js';
import type { EventStoreMetrics } from '../../src/adapters/event-store/event-store-metrics.js';
import type { EventStore } from '../../src/adapters/event-store/event-store.port.js';
import { UpcasterChain } from '../../src/adapters/event-store/upcaster.js';
import { WrongExpectedVersionError } from '../../src/adapters/event-store/wrong-expected-version.error.js';
import { MigrationRunner } from '../../src/adapters/sql/migration-runner.js';
import type { SqlDatabase } from '../../src/adapters/sql/sql-database.js';

export interface StoreOptions {
  upcasters?: UpcasterChain;
  metrics?: EventStoreMetrics;
}

/** One fresh, migrated database per test; stores opened on it are closed by dispose. */
export interface EventStoreFixture {
  db: SqlDatabase;
  /** A store over the fixture's database; several may share it, as several processes would. */
  openStore(options?: StoreOptions): Promise<EventStore>;
  /** Another connection (pool) to the same database, for runners that start together. */
  openDatabase(): SqlDatabase;
  dispose(): Promise<void>;
}

export function event(type = 'ServerCreated', data: unknown = { name: 'vm' }, schemaVersion = 1): NewEvent {
  return {
    id: uuidv7(),
    type,
    schemaVersion,
    data,
    metadata: {
      requestId: `req-${uuidv7()}`,
      correlationId: uuidv7(),
      causationId: uuidv7(),
      actor: { userId: 'u-1', projectId: 'p-1', roles: ['member'] },
    },
    occurredAt: '2026-01-02T03:04:05.678Z',
  };
}

export const events = (n: number, type?: string): NewEvent[] => Array.from({ length: n }, (_, i) => event(type, { i }));
export const stream = (): string => `vm-${uuidv7()}`;

export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** Resolves once check() holds, polling; fails after timeoutMs. */
export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function collect(store: EventStore, after = 0, batchSize?: number) {
  const received: RecordedEvent[] = [];
  const subscription = store.subscribeToAll({
    after,
    batchSize,
    onEvents: async (batch) => void received.push(...batch),
  });
  return { received, subscription };
}

/**
 * The EventStore contract: every adapter passes this one suite. `setup` gives each test a fresh
 * database, so positions start at 1 in every test.
 */
export function describeEventStoreContract(name: string, setup: () => Promise<EventStoreFixture>): void {
  describe(`EventStore contract: ${name}`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;

    beforeEach(async () => {
      fixture = await setup();
      store = await fixture.openStore();
    });

    afterEach(async () => {
      await fixture?.dispose();
    });

    describe('append and read', () => {
      it('given no stream, when appending a batch, then it lands at revisions 0.. and positions 1..', async () => {
        const id = stream();
        const batch = events(3);

        const result = await store.append(id, batch, { expectedRevision: 'no_stream' });

        expect(result).toEqual({ nextExpectedRevision: 2, positions: [1, 2, 3], lastPosition: 3 });
        const read = await store.readStream(id);
        expect(read.map((e) => [e.revision, e.position])).toEqual([[0, 1], [1, 2], [2, 3]]);
        expect(read[0]).toMatchObject({ ...batch[0], streamId: id });
        expect(Date.parse(read[0]!.recordedAt)).not.toBeNaN();
        expect(await store.headPosition()).toBe(3);
      });

      it('given a stream, when reading forwards or backwards from a revision with maxCount, then it pages', async () => {
        const id = stream();
        await store.append(id, events(5));

        const revisions = async (options: Parameters<EventStore['readStream']>[1]) =>
          (await store.readStream(id, options)).map((e) => e.revision);

        expect(await revisions({ fromRevision: 2 })).toEqual([2, 3, 4]);
        expect(await revisions({ fromRevision: 1, maxCount: 2 })).toEqual([1, 2]);
        expect(await revisions({ direction: 'backwards' })).toEqual([4, 3, 2, 1, 0]);
        expect(await revisions({ direction: 'backwards', maxCount: 2 })).toEqual([4, 3]);
        expect(await revisions({ direction: 'backwards', fromRevision: 2, maxCount: 2 })).toEqual([2, 1]);
        expect(await store.readStream(stream())).toEqual([]);
      });

      it('given several streams, when reading all, then it pages in global order from an exclusive position', async () => {
        const [a, b] = [stream(), stream()];
        await store.append(a, events(2));
        await store.append(b, events(2));
        await store.append(a, events(1));

        const page1 = await store.readAll({ after: 0, maxCount: 2 });
        const page2 = await store.readAll({ after: 2, maxCount: 2 });
        const page3 = await store.readAll({ after: 4, maxCount: 2 });

        expect(page1.map((e) => e.position)).toEqual([1, 2]);
        expect(page2.map((e) => [e.position, e.streamId])).toEqual([[3, b], [4, b]]);
        expect(page3.map((e) => [e.position, e.streamId, e.revision])).toEqual([[5, a, 2]]);
        expect(await store.readAll({ after: 5 })).toEqual([]);
        expect((await store.readAll()).length).toBe(5);
      });

      it('given an empty store, then head position is 0 and ping answers', async () => {
        expect(await store.headPosition()).toBe(0);
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('expected revision', () => {
      it.each([
        ['no_stream', 'existing', 1],
        ['stream_exists', 'missing', -1],
        [0, 'existing', 1],
        [5, 'missing', -1],
      ] as const)('when expecting %s on a %s stream, then WrongExpectedVersion carries actual %s', async (expected, state, actual) => {
        const id = stream();
        if (state === 'existing') await store.append(id, events(2));

        const error = await rejectionOf(store.append(id, events(1), { expectedRevision: expected }));

        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamId: id, expectedRevision: expected, actualRevision: actual });
      });

      it('when the expectation holds, then the append succeeds (no_stream, exact, stream_exists, any)', async () => {
        const id = stream();
        await store.append(id, events(1), { expectedRevision: 'no_stream' });
        await store.append(id, events(1), { expectedRevision: 0 });
        await store.append(id, events(1), { expectedRevision: 'stream_exists' });
        const result = await store.append(id, events(1), { expectedRevision: 'any' });
        expect(result.nextExpectedRevision).toBe(3);
      });

      it('when an append is empty, then it only checks the revision', async () => {
        const id = stream();
        await store.append(id, events(2));
        await expect(store.append(id, [], { expectedRevision: 1 })).resolves.toEqual({
          nextExpectedRevision: 1,
          positions: [],
          lastPosition: 0,
        });
        await expect(store.append(id, [], { expectedRevision: 0 })).rejects.toBeInstanceOf(WrongExpectedVersionError);
      });
    });

    describe('other streams the decision was made on (alsoExpect)', () => {
      it('given another stream that moved, when appending while expecting its old revision, then WrongExpectedVersion names it and nothing is stored', async () => {
        const flavor = `flavor-${uuidv7()}`;
        await store.append(flavor, events(1));
        await store.append(flavor, events(1));
        const head = await store.headPosition();

        const error = await rejectionOf(store.append(stream(), events(1), { expectedRevision: 'no_stream', alsoExpect: [{ streamId: flavor, revision: 0 }] }));

        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamId: flavor, actualRevision: 1 });
        expect(await store.headPosition()).toBe(head);
      });

      it('when the other streams are where the caller read them (-1: absent), then the append lands', async () => {
        const flavor = `flavor-${uuidv7()}`;
        await store.append(flavor, events(2));
        const id = stream();

        const result = await store.append(id, events(1), { expectedRevision: 'no_stream', alsoExpect: [{ streamId: flavor, revision: 1 }, { streamId: `image-${uuidv7()}`, revision: -1 }] });

        expect(result.nextExpectedRevision).toBe(0);
        expect(await store.readStream(id)).toHaveLength(1);
      });

      it('given two appends in one group, when the first moves a stream the second expected unchanged, then only the second is refused', async () => {
        const flavor = `flavor-${uuidv7()}`;
        await store.append(flavor, events(1));

        const [moved, create] = await Promise.allSettled([
          store.append(flavor, events(1), { expectedRevision: 0 }),
          store.append(stream(), events(1), { alsoExpect: [{ streamId: flavor, revision: 0 }] }),
        ]);

        expect(moved.status).toBe('fulfilled');
        expect(create.status).toBe('rejected');
        expect((create as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
      });
    });

    describe('atomic batches', () => {
      it('when a batch is rejected, then none of it is stored', async () => {
        const id = stream();
        await store.append(id, events(1));
        const repeated = event();

        await expect(store.append(id, events(3), { expectedRevision: 5 })).rejects.toBeInstanceOf(WrongExpectedVersionError);
        const duplicate = await rejectionOf(store.append(id, [event(), repeated, repeated]));
        const unserializable = await rejectionOf(store.append(id, [event(), event('X', { n: 1n })]));

        expect(duplicate).toBeInstanceOf(EventIdConflictError);
        expect(duplicate).toMatchObject({ reason: 'duplicate_in_batch', eventIds: [repeated.id] });
        expect(unserializable).toBeInstanceOf(TypeError);
        expect((await store.readStream(id)).length).toBe(1);
        expect(await store.headPosition()).toBe(1);
      });
    });

    describe('idempotent retries', () => {
      it('given an appended batch, when the same ids are appended again, then the original result comes back', async () => {
        const id = stream();
        const batch = events(2);
        const original = await store.append(id, batch, { expectedRevision: 'no_stream' });
        await store.append(id, events(1));

        const retry = await store.append(id, batch, { expectedRevision: 'no_stream' });

        expect(retry).toEqual(original);
        expect((await store.readStream(id)).length).toBe(3);
      });

      it('when the same append is issued twice at once, then both get the same positions and it is stored once', async () => {
        const id = stream();
        const batch = events(2);

        const [first, second] = await Promise.all([
          store.append(id, batch, { expectedRevision: 'no_stream' }),
          store.append(id, batch, { expectedRevision: 'no_stream' }),
        ]);

        expect(second).toEqual(first);
        expect((await store.readAll()).length).toBe(2);
      });

      it('when only some ids of a batch exist, then it is a conflict and nothing is stored', async () => {
        const id = stream();
        const batch = events(2);
        await store.append(id, batch);
        const fresh = event();

        const error = await rejectionOf(store.append(id, [batch[0]!, fresh]));

        expect(error).toBeInstanceOf(EventIdConflictError);
        expect(error).toMatchObject({ streamId: id, reason: 'partial_retry', eventIds: [fresh.id] });
        expect(await store.headPosition()).toBe(2);
      });

      it('when a batch starts with new ids and ends with stored ones, then it is a conflict and its neighbours still land', async () => {
        const id = stream();
        const batch = events(2);
        await store.append(id, batch);
        const fresh = event();

        const [conflict, neighbour] = await Promise.allSettled([
          store.append(id, [fresh, batch[1]!]),
          store.append(stream(), events(1)),
        ]);

        expect(conflict).toMatchObject({ status: 'rejected', reason: { name: 'EventIdConflictError', reason: 'partial_retry' } });
        expect(neighbour.status).toBe('fulfilled');
        expect(await store.headPosition()).toBe(3);
      });

      it('when an id exists in another stream, then it is a conflict', async () => {
        const batch = events(1);
        await store.append(stream(), batch);

        const error = await rejectionOf(store.append(stream(), batch));

        expect(error).toBeInstanceOf(EventIdConflictError);
        expect(error).toMatchObject({ reason: 'other_stream', eventIds: [batch[0]!.id] });
      });
    });

    describe('concurrency', () => {
      it('when many callers append to distinct streams at once, then all land with distinct consecutive positions', async () => {
        const ids = Array.from({ length: 200 }, stream);

        const results = await Promise.all(ids.map((id) => store.append(id, events(2), { expectedRevision: 'no_stream' })));

        const positions = results.flatMap((r) => r.positions).sort((a, b) => a - b);
        expect(positions).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
        const all = await store.readAll();
        expect(all.map((e) => e.position)).toEqual(positions);
        for (const [i, id] of ids.entries()) {
          expect((await store.readStream(id)).map((e) => e.position)).toEqual(results[i]!.positions);
        }
      });

      it('when many callers append to one stream with the same expected revision, then exactly one wins each round', async () => {
        const id = stream();
        await store.append(id, events(1));
        const other = await fixture.openStore();

        for (let round = 0; round < 5; round++) {
          const expected = round;
          const attempts = Array.from({ length: 32 }, (_, i) =>
            (i % 2 ? other : store).append(id, events(1), { expectedRevision: expected }),
          );
          const settled = await Promise.allSettled(attempts);
          const won = settled.filter((s) => s.status === 'fulfilled');
          const lost = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
          expect(won.length).toBe(1);
          for (const l of lost) expect(l.reason).toMatchObject({ name: 'WrongExpectedVersionError', actualRevision: expected + 1 });
        }
        expect((await store.readStream(id)).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5]);
      });

      it('when requests of one group fail, then the others in it still succeed', async () => {
        const [a, b] = [stream(), stream()];
        await store.append(a, events(1));

        const [good, stale, conflict, alsoGood] = await Promise.allSettled([
          store.append(b, events(1), { expectedRevision: 'no_stream' }),
          store.append(a, events(1), { expectedRevision: 'no_stream' }),
          store.append(b, [event(), event()].map((e, _, all) => ({ ...e, id: all[0]!.id }))),
          store.append(a, events(1), { expectedRevision: 0 }),
        ]);

        expect(good.status).toBe('fulfilled');
        expect(stale).toMatchObject({ status: 'rejected', reason: expect.any(WrongExpectedVersionError) });
        expect(conflict).toMatchObject({ status: 'rejected', reason: expect.any(EventIdConflictError) });
        expect(alsoGood).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1 } });
      });
    });

    describe('subscriptions', () => {
      it('given events, when subscribing from 0 and appending while it catches up and after, then each arrives once, in order', async () => {
        const id = stream();
        await store.append(id, events(10));
        const received: RecordedEvent[] = [];
        let appendedDuringCatchUp = false;
        const subscription = store.subscribeToAll({
          after: 0,
          batchSize: 3,
          onEvents: async (batch) => {
            received.push(...batch);
            if (!appendedDuringCatchUp) {
              appendedDuringCatchUp = true;
              await store.append(id, events(5));
            }
          },
        });

        await eventually(() => received.length >= 15);
        await store.append(stream(), events(3));
        await eventually(() => received.length >= 18);
        await subscription.stop();

        expect(received.map((e) => e.position)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
        expect(subscription.checkpoint).toBe(18);
      });

      it('given a checkpoint, when subscribing, then delivery starts after it', async () => {
        await store.append(stream(), events(6));
        const { received, subscription } = collect(store, 4);

        await eventually(() => received.length >= 2);
        await subscription.stop();

        expect(received.map((e) => e.position)).toEqual([5, 6]);
      });

      it('when a live subscription is idle, then an append wakes it promptly', async () => {
        const { received, subscription } = collect(store);
        await new Promise((r) => setTimeout(r, 50));

        const started = Date.now();
        await store.append(stream(), events(1));
        await eventually(() => received.length === 1);
        await subscription.stop();

        expect(Date.now() - started).toBeLessThan(250);
      });

      it('when the handler throws, then onError gets the error and the subscription stops', async () => {
        await store.append(stream(), events(2));
        const failure = new Error('projection failed');
        let reported: unknown;
        const subscription = store.subscribeToAll({
          after: 0,
          onEvents: async () => {
            throw failure;
          },
          onError: (error) => (reported = error),
        });

        await eventually(() => reported !== undefined);
        await subscription.stop();

        expect(reported).toBe(failure);
        expect(subscription.checkpoint).toBe(0);
      });

      it('when stopped, then no batch is in flight and none starts', async () => {
        let inFlight = 0;
        let deliveries = 0;
        const subscription = store.subscribeToAll({
          after: 0,
          batchSize: 1,
          onEvents: async () => {
            inFlight++;
            deliveries++;
            await new Promise((r) => setTimeout(r, 20));
            inFlight--;
          },
        });
        await store.append(stream(), events(5));
        await eventually(() => deliveries >= 1);

        await subscription.stop();
        const after = deliveries;
        await store.append(stream(), events(2));
        await new Promise((r) => setTimeout(r, 100));

        expect(inFlight).toBe(0);
        expect(deliveries).toBe(after);
      });
    });

    describe('reads that follow the head (answered from what this store just committed)', () => {
      it('given events with instants in several ISO forms, when this store and another read them, then both give the same events', async () => {
        const forms = ['2026-01-02T03:04:05Z', '2026-01-02T04:04:05.123456+01:00', '2026-01-02T03:04:05.5Z', '2026-01-02T03:04:05.678Z'];
        await store.append(stream(), forms.map((occurredAt, i) => ({ ...event('ServerCreated', { i, text: 'é"\\' }), occurredAt })));
        const other = await fixture.openStore();

        const mine = await store.readAll({ after: 0 });
        const theirs = await other.readAll({ after: 0 });

        expect(mine).toHaveLength(forms.length);
        expect(mine).toEqual(theirs);
      });

      it('given appends interleaved with another store, when each reads and subscribes, then every event arrives once, in order', async () => {
        const other = await fixture.openStore();
        await store.append(stream(), events(3));
        await other.append(stream(), events(2));
        await store.append(stream(), events(2));

        expect((await store.readAll({ after: 3 })).map((e) => e.position)).toEqual([4, 5, 6, 7]);
        const mine = collect(store);
        const theirs = collect(other);
        await eventually(() => mine.received.length >= 7 && theirs.received.length >= 7);
        await other.append(stream(), events(1));
        await store.append(stream(), events(1));
        await eventually(() => mine.received.length >= 9 && theirs.received.length >= 9);
        await Promise.all([mine.subscription.stop(), theirs.subscription.stop()]);

        const all = Array.from({ length: 9 }, (_, i) => i + 1);
        expect(mine.received.map((e) => e.position)).toEqual(all);
        expect(theirs.received.map((e) => e.position)).toEqual(all);
        expect(mine.received).toEqual(await other.readAll({ after: 0 }));
      });
    });

    describe('upcasting', () => {
      it('given v1 events, when read through every path, then they come back as v2', async () => {
        const upcasters = new UpcasterChain([
          { type: 'ServerResized', fromVersion: 1, upcast: (d) => ({ ...(d as object), memoryMiB: (d as { memoryGiB: number }).memoryGiB * 1024 }) },
        ]);
        const id = stream();
        await store.append(id, [event('ServerResized', { memoryGiB: 2 }, 1)]);
        const upcasting = await fixture.openStore({ upcasters });
        const expected = { schemaVersion: 2, data: { memoryGiB: 2, memoryMiB: 2048 } };

        const { received, subscription } = collect(upcasting);
        await eventually(() => received.length === 1);
        await subscription.stop();

        expect((await upcasting.readStream(id))[0]).toMatchObject(expected);
        expect((await upcasting.readAll())[0]).toMatchObject(expected);
        expect(received[0]).toMatchObject(expected);
        expect((await store.readStream(id))[0]).toMatchObject({ schemaVersion: 1, data: { memoryGiB: 2 } });
      });
    });

    describe('metrics and lifecycle', () => {
      it('when appending, then the metrics hook hears the event count and a duration', async () => {
        const calls: Array<[number, number]> = [];
        const measured = await fixture.openStore({ metrics: { onAppend: (n, s) => void calls.push([n, s]) } });

        await measured.append(stream(), events(3));

        expect(calls).toEqual([[3, expect.any(Number)]]);
        expect(calls[0]![1]).toBeGreaterThanOrEqual(0);
      });

      it('given a closed store, when appending, then it is refused', async () => {
        const closing = await fixture.openStore();
        await closing.close();
        await expect(closing.append(stream(), events(1))).rejects.toMatchObject({ name: 'EventStoreClosedError' });
      });
    });

    describe('migrations', () => {
      it('given a migrated database, when migrating again (twice at once), then nothing is applied', async () => {
        const [first, second] = await Promise.all([
          new MigrationRunner(fixture.db).migrate(),
          new MigrationRunner(fixture.openDatabase()).migrate(),
        ]);

        expect([...first, ...second]).toEqual([]);
        const applied = await new MigrationRunner(fixture.db).applied();
        expect(applied.map((m) => Number(m.version))).toContain(1);
        expect(new Set(applied.map((m) => m.version)).size).toBe(applied.length);
      });
    });
  });
}

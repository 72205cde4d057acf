import type { SnapshotStore, StoredSnapshot } from '../../../src/adapters/snapshots/snapshot-store.port.js';
import type { SnapshotSupport } from '../../../src/domain/shared/decider.js';
import { SystemClock } from '../../../src/handlers/shared/clock.js';
import { SnapshotKeeper } from '../../../src/handlers/shared/snapshot-keeper.js';

/** A counter's state is its number; its snapshot is `{ n }`. */
const support: SnapshotSupport<number> = {
  version: 2,
  everyEvents: 10,
  toSnapshot: (n) => ({ n }),
  fromSnapshot: (data) => {
    const n = (data as { n?: unknown }).n;
    if (typeof n !== 'number') throw new Error('no n');
    return n;
  },
};

/** A store whose writes wait until released, recording what reached it. */
function gatedStore(stored: StoredSnapshot | null = null) {
  const written: StoredSnapshot[] = [];
  let release: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => (release = resolve));
  const store: SnapshotStore = {
    read: async () => stored,
    write: async (s) => (await gate, written.push(s), true),
    close: async () => undefined,
  };
  return { store, written, release: () => (release(), (gate = Promise.resolve())) };
}

describe('SnapshotKeeper', () => {
  it('given a write running for a stream, when newer writes are asked for meanwhile, then only the newest of them follows it', async () => {
    const { store, written, release } = gatedStore();
    const warnings: string[] = [];
    const keeper = new SnapshotKeeper(store, new SystemClock(), { warn: (m) => warnings.push(m) });

    keeper.writeLater('counter-1', 9, 10, support);
    await new Promise((resolve) => setImmediate(resolve));
    keeper.writeLater('counter-1', 19, 20, support);
    keeper.writeLater('counter-1', 29, 30, support);
    keeper.writeLater('counter-2', 9, 7, support);
    release();
    await keeper.settled();

    expect(written.filter((s) => s.streamId === 'counter-1').map((s) => [s.revision, s.data])).toEqual([
      [9, '{"n":10}'],
      [29, '{"n":30}'],
    ]);
    expect(written.find((s) => s.streamId === 'counter-2')).toMatchObject({ revision: 9, version: 2, data: '{"n":7}' });
    expect(warnings).toEqual([]);
  });

  it('given a stored snapshot of the current version, when restored, then its state and revision come back', async () => {
    const keeper = new SnapshotKeeper(gatedStore({ streamId: 's', revision: 41, version: 2, data: '{"n":42}', writtenAt: '2026-11-22T00:00:00.000Z' }).store, new SystemClock());
    expect(await keeper.restore('s', support)).toEqual({ revision: 41, state: 42 });
  });

  it.each([
    ['of another version', { version: 1, data: '{"n":42}' }, []],
    ['that is not JSON', { version: 2, data: '{"n":4' }, [expect.stringContaining('unreadable')]],
    ['that the decider refuses', { version: 2, data: '{"m":42}' }, [expect.stringContaining('no n')]],
  ])('given a snapshot %s, when restored, then null (fold instead)', async (_what, row, expectedWarnings) => {
    const warnings: string[] = [];
    const stored = { streamId: 's', revision: 41, writtenAt: '2026-11-22T00:00:00.000Z', ...row };
    const keeper = new SnapshotKeeper(gatedStore(stored).store, new SystemClock(), { warn: (m) => warnings.push(m) });

    expect(await keeper.restore('s', support)).toBeNull();
    expect(warnings).toEqual(expectedWarnings);
  });

  it('given a state whose snapshot cannot be serialised, when written, then the failure is logged and nothing is thrown', async () => {
    const { store, written, release } = gatedStore();
    release();
    const warnings: string[] = [];
    const keeper = new SnapshotKeeper(store, new SystemClock(), { warn: (m) => warnings.push(m) });
    const throwing: SnapshotSupport<number> = { ...support, toSnapshot: () => ({ big: 1n }) };

    keeper.writeLater('s', 9, 1, throwing);
    await keeper.settled();

    expect(written).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining('BigInt')]);
  });
});

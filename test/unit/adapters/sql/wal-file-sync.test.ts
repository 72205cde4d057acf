import { WalFileSync, type FileFlusher } from '../../../../src/adapters/sql/wal-file-sync.js';

/** A flusher whose datasyncs finish only when the test says so. */
function controlledFlusher() {
  const pending: Array<{ resolve(): void; reject(error: Error): void }> = [];
  const calls: string[] = [];
  const flusher: FileFlusher = {
    open: async (path) => (calls.push(`open ${path}`), 7),
    datasync: (fd) =>
      new Promise<void>((resolve, reject) => {
        calls.push(`datasync ${fd}`);
        pending.push({ resolve, reject });
      }),
    close: async (fd) => void calls.push(`close ${fd}`),
  };
  const settle = async (outcome: 'ok' | Error = 'ok'): Promise<void> => {
    // Let the flush reach its datasync first (open and the hops before it are asynchronous).
    for (let i = 0; i < 10 && pending.length === 0; i++) await Promise.resolve();
    const next = pending.shift();
    if (!next) throw new Error('no datasync is running');
    if (outcome === 'ok') next.resolve();
    else next.reject(outcome);
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  return { flusher, calls, settle, datasyncs: () => calls.filter((c) => c.startsWith('datasync')).length };
}

function tracked(promise: Promise<void>) {
  const state = { done: false, error: undefined as unknown };
  promise.then(
    () => (state.done = true),
    (error: unknown) => (state.error = error),
  );
  return state;
}

describe('WalFileSync', () => {
  it('given no flush running, when sync is asked, then it opens the WAL once and resolves when its datasync finishes', async () => {
    const f = controlledFlusher();
    const wal = new WalFileSync('/data/events.sqlite-wal', f.flusher);

    const first = tracked(wal.sync());
    await Promise.resolve();
    expect(first.done).toBe(false);
    await f.settle();

    expect(first.done).toBe(true);
    expect(f.calls).toEqual(['open /data/events.sqlite-wal', 'datasync 7']);
  });

  it('given a flush running, when more callers ask, then they share one following flush and wait for it, not the running one', async () => {
    const f = controlledFlusher();
    const wal = new WalFileSync('/w', f.flusher);
    const early = tracked(wal.sync());
    await Promise.resolve();

    const late1 = tracked(wal.sync());
    const late2 = tracked(wal.sync());
    await f.settle();

    expect(early.done).toBe(true);
    expect(late1.done).toBe(false);
    expect(late2.done).toBe(false);
    await f.settle();
    expect(late1.done && late2.done).toBe(true);
    expect(f.datasyncs()).toBe(2);
  });

  it('when a datasync fails, then its callers get the error and the next sync flushes again', async () => {
    const f = controlledFlusher();
    const wal = new WalFileSync('/w', f.flusher);
    const failed = tracked(wal.sync());
    const disk = new Error('EIO');
    await f.settle(disk);

    const retried = tracked(wal.sync());
    await f.settle();

    expect(failed.error).toBe(disk);
    expect(retried.done).toBe(true);
  });

  it('when closing, then it flushes once more after the running flushes, callers asking meanwhile share that flush, and the file is closed', async () => {
    const f = controlledFlusher();
    const wal = new WalFileSync('/w', f.flusher);
    const running = tracked(wal.sync());
    await Promise.resolve();

    const closed = tracked(wal.close());
    const afterClose = tracked(wal.sync());
    await f.settle();
    expect(running.done).toBe(true);
    expect(afterClose.done).toBe(false);
    await f.settle();

    expect(afterClose.done && closed.done).toBe(true);
    expect(f.calls).toEqual(['open /w', 'datasync 7', 'datasync 7', 'close 7']);
  });
});

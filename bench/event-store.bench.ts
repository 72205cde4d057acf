import { benchEvent } from './support/events.js';
import { fmt, pool, timed, type Rate } from './support/measure.js';
import { freshStorage, type StoreKind } from './support/stores.js';

export interface AppendFigures {
  sequentialSingle: Rate;
  concurrentSingle: Rate;
  batched: Rate;
}

/** Durable appends: one event per call (sequential, then 64 callers), and 100 events per call; fresh streams. */
export async function benchAppends(kind: StoreKind, scale: number): Promise<AppendFigures> {
  const storage = await freshStorage(kind);
  const { store } = storage;
  try {
    const sequentialCount = Math.round(2_000 * scale);
    const sequentialSingle = await timed(sequentialCount, async () => {
      for (let i = 0; i < sequentialCount; i++) await store.append(`bench-seq-${i}`, [benchEvent(i)], { expectedRevision: 'no_stream' });
    });
    const concurrentCount = Math.round(20_000 * scale);
    const concurrentSingle = await timed(concurrentCount, () =>
      pool(concurrentCount, 64, async (i) => {
        await store.append(`bench-con-${i}`, [benchEvent(i)], { expectedRevision: 'no_stream' });
      }),
    );
    const batches = Math.round(2_000 * scale);
    const batchedRate = await timed(batches * 100, () =>
      pool(batches, 16, async (i) => {
        const events = Array.from({ length: 100 }, (_, j) => benchEvent(i * 100 + j));
        await store.append(`bench-batch-${i}`, events, { expectedRevision: 'no_stream' });
      }),
    );
    return { sequentialSingle, concurrentSingle, batched: batchedRate };
  } finally {
    await storage.dispose();
  }
}

export function appendRows(kind: StoreKind, f: AppendFigures): string[] {
  return [
    `| ${kind} | single-event appends, sequential | ${fmt(f.sequentialSingle.perSecond)} appends/s | ${fmt(f.sequentialSingle.operations)} appends |`,
    `| ${kind} | single-event appends, 64 concurrent callers | ${fmt(f.concurrentSingle.perSecond)} appends/s | ${fmt(f.concurrentSingle.operations)} appends |`,
    `| ${kind} | batched appends, 100 events per call (16 callers) | ${fmt(f.batched.perSecond)} events/s | ${fmt(f.batched.operations)} events |`,
  ];
}

import { createAllProjections } from '../src/projections/all-projections.js';
import { rebuildProjections } from '../src/projections/rebuild.js';
import { fmt, pool, timed, type Rate } from './support/measure.js';
import { freshStorage, type StoreKind } from './support/stores.js';
import { vmHistory, vmStream } from './support/vm-history.js';

export interface ReplayFigures {
  events: number;
  generate: Rate;
  replay: Rate;
  peakRssMiB: number;
  /** Heap in use after each quarter of the replay: flat when memory does not grow with the log. */
  heapMiBByQuarter: number[];
}

/** Writes a log of at least `minEvents` events of realistic VM histories, then replays every projection from 0. */
export async function benchReplay(kind: StoreKind, minEvents: number): Promise<ReplayFigures> {
  const storage = await freshStorage(kind);
  const { store, readModelDb: db } = storage;
  try {
    const perVm = vmHistory(0, 0).length;
    const vms = Math.ceil(minEvents / perVm);
    const start = Date.UTC(2026, 0, 1);
    const generate = await timed(vms * perVm, () =>
      pool(vms, 64, async (i) => {
        const events = vmHistory(i, start + i * 60_000);
        await store.append(vmStream(events), events, { expectedRevision: 'no_stream' });
      }),
    );
    const head = await store.headPosition();

    global.gc?.();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const heapByQuarter: number[] = [];
    const projections = createAllProjections();
    const replay = await timed(head, async () => {
      await rebuildProjections({
        db,
        store,
        projections,
        names: 'all',
        batchSize: 2_000,
        onProgress: (position: number) => {
          const quarter = Math.floor((position / head) * 4);
          while (heapByQuarter.length < quarter) heapByQuarter.push(process.memoryUsage().heapUsed / 2 ** 20);
        },
      });
    });
    clearInterval(sampler);
    return { events: head, generate, replay, peakRssMiB: peakRss / 2 ** 20, heapMiBByQuarter: heapByQuarter };
  } finally {
    await storage.dispose();
  }
}

export function replayRows(kind: StoreKind, f: ReplayFigures): string[] {
  return [
    `| ${kind} | writing the replay log (18-event VM histories, 64 concurrent appends) | ${fmt(f.generate.perSecond)} events/s | ${fmt(f.events)} events |`,
    `| ${kind} | replay into all projections from position 0 | ${fmt(f.replay.perSecond)} events/s | ${fmt(f.events)} events in ${f.replay.seconds.toFixed(1)} s; peak RSS ${fmt(f.peakRssMiB)} MiB; heap by quarter ${f.heapMiBByQuarter.map((h) => fmt(h)).join(' / ')} MiB |`,
  ];
}

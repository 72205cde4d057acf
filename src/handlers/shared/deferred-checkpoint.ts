import type { SqlDatabase, SqlExecutor } from '../../adapters/sql/sql-database.js';
import { ensureCheckpoints, readCheckpoints, writeCheckpoint } from '../../projections/projection-checkpoints.js';

export interface DeferredCheckpointOptions {
  db: SqlDatabase;
  /** The row in the checkpoints table. */
  name: string;
  /** Written once this many events were handled since the last write, or once this long has passed (also when idle). Default 1,000 events or 1 s. */
  every?: { events: number; ms: number };
  now?: () => number;
  /** Checked in the write's transaction: throws when this process no longer holds the consumer's lease. */
  fence?: (tx: SqlExecutor) => Promise<void>;
  /** Where a write from the idle timer or from close() that failed is reported. */
  onError?(error: unknown): void;
}

/**
 * The position of a subscriber on $all whose work is idempotent, written to the checkpoints table
 * at most every `every` and on close rather than after every batch (a round trip each, on the path
 * of every command): a crash re-delivers at most that many events, which such a subscriber redoes
 * harmlessly. Writes run one after another, so the stored checkpoint never goes back.
 */
export class DeferredCheckpoint {
  /** Handled: what resubscriptions start after. */
  private handled = 0;
  /** As last written to the table. */
  private written = 0;
  private unwrittenEvents = 0;
  private lastWriteAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly every: { events: number; ms: number };
  private readonly now: () => number;

  constructor(private readonly options: DeferredCheckpointOptions) {
    this.every = options.every ?? { events: 1_000, ms: 1_000 };
    this.now = options.now ?? Date.now;
  }

  get position(): number {
    return this.handled;
  }

  /** Reads the stored checkpoint (made at 0 if absent) and starts from it. */
  async load(): Promise<number> {
    const { db, name } = this.options;
    await db.transaction((tx) => ensureCheckpoints(tx, [name]));
    this.handled = (await readCheckpoints(db, [name])).get(name) ?? 0;
    this.written = this.handled;
    this.lastWriteAt = this.now();
    return this.handled;
  }

  /** A batch of `events` events up to `position` is done: written now if it is time, else later. */
  async advance(position: number, events: number): Promise<void> {
    this.handled = position;
    this.unwrittenEvents += events;
    if (this.unwrittenEvents >= this.every.events || this.now() - this.lastWriteAt >= this.every.ms) await this.flush();
    else this.flushLater();
  }

  /** Writes what was handled (after the subscriber stopped). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush().catch((error: unknown) => this.options.onError?.(error));
  }

  /** An idle subscriber still writes what it handled, once `every.ms` has passed since the last write. */
  private flushLater(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastWriteAt + this.every.ms - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((error: unknown) => this.options.onError?.(error));
    }, wait);
    this.timer.unref();
  }

  private flush(): Promise<void> {
    const write = this.writing.then(async () => {
      if (this.handled === this.written) return;
      const position = this.handled;
      const events = this.unwrittenEvents;
      const { db, name, fence } = this.options;
      if (fence) {
        await db.transaction(async (tx) => {
          await fence(tx);
          await writeCheckpoint(tx, name, position);
        });
      } else {
        await writeCheckpoint(db, name, position);
      }
      this.written = position;
      this.unwrittenEvents -= events;
      this.lastWriteAt = this.now();
    });
    this.writing = write.catch(() => undefined);
    return write;
  }
}

import type { RecordedEvent } from '../adapters/event-store/event-envelope.js';
import type { SqlExecutor } from '../adapters/sql/sql-database.js';

/**
 * A read model folded from $all. The runner calls apply inside the transaction that also moves the
 * projection's checkpoint, so a crash never leaves a read model ahead of or behind its checkpoint.
 */
export interface Projection {
  /** Unique; the key of its checkpoint row. */
  readonly name: string;
  /** The tables it owns; a rebuild defers their secondary indexes (see deferred-indexes.ts). */
  readonly tables?: readonly string[];
  /** Folds a batch of consecutive events (position order, all past the checkpoint) into its tables. */
  apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void>;
  /** Deletes every row of its tables, for a rebuild from position 0. */
  reset(tx: SqlExecutor): Promise<void>;
}

import type { RecordedEvent } from '../adapters/event-store/event-envelope.js';
import type { SqlExecutor, SqlValue } from '../adapters/sql/sql-database.js';
import type { Projection } from './projection.js';
import { selectWhereIn, upsertRows } from './sql-batch.js';

export interface StreamRowSpec<View, Row> {
  name: string;
  table: string;
  /** One row per stream of this prefix (`vm-`, `flavor-`); the rest of the stream id is the row's id. */
  streamPrefix: string;
  columns: readonly string[];
  toRow(view: View, position: number): SqlValue[];
  fromRow(row: Row): View;
  /** The pure fold; returning the same object means the event changed nothing. */
  evolve(view: View | undefined, event: RecordedEvent): View | undefined;
  /** Tables kept from the same changes (reset with the main one). */
  derivedTables?: readonly string[];
  /** Keeps the derived tables, in the batch's transaction, from each changed row's view before and after the batch. */
  applyChanges?(changes: ReadonlyArray<{ before: View | undefined; after: View }>, tx: SqlExecutor): Promise<void>;
}

/**
 * A read model with one row per stream. Per batch it loads each affected row once, folds every event
 * in memory with the same pure evolve other readers use, and writes each changed row once: a replay
 * of millions of events does one read and one write per row and batch, not per event.
 */
export class StreamRowProjection<View, Row extends Record<string, unknown>> implements Projection {
  readonly name: string;
  readonly tables: string[];

  constructor(private readonly spec: StreamRowSpec<View, Row>) {
    this.name = spec.name;
    this.tables = [spec.table, ...(spec.derivedTables ?? [])];
  }

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const { streamPrefix, table, columns } = this.spec;
    const mine = events.filter((e) => e.streamId.startsWith(streamPrefix));
    if (mine.length === 0) return;
    const idOf = (e: RecordedEvent) => e.streamId.slice(streamPrefix.length);
    const views = new Map<string, View | undefined>();
    const rows = await selectWhereIn<Row>(tx, `SELECT ${columns.join(', ')} FROM ${table}`, 'id', [...new Set(mine.map(idOf))]);
    for (const row of rows) views.set(String(row.id), this.spec.fromRow(row));
    const loaded = new Map(views);

    const lastPosition = new Map<string, number>();
    for (const event of mine) {
      const id = idOf(event);
      const before = views.get(id);
      const after = this.spec.evolve(before, event);
      if (after !== before) {
        views.set(id, after);
        lastPosition.set(id, event.position);
      }
    }
    const changed: SqlValue[][] = [];
    const changes: Array<{ before: View | undefined; after: View }> = [];
    for (const [id, position] of lastPosition) {
      const view = views.get(id);
      if (!view) continue;
      changed.push(this.spec.toRow(view, position));
      changes.push({ before: loaded.get(id), after: view });
    }
    await upsertRows(tx, table, columns, ['id'], changed);
    if (this.spec.applyChanges) await this.spec.applyChanges(changes, tx);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    for (const t of this.tables) await tx.run(`DELETE FROM ${t}`);
  }
}

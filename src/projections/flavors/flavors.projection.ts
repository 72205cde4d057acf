import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import type { SqlExecutor, SqlValue } from '../../adapters/sql/sql-database.js';
import type { Projection } from '../projection.js';
import { selectWhereIn, upsertRows } from '../sql-batch.js';
import { FLAVOR_COLUMNS, flavorToRow, rowToFlavor, type FlavorRow, type FlavorView } from './flavor-row.js';
import { evolveFlavorView, FLAVOR_STREAM_PREFIX } from './flavor-view.js';

/** The flavor catalogue: loads each affected flavor once per batch, folds in memory, writes each changed row once. */
export class FlavorsProjection implements Projection {
  readonly name = 'flavors';
  readonly tables = ['flavors'];

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const mine = events.filter((e) => e.streamId.startsWith(FLAVOR_STREAM_PREFIX));
    if (mine.length === 0) return;
    const idOf = (e: RecordedEvent) => e.streamId.slice(FLAVOR_STREAM_PREFIX.length);
    const ids = [...new Set(mine.map(idOf))];
    const views = new Map<string, FlavorView | undefined>();
    const rows = await selectWhereIn<FlavorRow>(tx, `SELECT ${FLAVOR_COLUMNS.join(', ')} FROM flavors`, 'id', ids);
    for (const row of rows) views.set(String(row.id), rowToFlavor(row));

    const lastPosition = new Map<string, number>();
    for (const event of mine) {
      const id = idOf(event);
      const before = views.get(id);
      const after = evolveFlavorView(before, event);
      if (after !== before) {
        views.set(id, after);
        lastPosition.set(id, event.position);
      }
    }
    const changed: SqlValue[][] = [];
    for (const [id, position] of lastPosition) {
      const view = views.get(id);
      if (view) changed.push(flavorToRow(view, position));
    }
    await upsertRows(tx, 'flavors', FLAVOR_COLUMNS, ['id'], changed);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.run('DELETE FROM flavors');
  }
}

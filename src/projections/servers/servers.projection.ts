import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import type { SqlExecutor, SqlValue } from '../../adapters/sql/sql-database.js';
import type { Projection } from '../projection.js';
import { selectWhereIn, upsertRows } from '../sql-batch.js';
import { rowToServer, SERVER_COLUMNS, serverToRow, type ServerRow } from './server-row.js';
import { evolveServerView, type ServerView } from './server-view.js';

const VM_STREAM_PREFIX = 'vm-';

/**
 * The servers read model. Per batch it loads each affected server once, folds in memory with the
 * same evolveServerView that answers "state at time T", and writes each changed row once.
 */
export class ServersProjection implements Projection {
  readonly name = 'servers';
  readonly tables = ['servers'];

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const vmEvents = events.filter((e) => e.streamId.startsWith(VM_STREAM_PREFIX));
    if (vmEvents.length === 0) return;
    const ids = [...new Set(vmEvents.map((e) => e.streamId.slice(VM_STREAM_PREFIX.length)))];
    const views = new Map<string, ServerView | undefined>();
    const rows = await selectWhereIn<ServerRow>(tx, `SELECT ${SERVER_COLUMNS.join(', ')} FROM servers`, 'id', ids);
    for (const row of rows) views.set(String(row.id), rowToServer(row));

    const lastPosition = new Map<string, number>();
    for (const event of vmEvents) {
      const id = event.streamId.slice(VM_STREAM_PREFIX.length);
      const before = views.get(id);
      const after = evolveServerView(before, event);
      if (after !== before) {
        views.set(id, after);
        lastPosition.set(id, event.position);
      }
    }

    const changed: SqlValue[][] = [];
    for (const [id, position] of lastPosition) {
      const view = views.get(id);
      if (view) changed.push(serverToRow(view, position));
    }
    await upsertRows(tx, 'servers', SERVER_COLUMNS, ['id'], changed);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.run('DELETE FROM servers');
  }
}

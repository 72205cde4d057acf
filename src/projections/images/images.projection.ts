import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import type { SqlExecutor, SqlValue } from '../../adapters/sql/sql-database.js';
import type { ImageEvent } from '../../domain/image/image.events.js';
import type { Projection } from '../projection.js';
import { upsertRows } from '../sql-batch.js';
import { IMAGE_COLUMNS, imageToRow } from './images.queries.js';

const PREFIX = 'image-';

/** The image catalogue: per batch, each image ends written once or removed once. */
export class ImagesProjection implements Projection {
  readonly name = 'images';
  readonly tables = ['images'];

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const latest = new Map<string, SqlValue[] | null>();
    for (const recorded of events) {
      if (!recorded.streamId.startsWith(PREFIX)) continue;
      const event = { type: recorded.type, data: recorded.data } as ImageEvent;
      if (event.type === 'ImageRegistered') latest.set(event.data.id, imageToRow(event.data, recorded.occurredAt, recorded.position));
      else if (event.type === 'ImageDeleted') latest.set(event.data.id, null);
    }
    if (latest.size === 0) return;
    const upserts: SqlValue[][] = [];
    for (const [id, row] of latest) {
      if (row) upserts.push(row);
      else await tx.run('DELETE FROM images WHERE id = ?', [id]);
    }
    await upsertRows(tx, 'images', IMAGE_COLUMNS, ['id'], upserts);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.run('DELETE FROM images');
  }
}

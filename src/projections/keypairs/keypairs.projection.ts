import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import type { SqlExecutor, SqlValue } from '../../adapters/sql/sql-database.js';
import type { KeypairEvent } from '../../domain/keypair/keypair.events.js';
import type { Projection } from '../projection.js';
import { upsertRows } from '../sql-batch.js';
import { KEYPAIR_COLUMNS } from './keypairs.queries.js';

const PREFIX = 'keypair-';

/** Key pairs per user. A batch is folded per (user, name) in memory, then each key is written or removed once. */
export class KeypairsProjection implements Projection {
  readonly name = 'keypairs';
  readonly tables = ['keypairs'];

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const latest = new Map<string, { userId: string; name: string; row: SqlValue[] | null }>();
    for (const recorded of events) {
      if (!recorded.streamId.startsWith(PREFIX)) continue;
      const event = { type: recorded.type, data: recorded.data } as KeypairEvent;
      const key = JSON.stringify([event.data.userId, event.data.name]);
      if (event.type === 'KeypairImported') {
        const d = event.data;
        latest.set(key, { userId: d.userId, name: d.name, row: [d.userId, d.name, recorded.position, d.type, d.publicKey, d.fingerprint, recorded.occurredAt] });
      } else if (event.type === 'KeypairDeleted') {
        latest.set(key, { userId: event.data.userId, name: event.data.name, row: null });
      }
    }
    if (latest.size === 0) return;
    const upserts: SqlValue[][] = [];
    for (const { userId, name, row } of latest.values()) {
      if (row) upserts.push(row);
      else await tx.run('DELETE FROM keypairs WHERE user_id = ? AND name = ?', [userId, name]);
    }
    await upsertRows(tx, 'keypairs', KEYPAIR_COLUMNS, ['user_id', 'name'], upserts);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.run('DELETE FROM keypairs');
  }
}

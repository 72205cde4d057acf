import type { SqlDatabase } from '../sql/sql-database.js';
import { SnapshotStoreClosedError } from './snapshot-store-closed.error.js';
import type { SnapshotStore, StoredSnapshot } from './snapshot-store.port.js';

interface SnapshotRow {
  stream_id: string;
  revision: number | bigint;
  version: number;
  data: string;
  written_at: string;
}

/**
 * Snapshots in the event store's database (migration 0002_snapshots), on SQLite or PostgreSQL.
 * The upsert's WHERE makes "only if newer" one atomic statement, so two writers (two replicas, or a
 * slow background write) cannot move a stream's snapshot backwards.
 */
export class SqlSnapshotStore implements SnapshotStore {
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly db: SqlDatabase,
    private readonly options: { closeDatabase?: boolean } = {},
  ) {}

  async read(streamId: string): Promise<StoredSnapshot | null> {
    if (this.closed) throw new SnapshotStoreClosedError();
    const [row] = await this.db.query<SnapshotRow>('SELECT stream_id, revision, version, data, written_at FROM snapshots WHERE stream_id = ?', [streamId]);
    if (!row) return null;
    return { streamId: row.stream_id, revision: Number(row.revision), version: Number(row.version), data: row.data, writtenAt: row.written_at };
  }

  write(snapshot: StoredSnapshot): Promise<boolean> {
    if (this.closed) return Promise.reject(new SnapshotStoreClosedError());
    const written = this.db
      .run(
        `INSERT INTO snapshots (stream_id, revision, version, data, written_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, version = excluded.version, data = excluded.data, written_at = excluded.written_at
         WHERE excluded.revision >= snapshots.revision`,
        [snapshot.streamId, snapshot.revision, snapshot.version, snapshot.data, snapshot.writtenAt],
      )
      .then((changed) => changed > 0);
    this.inFlight.add(written);
    void written.finally(() => this.inFlight.delete(written)).catch(() => undefined);
    return written;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    if (this.options.closeDatabase) await this.db.close();
  }
}

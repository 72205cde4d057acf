import type Database from 'better-sqlite3';
import type { SqliteDatabase } from '../../sql/sqlite-database.js';
import type { EventLocation, EventRow, StoredState } from '../append-plan.js';
import type { ReadStreamOptions } from '../event-store.port.js';
import { NO_STREAM_REVISION } from '../expected-revision.js';
import { EVENT_COLUMNS, type RecordedEventRow } from '../recorded-event-row.js';

/** Rows per multi-row INSERT: 10 parameters each, well under SQLite's variable limit. */
const CHUNK = 50;
const INSERT_HEAD =
  'INSERT INTO events (position, stream_id, revision, event_id, type, schema_version, data, metadata, occurred_at, recorded_at) VALUES ';
const ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/**
 * The event store's prepared statements, run synchronously by the caller while it holds the
 * connection (SqliteDatabase.exclusive). Nothing here is per-event I/O: better-sqlite3 runs
 * in-process, so per-event lookups cost microseconds.
 */
export class SqliteEventStatements implements StoredState {
  private readonly findEvent_: Database.Statement;
  private readonly streamRevision_: Database.Statement;
  private readonly head_: Database.Statement;
  private readonly insertOne: Database.Statement;
  private readonly insertChunk: Database.Statement;
  private readonly forwards: Database.Statement;
  private readonly backwards: Database.Statement;
  private readonly after: Database.Statement;

  constructor(db: SqliteDatabase) {
    const p = (sql: string) => db.prepare(sql);
    this.findEvent_ = p('SELECT stream_id AS streamId, revision, position FROM events WHERE event_id = ?');
    this.streamRevision_ = p('SELECT MAX(revision) AS revision FROM events WHERE stream_id = ?').pluck();
    this.head_ = p('SELECT COALESCE(MAX(position), 0) FROM events').pluck();
    this.insertOne = p(INSERT_HEAD + ROW);
    this.insertChunk = p(INSERT_HEAD + Array.from({ length: CHUNK }, () => ROW).join(', '));
    this.forwards = p(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`);
    this.backwards = p(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`);
    this.after = p(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`);
  }

  findEvent(eventId: string): EventLocation | undefined {
    return this.findEvent_.get(eventId) as EventLocation | undefined;
  }

  streamRevision(streamId: string): number {
    const revision = this.streamRevision_.get(streamId) as number | null;
    return revision ?? NO_STREAM_REVISION;
  }

  headPosition(): number {
    return this.head_.get() as number;
  }

  ping(): void {
    this.head_.get();
  }

  insert(rows: readonly EventRow[], recordedAt: string): void {
    let i = 0;
    for (; i + CHUNK <= rows.length; i += CHUNK) {
      const params: unknown[] = [];
      for (let j = i; j < i + CHUNK; j++) pushRow(params, rows[j]!, recordedAt);
      this.insertChunk.run(params);
    }
    for (; i < rows.length; i++) {
      const params: unknown[] = [];
      pushRow(params, rows[i]!, recordedAt);
      this.insertOne.run(params);
    }
  }

  readStream(streamId: string, options: ReadStreamOptions): RecordedEventRow[] {
    const limit = options.maxCount ?? -1;
    if (options.direction === 'backwards') {
      return this.backwards.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit) as RecordedEventRow[];
    }
    return this.forwards.all(streamId, options.fromRevision ?? 0, limit) as RecordedEventRow[];
  }

  readAfter(after: number, limit: number): RecordedEventRow[] {
    return this.after.all(after, Math.min(limit, Number.MAX_SAFE_INTEGER)) as RecordedEventRow[];
  }
}

function pushRow(params: unknown[], row: EventRow, recordedAt: string): void {
  const e = row.event;
  params.push(row.position, row.streamId, row.revision, e.id, e.type, e.schemaVersion, e.data, e.metadata, e.occurredAt, recordedAt);
}

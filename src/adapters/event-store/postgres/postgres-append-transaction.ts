import type pg from 'pg';
import type { AppendRequest, EventLocation, EventRow, StoredState } from '../append-plan.js';
import { NO_STREAM_REVISION } from '../expected-revision.js';

/** Test-only seams into the append transaction. */
export interface PostgresAppendHooks {
  /**
   * Runs after the group's rows are inserted (and the writer lock is held), just before COMMIT.
   * The ordering test blocks here to try to make a later append commit first.
   */
  beforeCommit?: (info: { positions: number[] }) => Promise<void>;
}

// One lock for all writers of this schema, in every process. Transaction-scoped: COMMIT or ROLLBACK
// releases it, and it is released only after the commit is visible to other sessions.
const BEGIN_AND_LOCK = "BEGIN; SELECT pg_advisory_xact_lock(hashtext('virtplane:events:' || current_schema()))";

const LOOK_UP = `
SELECT 'event' AS kind, event_id, stream_id, revision, position FROM events WHERE event_id = ANY($1::text[])
UNION ALL
SELECT 'stream', NULL, s.stream_id,
  (SELECT e.revision FROM events e WHERE e.stream_id = s.stream_id ORDER BY e.revision DESC LIMIT 1), NULL
FROM unnest($2::text[]) AS s(stream_id)
UNION ALL
SELECT 'head', NULL, NULL, NULL, COALESCE(MAX(position), 0) FROM events`;


// Column arrays keep the server's parsing cheap; json (not jsonb) keeps the text exactly as written.
const INSERT = `
WITH inserted AS (
  INSERT INTO events (position, stream_id, revision, event_id, type, schema_version, data, metadata, occurred_at, recorded_at)
  SELECT p, s, r, i, t, v, d::json, m::json, o::timestamptz, $10::timestamptz
  FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[])
    AS u(p, s, r, i, t, v, d, m, o)
)
SELECT pg_notify($11, $12)`;

/**
 * Which event ids the look-up checks. 'first': each batch's first id only (a retry repeats it); a
 * clash on any other id then fails the insert on the unique index and the group is redone with 'all'.
 * Probing every id of a large group costs more than the rest of the transaction.
 */
export type LookUpIds = 'first' | 'all';

/** The insert hit the unique index on event_id. */
export function isEventIdViolation(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string } | null;
  return e?.code === '23505' && e.constraint === 'events_event_id_key';
}

interface LookUpRow {
  kind: 'event' | 'stream' | 'head';
  event_id: string | null;
  stream_id: string;
  revision: number | null;
  position: number | null;
}

/**
 * One group commit on one pooled connection, in as few round trips as the work allows:
 * BEGIN + lock, one look-up (ids, stream revisions and the head position), one INSERT that also
 * notifies listeners (delivered on commit), COMMIT.
 */
export class PostgresAppendTransaction {
  private head = 0;

  private constructor(
    private readonly client: pg.PoolClient,
    private readonly hooks: PostgresAppendHooks | undefined,
  ) {}

  static async begin(pool: pg.Pool, hooks?: PostgresAppendHooks): Promise<PostgresAppendTransaction> {
    const client = await pool.connect();
    const tx = new PostgresAppendTransaction(client, hooks);
    try {
      await client.query(BEGIN_AND_LOCK);
    } catch (error) {
      await tx.rollback();
      throw error;
    }
    return tx;
  }

  async lookUp(requests: readonly AppendRequest[], which: LookUpIds): Promise<StoredState> {
    const streams = [...new Set(requests.flatMap((r) => [r.streamId, ...(r.alsoExpect ?? []).map((read) => read.streamId)]))];
    const firstIds = requests.flatMap((r) => r.events.slice(0, 1).map((e) => e.id));
    let { rows } = await this.client.query<LookUpRow>(LOOK_UP, [which === 'all' ? requests.flatMap((r) => r.events.map((e) => e.id)) : firstIds, streams]);
    if (which === 'first' && rows.some((r) => r.kind === 'event')) {
      // Some batch is a retry (or a conflict): the planner needs all of its ids to tell which.
      ({ rows } = await this.client.query<LookUpRow>(LOOK_UP, [requests.flatMap((r) => r.events.map((e) => e.id)), streams]));
    }
    const events = new Map<string, EventLocation>();
    const revisions = new Map<string, number>();
    for (const row of rows) {
      if (row.kind === 'head') {
        this.head = Number(row.position);
      } else if (row.kind === 'event') {
        events.set(row.event_id!, { streamId: row.stream_id, revision: Number(row.revision), position: Number(row.position) });
      } else {
        revisions.set(row.stream_id, row.revision === null ? NO_STREAM_REVISION : Number(row.revision));
      }
    }
    return {
      findEvent: (id) => events.get(id),
      streamRevision: (streamId) => revisions.get(streamId) ?? NO_STREAM_REVISION,
    };
  }

  /** The newest committed position, read under the lock by lookUp: new rows go right after it. */
  get headPosition(): number {
    return this.head;
  }

  async insert(rows: readonly EventRow[], recordedAt: string, channel: string): Promise<void> {
    const columns: unknown[][] = [[], [], [], [], [], [], [], [], []];
    for (const row of rows) {
      const e = row.event;
      const values = [row.position, row.streamId, row.revision, e.id, e.type, e.schemaVersion, e.data, e.metadata, e.occurredAt];
      values.forEach((v, i) => columns[i]!.push(v));
    }
    const last = rows[rows.length - 1]!.position;
    await this.client.query(INSERT, [...columns, recordedAt, channel, String(last)]);
  }

  async commit(rows: readonly EventRow[]): Promise<void> {
    await this.hooks?.beforeCommit?.({ positions: rows.map((r) => r.position) });
    await this.client.query('COMMIT');
    this.client.release();
  }

  async rollback(): Promise<void> {
    let broken: Error | undefined;
    await this.client.query('ROLLBACK').catch((error: Error) => (broken = error));
    // A connection that could not roll back is in an unknown state: destroy it instead of pooling it.
    this.client.release(broken ?? false);
  }
}

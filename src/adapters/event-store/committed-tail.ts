import type { EventRow } from './append-plan.js';
import type { RecordedEventRow } from './recorded-event-row.js';

/** How many of the newest committed events are kept: more than a subscription's usual batch. */
const DEFAULT_CAPACITY = 4096;

/**
 * The newest events this process committed, as the rows a read would return, so that subscriptions
 * following the head (the projections, the process managers) get what was just appended without a
 * query each: on PostgreSQL every read is a round trip, and each subscription read every commit.
 *
 * It only ever answers for positions it holds without a gap, so it can never hide an event: positions
 * are gapless and commit in order (see the adapters), a group is remembered after its commit, and a
 * group that does not follow the last one held (another process appended in between) starts the
 * tail afresh. A read it does not cover goes to the database.
 */
export class CommittedTail {
  private rows: RecordedEventRow[] = [];

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** Rows of one committed group, in position order; `storedTime` gives instants as a read returns them. */
  remember(rows: readonly EventRow[], recordedAt: string, storedTime: (iso: string) => string): void {
    if (rows.length === 0) return;
    const last = this.rows[this.rows.length - 1];
    if (last && last.position + 1 !== rows[0]!.position) this.rows = [];
    const recorded = storedTime(recordedAt);
    for (const row of rows) {
      const e = row.event;
      this.rows.push({
        position: row.position,
        stream_id: row.streamId,
        revision: row.revision,
        event_id: e.id,
        type: e.type,
        schema_version: e.schemaVersion,
        data: e.data,
        metadata: e.metadata,
        occurred_at: storedTime(e.occurredAt),
        recorded_at: recorded,
      });
    }
    if (this.rows.length > this.capacity) this.rows = this.rows.slice(this.rows.length - this.capacity);
  }

  /** Position of the newest row held, 0 when empty. */
  get lastPosition(): number {
    return this.rows[this.rows.length - 1]?.position ?? 0;
  }

  clear(): void {
    this.rows = [];
  }

  /** The rows with position > after (at most limit), or undefined when the tail does not hold position after + 1. */
  after(after: number, limit: number): RecordedEventRow[] | undefined {
    const first = this.rows[0];
    if (!first || after + 1 < first.position || after >= this.rows[this.rows.length - 1]!.position) return undefined;
    const from = after + 1 - first.position;
    return this.rows.slice(from, from + limit);
  }
}

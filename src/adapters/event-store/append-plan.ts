import type { NewEvent } from './event-envelope.js';
import { EventIdConflictError } from './event-id-conflict.error.js';
import type { AppendResult, StreamRevision } from './event-store.port.js';
import { NO_STREAM_REVISION, revisionMatches, type ExpectedRevision } from './expected-revision.js';
import { WrongExpectedVersionError } from './wrong-expected-version.error.js';

/** An event serialized once, outside the writer, ready to insert. */
export interface SerializedEvent {
  id: string;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
  occurredAt: string;
}

export interface AppendRequest {
  streamId: string;
  events: SerializedEvent[];
  expectedRevision: ExpectedRevision;
  /** Other streams that must still be at these revisions (see EventStore.append). */
  alsoExpect?: readonly StreamRevision[];
}

/** Where a stored event is; for rows of the current group, position is filled in once known. */
export interface EventLocation {
  streamId: string;
  revision: number;
  position: number;
}

/** A row to insert; `position` is 0 until the adapter assigns positions in row order. */
export interface EventRow extends EventLocation {
  event: SerializedEvent;
}

export type AppendOutcome =
  /** `inserted` is false for a recognised retry, which stores nothing. */
  | { ok: true; locations: EventLocation[]; revisionIfEmpty: number; inserted: boolean }
  | { ok: false; error: Error };

/** What the adapter looks up inside the write transaction. */
export interface StoredState {
  findEvent(eventId: string): EventLocation | undefined;
  /** Revision of the stream's last event, -1 when it has none. */
  streamRevision(streamId: string): number;
}

export function serializeEvents(events: readonly NewEvent[]): SerializedEvent[] {
  return events.map((e) => ({
    id: e.id,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: JSON.stringify(e.data ?? null),
    metadata: JSON.stringify(e.metadata ?? null),
    occurredAt: e.occurredAt,
  }));
}

/**
 * Decides each request of a group commit on its own, in queue order, as if they had run one after
 * another: a retry (every id already stored in this stream, by an earlier commit or earlier in this
 * group) returns the original locations and is checked before the revision, because a retry's
 * expected revision is stale; then the expected revision is checked against the stream as the
 * earlier requests of the group leave it. Returns the rows to insert and one outcome per request.
 */
export function planGroup(requests: readonly AppendRequest[], stored: StoredState): { rows: EventRow[]; outcomes: AppendOutcome[] } {
  const rows: EventRow[] = [];
  const inGroup = new Map<string, EventLocation>();
  const revisions = new Map<string, number>();
  const revisionOf = (streamId: string): number => {
    let revision = revisions.get(streamId);
    if (revision === undefined) revisions.set(streamId, (revision = stored.streamRevision(streamId)));
    return revision;
  };
  const outcomes = requests.map((request): AppendOutcome => {
    const { streamId, events } = request;
    const ids = new Set<string>();
    const repeated = events.filter((e) => (ids.has(e.id) ? true : (ids.add(e.id), false))).map((e) => e.id);
    if (repeated.length > 0) return { ok: false, error: new EventIdConflictError(streamId, 'duplicate_in_batch', repeated) };

    const found = events.map((e) => inGroup.get(e.id) ?? stored.findEvent(e.id));
    const existing = found.filter((l): l is EventLocation => l !== undefined);
    if (existing.length > 0) {
      const elsewhere = events.filter((_, i) => found[i] && found[i]!.streamId !== streamId).map((e) => e.id);
      if (elsewhere.length > 0) return { ok: false, error: new EventIdConflictError(streamId, 'other_stream', elsewhere) };
      if (existing.length < events.length) {
        const missing = events.filter((_, i) => !found[i]).map((e) => e.id);
        return { ok: false, error: new EventIdConflictError(streamId, 'partial_retry', missing) };
      }
      return { ok: true, locations: existing, revisionIfEmpty: NO_STREAM_REVISION, inserted: false };
    }

    const current = revisionOf(streamId);
    if (!revisionMatches(request.expectedRevision, current)) {
      return { ok: false, error: new WrongExpectedVersionError(streamId, request.expectedRevision, current) };
    }
    for (const read of request.alsoExpect ?? []) {
      const at = revisionOf(read.streamId);
      if (at !== read.revision) return { ok: false, error: new WrongExpectedVersionError(read.streamId, read.revision, at) };
    }
    const locations = events.map((event, i): EventRow => {
      const row = { streamId, revision: current + 1 + i, position: 0, event };
      rows.push(row);
      inGroup.set(event.id, row);
      return row;
    });
    revisions.set(streamId, current + events.length);
    return { ok: true, locations, revisionIfEmpty: current, inserted: events.length > 0 };
  });
  return { rows, outcomes };
}

/** The caller's result, read after positions are assigned. */
export function toAppendResult(outcome: { locations: EventLocation[]; revisionIfEmpty: number }): AppendResult {
  const { locations } = outcome;
  const last = locations[locations.length - 1];
  if (!last) return { nextExpectedRevision: outcome.revisionIfEmpty, positions: [], lastPosition: 0 };
  return { nextExpectedRevision: last.revision, positions: locations.map((l) => l.position), lastPosition: last.position };
}

import type { EventMetadata, RecordedEvent } from './event-envelope.js';
import type { UpcasterChain } from './upcaster.js';

/** An events row as both SQL adapters select it (data and metadata as JSON text). */
export interface RecordedEventRow {
  position: number;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  occurred_at: string;
  recorded_at: string;
}

export const EVENT_COLUMNS =
  'position, stream_id, revision, event_id, type, schema_version, data, metadata, occurred_at, recorded_at';

/** Parses the JSON once and lifts the data to its current schema version. */
export function toRecordedEvent(row: RecordedEventRow, upcasters: UpcasterChain): RecordedEvent {
  const { schemaVersion, data } = upcasters.upcast(row.type, Number(row.schema_version), JSON.parse(row.data));
  return {
    id: row.event_id,
    type: row.type,
    schemaVersion,
    data,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    occurredAt: row.occurred_at,
    streamId: row.stream_id,
    revision: Number(row.revision),
    position: Number(row.position),
    recordedAt: row.recorded_at,
  };
}

-- The event store: the only source of truth. Rows are only ever inserted.
-- position is the global order ($all), starting at 1. The adapter draws positions from
-- events_position_seq only while holding a transaction-scoped advisory lock, so transactions
-- commit in position order and a reader of "position > last seen" never skips one.
-- CACHE 1: a per-session cache would hand out positions out of order across connections.
CREATE SEQUENCE events_position_seq AS bigint START WITH 1 CACHE 1;

CREATE TABLE events (
  position bigint PRIMARY KEY,
  stream_id text NOT NULL,
  revision bigint NOT NULL,
  event_id text NOT NULL UNIQUE,
  type text NOT NULL,
  schema_version integer NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  UNIQUE (stream_id, revision)
);

ALTER SEQUENCE events_position_seq OWNED BY events.position;

-- Audit queries by type over time ("all resizes this week").
CREATE INDEX events_type_position ON events (type, position);

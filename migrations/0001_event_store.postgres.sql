-- The event store: the only source of truth. Rows are only ever inserted.
-- position is the global order ($all), starting at 1, without gaps. There is deliberately no
-- sequence: a sequence hands out positions that can commit out of order, and a reader of
-- "position > last seen" then skips one for ever. The adapter takes a transaction-scoped advisory
-- lock and then assigns MAX(position) + 1.., so transactions commit in position order.
-- Ids compare bytewise (COLLATE "C"): cheaper index probes, and no locale in their order.
-- data and metadata are json, not jsonb: stored exactly as written, and cheaper to insert; the read
-- models, not this table, serve queries into event bodies.
CREATE TABLE events (
  position bigint PRIMARY KEY,
  stream_id text COLLATE "C" NOT NULL,
  revision bigint NOT NULL,
  event_id text COLLATE "C" NOT NULL UNIQUE,
  type text NOT NULL,
  schema_version integer NOT NULL,
  data json NOT NULL,
  metadata json NOT NULL,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL,
  UNIQUE (stream_id, revision)
);


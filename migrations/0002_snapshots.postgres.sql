-- Snapshots of long streams (a busy subnet): the newest fold of a stream at a revision, as JSON text
-- in the decider's snapshot form. Derived data, never a source of truth: rows may be deleted at any
-- time and the executor folds the stream instead.
-- They live with the events rather than with the read models: a snapshot is derived from one stream
-- and points at one of its revisions, so it must be backed up, restored and dropped together with the
-- events (a snapshot beside an older copy of the log would claim revisions the log lacks), and it is
-- not rebuilt by a projection replay. Read models, by contrast, are dropped and replayed at will.
-- data is text, not json/jsonb: written and read whole, never queried into, and parsed by the reader,
-- which falls back to folding when it is unreadable.
CREATE TABLE snapshots (
  stream_id text COLLATE "C" PRIMARY KEY,
  revision bigint NOT NULL,
  version integer NOT NULL,
  data text NOT NULL,
  written_at timestamptz NOT NULL
);

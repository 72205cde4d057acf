-- Snapshots of long streams (a busy subnet): the newest fold of a stream at a revision, as JSON text
-- in the decider's snapshot form. Derived data, never a source of truth: rows may be deleted at any
-- time and the executor folds the stream instead.
-- They live with the events rather than with the read models: a snapshot is derived from one stream
-- and points at one of its revisions, so it must be backed up, restored and dropped together with the
-- events (a snapshot beside an older copy of the log would claim revisions the log lacks), and it is
-- not rebuilt by a projection replay. Read models, by contrast, are dropped and replayed at will.
CREATE TABLE snapshots (
  stream_id TEXT PRIMARY KEY,
  revision INTEGER NOT NULL,
  version INTEGER NOT NULL,
  data TEXT NOT NULL,
  written_at TEXT NOT NULL
);

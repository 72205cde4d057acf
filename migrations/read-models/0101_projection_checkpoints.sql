-- One row per projection: the global position of the last event it folded. Written in the same
-- transaction as the projection's rows.
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  name TEXT PRIMARY KEY,
  position BIGINT NOT NULL,
  updated_at TEXT NOT NULL
);

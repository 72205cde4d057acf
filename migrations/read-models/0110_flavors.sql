-- Nova's flavor catalogue, one row per flavor ever created; a deleted flavor stays with deleted = 1
-- (its id stays taken, and servers and the audit trail still name it). extra_specs is JSON text.
CREATE TABLE IF NOT EXISTS flavors (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  vcpus INTEGER NOT NULL,
  ram_mb INTEGER NOT NULL,
  disk_gb INTEGER NOT NULL,
  ephemeral_gb INTEGER NOT NULL,
  swap_mb INTEGER NOT NULL,
  max_vcpus INTEGER NOT NULL,
  max_ram_mb INTEGER NOT NULL,
  extra_specs TEXT NOT NULL,
  is_public INTEGER NOT NULL,
  description TEXT,
  deleted INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  position BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS flavors_name_idx ON flavors (name, deleted);

-- The image catalogue (Glance v2), one row per image that exists now; a deleted image's row is
-- removed (its id stays taken in the event store). tags and properties are JSON text.
CREATE TABLE IF NOT EXISTS images (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  owner TEXT,
  visibility TEXT NOT NULL,
  container_format TEXT NOT NULL,
  disk_format TEXT NOT NULL,
  min_disk INTEGER NOT NULL,
  min_ram INTEGER NOT NULL,
  protected INTEGER NOT NULL,
  tags TEXT NOT NULL,
  registry_ref TEXT NOT NULL,
  properties TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  position BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS images_owner_idx ON images (owner);

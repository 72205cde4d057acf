-- Nova's migrations (os-migrations, /servers/{id}/migrations): one row per live migration or cold
-- resize. id is the position of the event that started it (Nova's integer id, stable across a
-- rebuild); uuid is the task id (microversion 2.59).
CREATE TABLE IF NOT EXISTS migrations (
  id BIGINT PRIMARY KEY,
  uuid TEXT NOT NULL UNIQUE,
  instance_uuid TEXT NOT NULL,
  migration_type TEXT NOT NULL,
  status TEXT NOT NULL,
  source_compute TEXT,
  dest_compute TEXT,
  old_flavor_id TEXT,
  new_flavor_id TEXT,
  user_id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS migrations_instance_idx ON migrations (instance_uuid, id);
CREATE INDEX IF NOT EXISTS migrations_updated_idx ON migrations (updated_at, id);

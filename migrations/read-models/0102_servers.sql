-- Nova's server detail, one row per server ever created; a deleted server stays with deleted = 1.
-- Instants are ISO-8601 UTC text, so they compare as text on both dialects.
CREATE TABLE IF NOT EXISTS servers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  project_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  status TEXT NOT NULL,
  vm_state TEXT NOT NULL,
  task_state TEXT,
  power_state INTEGER NOT NULL,
  flavor_id TEXT NOT NULL,
  flavor TEXT NOT NULL,
  image_ref TEXT NOT NULL,
  key_name TEXT,
  metadata TEXT NOT NULL,
  availability_zone TEXT,
  host TEXT,
  addresses TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  launched_at TEXT,
  terminated_at TEXT,
  progress INTEGER NOT NULL,
  fault TEXT,
  locked INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  user_data_present INTEGER NOT NULL,
  task TEXT,
  position BIGINT NOT NULL
);
-- Nova's list filters: project (all_tenants off), status, name, changes-since/created, deleted.
CREATE INDEX IF NOT EXISTS servers_project_idx ON servers (project_id, deleted, created_at);
CREATE INDEX IF NOT EXISTS servers_status_idx ON servers (status, deleted);
CREATE INDEX IF NOT EXISTS servers_name_idx ON servers (name);
CREATE INDEX IF NOT EXISTS servers_created_idx ON servers (created_at);
CREATE INDEX IF NOT EXISTS servers_updated_idx ON servers (updated_at);
CREATE INDEX IF NOT EXISTS servers_deleted_idx ON servers (deleted, updated_at);

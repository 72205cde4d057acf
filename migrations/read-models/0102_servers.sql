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
-- Indexes for listServers (servers.queries.ts), which always orders by created_at DESC, id DESC and
-- pages with a (created_at, id) marker: a tenant's list, an admin's list, a status filter, and
-- changes-since. The name filter is a substring LIKE, which no b-tree index can serve.
CREATE INDEX IF NOT EXISTS servers_project_idx ON servers (project_id, deleted, created_at, id);
CREATE INDEX IF NOT EXISTS servers_created_idx ON servers (created_at, id);
CREATE INDEX IF NOT EXISTS servers_status_idx ON servers (status, deleted);
CREATE INDEX IF NOT EXISTS servers_updated_idx ON servers (updated_at);

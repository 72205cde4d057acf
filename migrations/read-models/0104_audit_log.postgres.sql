-- PostgreSQL variant; the SQLite one differs only in its position key (see .sqlite.sql).
-- Every event of every stream, for "who did what to which VM, when, and what happened".
CREATE TABLE IF NOT EXISTS audit_log (
  position BIGINT PRIMARY KEY,
  event_id TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  stream_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  server_id TEXT,
  user_id TEXT,
  project_id TEXT,
  request_id TEXT,
  correlation_id TEXT,
  action TEXT,
  summary TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_server_idx ON audit_log (server_id, position);
CREATE INDEX IF NOT EXISTS audit_log_user_idx ON audit_log (user_id, position);
CREATE INDEX IF NOT EXISTS audit_log_project_idx ON audit_log (project_id, position);
CREATE INDEX IF NOT EXISTS audit_log_action_idx ON audit_log (action, position);
CREATE INDEX IF NOT EXISTS audit_log_occurred_idx ON audit_log (occurred_at, position);

-- The action of each server's running task, so step events (which carry only a task id) get it.
-- Rows go when the task ends: the table holds running tasks only.
CREATE TABLE IF NOT EXISTS audit_running_tasks (
  server_id TEXT PRIMARY KEY,
  task_id TEXT NOT NULL,
  action TEXT NOT NULL
);

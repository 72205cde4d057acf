-- PostgreSQL variant; the SQLite one differs only in its position key (see .sqlite.sql).
-- Nova's os-instance-actions: one row per task (keyed by task id; request_id is what clients ask by).
CREATE TABLE IF NOT EXISTS instance_actions (
  task_id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL,
  instance_uuid TEXT NOT NULL,
  action TEXT NOT NULL,
  user_id TEXT NOT NULL,
  project_id TEXT NOT NULL,
  start_time TEXT NOT NULL,
  finish_time TEXT,
  message TEXT,
  updated_at TEXT NOT NULL,
  start_position BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS instance_actions_instance_idx ON instance_actions (instance_uuid, start_position);
CREATE INDEX IF NOT EXISTS instance_actions_request_idx ON instance_actions (instance_uuid, request_id);

-- One row per step of a task, keyed by the position of the step's event.
CREATE TABLE IF NOT EXISTS instance_action_events (
  position BIGINT PRIMARY KEY,
  task_id TEXT NOT NULL,
  event TEXT NOT NULL,
  start_time TEXT NOT NULL,
  finish_time TEXT,
  result TEXT,
  host TEXT,
  details TEXT,
  traceback TEXT
);
CREATE INDEX IF NOT EXISTS instance_action_events_task_idx ON instance_action_events (task_id, position);

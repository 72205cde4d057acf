-- Where each running task's deadline counts from, while it can still fire (NULL otherwise): the
-- deadline sweep asks for the few servers past it instead of a delayed job per task in Redis.
-- Tasks running at this upgrade count from the server's last change.
ALTER TABLE servers ADD COLUMN task_started_at TEXT;
UPDATE servers SET task_started_at = updated_at WHERE task IS NOT NULL AND deleted = 0;
CREATE INDEX IF NOT EXISTS servers_task_started_idx ON servers (task_started_at) WHERE task_started_at IS NOT NULL;

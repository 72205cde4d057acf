-- What each project's servers use (instances, cores, RAM), kept by the servers projection in the
-- same transaction as the servers table, so the quota check on every create reads one row instead
-- of summing every server of the project.
CREATE TABLE IF NOT EXISTS project_usage (
  project_id TEXT PRIMARY KEY,
  instances BIGINT NOT NULL,
  cores BIGINT NOT NULL,
  ram BIGINT NOT NULL
);
-- Existing servers are counted by folding them again: the runner replays the servers projection
-- from the start of the log on its next start.
DELETE FROM servers;
DELETE FROM projection_checkpoints WHERE name = 'servers';

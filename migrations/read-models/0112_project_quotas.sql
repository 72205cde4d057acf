-- Quotas an admin set per project (JSON object: resource -> limit); a project without a row, or a
-- resource missing from its object, has the default (src/domain/quota/quota-resources.ts).
CREATE TABLE IF NOT EXISTS project_quotas (
  project_id TEXT PRIMARY KEY,
  limits TEXT NOT NULL,
  position BIGINT NOT NULL
);

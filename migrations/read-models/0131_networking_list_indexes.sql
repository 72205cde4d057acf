-- Neutron lists filter in SQL (src/api/network/neutron-sql-list.ts): a member's ports and subnets by
-- project, shared networks for everyone. Both dialects.
CREATE INDEX IF NOT EXISTS ports_project_idx ON ports (project_id, deleted);
CREATE INDEX IF NOT EXISTS subnets_project_idx ON subnets (project_id, deleted);
CREATE INDEX IF NOT EXISTS networks_shared_idx ON networks (shared, deleted);

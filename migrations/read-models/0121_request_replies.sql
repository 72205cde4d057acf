-- The replies to writes whose client named its request (X-Openstack-Request-Id), so that a retry of
-- a request whose reply was lost gets the same reply instead of a second effect.
CREATE TABLE IF NOT EXISTS request_replies (
  user_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  location TEXT,
  body TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, request_id, fingerprint)
);
CREATE INDEX IF NOT EXISTS request_replies_created_idx ON request_replies (created_at);
-- "Did this request already take effect?" after a crash lost its reply.
CREATE INDEX IF NOT EXISTS audit_log_request_idx ON audit_log (request_id);

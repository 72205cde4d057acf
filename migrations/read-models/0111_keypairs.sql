-- Nova's key pairs, one row per (user, name) that exists now; a deleted key pair's row is removed.
-- id is the global position of the event that imported it (Nova shows an integer id).
CREATE TABLE IF NOT EXISTS keypairs (
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  id BIGINT NOT NULL,
  type TEXT NOT NULL,
  public_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (user_id, name)
);

-- Revoked tokens by id, each until the token would have expired anyway (expires_at: ms since the
-- epoch); older rows are deleted as new revocations arrive. Tokens themselves are never stored.
CREATE TABLE IF NOT EXISTS revoked_tokens (
  token_id TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL,
  revoked_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS revoked_tokens_expires_at ON revoked_tokens (expires_at);

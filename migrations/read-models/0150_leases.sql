-- Named leases: which process runs the singleton consumers (projections, process managers, the
-- observers and sweepers). One row per lease; a holder keeps it by moving expires_at forward.
-- generation goes up by one at every change of holder: the fencing token a holder's checkpoint
-- writes check in their own transaction. expires_at is in epoch milliseconds by the holders' clocks.
CREATE TABLE IF NOT EXISTS leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  generation BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  acquired_at TEXT NOT NULL
);

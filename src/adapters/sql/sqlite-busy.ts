/**
 * SQLITE_BUSY and its extended codes: another connection (another process, or this process's
 * checkpointer thread) holds the write lock, or is rebuilding the WAL index (SQLITE_BUSY_RECOVERY,
 * when a connection opens a WAL file whose index must be recovered). All pass with time.
 */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) || code === 'SQLITE_LOCKED';
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Backoff between busy retries: short at first (locks are held for a commit), capped. */
export function busyBackoffMs(attempt: number): number {
  return Math.min(25, 1 << Math.min(attempt, 5));
}

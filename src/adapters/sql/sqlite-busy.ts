/** SQLITE_BUSY: another connection (usually another process) holds the write lock. */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Backoff between busy retries: short at first (locks are held for a commit), capped. */
export function busyBackoffMs(attempt: number): number {
  return Math.min(25, 1 << Math.min(attempt, 5));
}

/** A private redis-server was found but did not come up (port taken, bad data dir, ...). */
export class PrivateRedisFailedError extends Error {
  constructor(readonly executable: string, reason: string, readonly log: string) {
    super(`Could not start ${executable}: ${reason}${log ? `\n--- redis log (tail) ---\n${log}` : ''}`);
    this.name = 'PrivateRedisFailedError';
  }
}

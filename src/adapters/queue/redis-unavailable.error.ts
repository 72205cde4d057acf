/** Redis did not answer (down, unreachable, or too slow) when asked. */
export class RedisUnavailableError extends Error {
  constructor(readonly target: string, override readonly cause: unknown) {
    super(`Redis at ${target} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'RedisUnavailableError';
  }
}

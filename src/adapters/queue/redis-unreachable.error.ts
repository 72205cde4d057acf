/** The configured REDIS_URL did not answer at start-up. */
export class RedisUnreachableError extends Error {
  constructor(readonly url: string, override readonly cause: unknown) {
    super(
      `REDIS_URL ${url} is unreachable (${cause instanceof Error ? cause.message : String(cause)}). `
        + 'Check that Redis is running and reachable from here, or unset REDIS_URL to let virtplane start a private redis-server.',
    );
    this.name = 'RedisUnreachableError';
  }
}

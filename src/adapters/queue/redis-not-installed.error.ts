/** No REDIS_URL was configured and there is no redis-server to start a private one with. */
export class RedisNotInstalledError extends Error {
  constructor(readonly searched: readonly string[]) {
    super(
      'No Redis is configured (REDIS_URL is not set) and no redis-server executable was found '
        + `(looked in: ${searched.join(', ')}). Install it with \`apt-get install redis-server\` on Debian/Ubuntu `
        + '(`dnf install redis` on Fedora, `brew install redis` on macOS), or set REDIS_URL to a running Redis, '
        + 'e.g. REDIS_URL=redis://127.0.0.1:6379.',
    );
    this.name = 'RedisNotInstalledError';
  }
}

/** A database URL whose scheme we cannot open (expected sqlite:<path>, sqlite::memory: or postgres://). */
export class UnsupportedDatabaseUrlError extends Error {
  readonly code = 'UNSUPPORTED_DATABASE_URL';
  constructor(url: string) {
    // Only the scheme: the rest may hold a password.
    super(`Cannot open database URL with scheme ${JSON.stringify(url.split(':')[0])}; use sqlite:<path>, sqlite::memory: or postgres://`);
    this.name = 'UnsupportedDatabaseUrlError';
  }
}

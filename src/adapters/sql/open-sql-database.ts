import { PostgresDatabase } from './postgres-database.js';
import type { SqlDatabase } from './sql-database.js';
import { SqliteDatabase } from './sqlite-database.js';
import { UnsupportedDatabaseUrlError } from './unsupported-database-url.error.js';

export interface OpenSqlDatabaseOptions {
  /** PostgreSQL pool size. */
  max?: number;
}

/**
 * Opens the database a URL names:
 * - `sqlite:<path>` (relative to the working directory) or `sqlite::memory:`
 * - `postgres://...` / `postgresql://...`; a `schema` query parameter sets search_path
 *   (e.g. `postgres://postgres@127.0.0.1:5432/postgres?schema=virtplane`).
 */
export function openSqlDatabase(url: string, options: OpenSqlDatabaseOptions = {}): SqlDatabase {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path === '') throw new UnsupportedDatabaseUrlError(url);
    return new SqliteDatabase({ path });
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    return new PostgresDatabase({ connectionString: parsed.toString(), schema, max: options.max });
  }
  throw new UnsupportedDatabaseUrlError(url);
}

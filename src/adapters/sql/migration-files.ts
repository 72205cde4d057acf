import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlDialect } from './sql-database.js';

export interface Migration {
  version: number;
  name: string;
  /** The file chosen for the dialect. */
  file: string;
  sql: string;
  /** sha256 of the SQL, recorded when applied. */
  checksum: string;
}

const FILE = /^(\d{4,})_([A-Za-z0-9_-]+?)(?:\.(sqlite|postgres))?\.sql$/;

/**
 * Reads `NNNN_name.sql` (both dialects) and `NNNN_name.sqlite.sql` / `NNNN_name.postgres.sql`
 * (one dialect) from directory, keeps the files for `dialect` (a dialect-specific file wins over
 * a neutral one of the same version) and returns them in version order.
 */
export function loadMigrations(directory: string, dialect: SqlDialect): Migration[] {
  const chosen = new Map<number, { name: string; file: string; specific: boolean }>();
  for (const file of readdirSync(directory).sort()) {
    const match = FILE.exec(file);
    if (!match) continue;
    const [, digits, name, fileDialect] = match as unknown as [string, string, string, SqlDialect | undefined];
    if (fileDialect && fileDialect !== dialect) continue;
    const version = Number(digits);
    const specific = fileDialect !== undefined;
    const existing = chosen.get(version);
    if (existing && (existing.name !== name || existing.specific === specific)) {
      throw new DuplicateMigrationVersionError(version, existing.file, file);
    }
    if (!existing || specific) chosen.set(version, { name, file, specific });
  }
  return [...chosen.entries()]
    .sort(([a], [b]) => a - b)
    .map(([version, { name, file }]) => {
      const sql = readFileSync(join(directory, file), 'utf8');
      return { version, name, file, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Two migrations claim the same number; renumber one of them. */
export class DuplicateMigrationVersionError extends Error {
  readonly code = 'DUPLICATE_MIGRATION_VERSION';
  constructor(
    readonly version: number,
    readonly first: string,
    readonly second: string,
  ) {
    super(`Migrations ${first} and ${second} both have version ${version}`);
    this.name = 'DuplicateMigrationVersionError';
  }
}

import type { SqlExecutor, SqlValue } from '../adapters/sql/sql-database.js';

/**
 * Multi-row statements for batch folds: one statement per chunk instead of one per row keeps replay
 * fast on SQLite and saves round trips on PostgreSQL. Chunks stay well under both dialects'
 * parameter limits.
 */
const MAX_PARAMS = 8000;

function chunkSize(columns: number): number {
  return Math.max(1, Math.floor(MAX_PARAMS / columns));
}

function valuesClause(rows: number, columns: number): string {
  const row = `(${new Array(columns).fill('?').join(', ')})`;
  return new Array(rows).fill(row).join(', ');
}

/** INSERT rows; each row's values in `columns` order. */
export async function insertRows(
  tx: SqlExecutor,
  table: string,
  columns: readonly string[],
  rows: readonly SqlValue[][],
): Promise<void> {
  const size = chunkSize(columns.length);
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    await tx.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${valuesClause(chunk.length, columns.length)}`, chunk.flat());
  }
}

/** INSERT rows, replacing every non-key column of a row whose key exists. */
export async function upsertRows(
  tx: SqlExecutor,
  table: string,
  columns: readonly string[],
  keyColumns: readonly string[],
  rows: readonly SqlValue[][],
): Promise<void> {
  const updates = columns.filter((c) => !keyColumns.includes(c)).map((c) => `${c} = excluded.${c}`);
  const size = chunkSize(columns.length);
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    await tx.run(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${valuesClause(chunk.length, columns.length)} ` +
        `ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET ${updates.join(', ')}`,
      chunk.flat(),
    );
  }
}

/** SELECT rows whose `column` is one of `keys`, in chunks. */
export async function selectWhereIn<Row>(
  tx: SqlExecutor,
  sqlPrefix: string,
  column: string,
  keys: readonly string[],
): Promise<Row[]> {
  const result: Row[] = [];
  const size = MAX_PARAMS;
  for (let i = 0; i < keys.length; i += size) {
    const chunk = keys.slice(i, i + size);
    result.push(...(await tx.query<Row>(`${sqlPrefix} WHERE ${column} IN (${chunk.map(() => '?').join(', ')})`, chunk)));
  }
  return result;
}

/** DELETE rows whose `column` is one of `keys`, in chunks. */
export async function deleteWhereIn(tx: SqlExecutor, table: string, column: string, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += MAX_PARAMS) {
    const chunk = keys.slice(i, i + MAX_PARAMS);
    await tx.run(`DELETE FROM ${table} WHERE ${column} IN (${chunk.map(() => '?').join(', ')})`, chunk);
  }
}

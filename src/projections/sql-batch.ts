import type { SqlExecutor, SqlValue } from '../adapters/sql/sql-database.js';

/**
 * Batch writes and reads for projections. PostgreSQL gets multi-row statements (one round trip per
 * chunk, well under its parameter limit). SQLite runs in process, where a cached one-row statement
 * run many times is far cheaper than preparing a new multi-row statement for every batch size.
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
  const insert = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  if (tx.dialect === 'sqlite') {
    const sql = insert + valuesClause(1, columns.length);
    for (const row of rows) await tx.run(sql, row);
    return;
  }
  const size = chunkSize(columns.length);
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    await tx.run(insert + valuesClause(chunk.length, columns.length), chunk.flat());
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
  const insert = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  const onConflict = ` ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
  if (tx.dialect === 'sqlite') {
    const sql = insert + valuesClause(1, columns.length) + onConflict;
    for (const row of rows) await tx.run(sql, row);
    return;
  }
  const size = chunkSize(columns.length);
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    await tx.run(insert + valuesClause(chunk.length, columns.length) + onConflict, chunk.flat());
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
  if (tx.dialect === 'sqlite') {
    const sql = `${sqlPrefix} WHERE ${column} = ?`;
    for (const key of keys) result.push(...(await tx.query<Row>(sql, [key])));
    return result;
  }
  const size = MAX_PARAMS;
  for (let i = 0; i < keys.length; i += size) {
    const chunk = keys.slice(i, i + size);
    result.push(...(await tx.query<Row>(`${sqlPrefix} WHERE ${column} IN (${chunk.map(() => '?').join(', ')})`, chunk)));
  }
  return result;
}

/** DELETE rows whose `column` is one of `keys`, in chunks. */
export async function deleteWhereIn(tx: SqlExecutor, table: string, column: string, keys: readonly string[]): Promise<void> {
  if (tx.dialect === 'sqlite') {
    for (const key of keys) await tx.run(`DELETE FROM ${table} WHERE ${column} = ?`, [key]);
    return;
  }
  for (let i = 0; i < keys.length; i += MAX_PARAMS) {
    const chunk = keys.slice(i, i + MAX_PARAMS);
    await tx.run(`DELETE FROM ${table} WHERE ${column} IN (${chunk.map(() => '?').join(', ')})`, chunk);
  }
}

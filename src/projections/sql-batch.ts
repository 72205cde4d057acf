import type { SqlExecutor, SqlValue } from '../adapters/sql/sql-database.js';

/**
 * Batch writes and reads for projections. PostgreSQL gets multi-row statements sized to the batch
 * (one round trip per chunk, well under its parameter limit). SQLite runs in process, where what
 * costs is crossing into the driver per statement and preparing new SQL, so it gets multi-row
 * statements of one fixed size (prepared once, then cached) and one-row statements for the rest.
 */
const MAX_PARAMS = 8000;
/** Rows per SQLite multi-row statement; a replay measured 16..256 alike, and one row per statement ~20% slower. */
const SQLITE_CHUNK_ROWS = 64;

function chunkSize(columns: number): number {
  return Math.max(1, Math.floor(MAX_PARAMS / columns));
}

function valuesClause(rows: number, columns: number): string {
  const row = `(${new Array(columns).fill('?').join(', ')})`;
  return new Array(rows).fill(row).join(', ');
}

function placeholders(count: number): string {
  return new Array(count).fill('?').join(', ');
}

/** Runs `sqlFor(rows)` over rows in chunks, each chunk's values flattened in row order. */
async function runChunked(
  tx: SqlExecutor,
  columns: number,
  rows: readonly SqlValue[][],
  sqlFor: (rows: number) => string,
): Promise<void> {
  if (rows.length === 0) return;
  if (tx.dialect === 'sqlite') {
    const size = Math.max(1, Math.min(SQLITE_CHUNK_ROWS, Math.floor(MAX_PARAMS / columns)));
    let i = 0;
    if (rows.length >= size) {
      const sql = sqlFor(size);
      for (; i + size <= rows.length; i += size) await tx.run(sql, flatten(rows, i, size, columns));
    }
    if (i < rows.length) {
      const sql = sqlFor(1);
      for (; i < rows.length; i++) await tx.run(sql, rows[i]!);
    }
    return;
  }
  const size = chunkSize(columns);
  for (let i = 0; i < rows.length; i += size) {
    const count = Math.min(size, rows.length - i);
    await tx.run(sqlFor(count), flatten(rows, i, count, columns));
  }
}

function flatten(rows: readonly SqlValue[][], from: number, count: number, columns: number): SqlValue[] {
  const out = new Array<SqlValue>(count * columns);
  let k = 0;
  for (let r = from; r < from + count; r++) {
    const row = rows[r]!;
    for (let c = 0; c < columns; c++) out[k++] = row[c]!;
  }
  return out;
}

/** INSERT rows; each row's values in `columns` order. */
export async function insertRows(
  tx: SqlExecutor,
  table: string,
  columns: readonly string[],
  rows: readonly SqlValue[][],
): Promise<void> {
  const insert = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  await runChunked(tx, columns.length, rows, (n) => insert + valuesClause(n, columns.length));
}

/** INSERT rows, replacing every non-key column of a row whose key exists. Keys must be unique within `rows`. */
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
  await runChunked(tx, columns.length, rows, (n) => insert + valuesClause(n, columns.length) + onConflict);
}

/** SELECT rows whose `column` is one of `keys`, in chunks. */
export async function selectWhereIn<Row>(
  tx: SqlExecutor,
  sqlPrefix: string,
  column: string,
  keys: readonly string[],
): Promise<Row[]> {
  const result: Row[] = [];
  const run = async (sql: string, params: readonly SqlValue[]) => {
    for (const row of await tx.query<Row>(sql, params)) result.push(row);
  };
  if (tx.dialect === 'sqlite') {
    const size = SQLITE_CHUNK_ROWS;
    let i = 0;
    if (keys.length >= size) {
      const sql = `${sqlPrefix} WHERE ${column} IN (${placeholders(size)})`;
      for (; i + size <= keys.length; i += size) await run(sql, keys.slice(i, i + size));
    }
    const one = `${sqlPrefix} WHERE ${column} = ?`;
    for (; i < keys.length; i++) await run(one, [keys[i]!]);
    return result;
  }
  for (let i = 0; i < keys.length; i += MAX_PARAMS) {
    const chunk = keys.slice(i, i + MAX_PARAMS);
    await run(`${sqlPrefix} WHERE ${column} IN (${placeholders(chunk.length)})`, chunk);
  }
  return result;
}

/** DELETE rows whose `column` is one of `keys`, in chunks. */
export async function deleteWhereIn(tx: SqlExecutor, table: string, column: string, keys: readonly string[]): Promise<void> {
  if (tx.dialect === 'sqlite') {
    const sql = `DELETE FROM ${table} WHERE ${column} = ?`;
    for (const key of keys) await tx.run(sql, [key]);
    return;
  }
  for (let i = 0; i < keys.length; i += MAX_PARAMS) {
    const chunk = keys.slice(i, i + MAX_PARAMS);
    await tx.run(`DELETE FROM ${table} WHERE ${column} IN (${placeholders(chunk.length)})`, chunk);
  }
}

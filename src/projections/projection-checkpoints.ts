import type { SqlExecutor } from '../adapters/sql/sql-database.js';

/** Reads and writes the projection_checkpoints table (migrations/read-models/0101). */

export async function ensureCheckpoints(tx: SqlExecutor, names: readonly string[]): Promise<void> {
  for (const name of names) {
    await tx.run(
      'INSERT INTO projection_checkpoints (name, position, updated_at) VALUES (?, 0, ?) ON CONFLICT (name) DO NOTHING',
      [name, new Date().toISOString()],
    );
  }
}

export async function readCheckpoints(tx: SqlExecutor, names: readonly string[]): Promise<Map<string, number>> {
  const rows = await tx.query<{ name: string; position: number | string }>('SELECT name, position FROM projection_checkpoints');
  const wanted = new Set(names);
  const result = new Map<string, number>(names.map((n) => [n, 0]));
  // pg returns BIGINT as a string.
  for (const row of rows) if (wanted.has(row.name)) result.set(row.name, Number(row.position));
  return result;
}

export async function writeCheckpoint(tx: SqlExecutor, name: string, position: number): Promise<void> {
  await writeCheckpoints(tx, [name], position);
}

/**
 * Moves several checkpoints to one position in a single statement: the runner commits every
 * projection to the batch's last position, and on PostgreSQL each statement is a round trip that
 * costs the event loop more than the rows it writes.
 */
export async function writeCheckpoints(tx: SqlExecutor, names: readonly string[], position: number): Promise<void> {
  if (names.length === 0) return;
  const now = new Date().toISOString();
  await tx.run(
    `INSERT INTO projection_checkpoints (name, position, updated_at) VALUES ${names.map(() => '(?, ?, ?)').join(', ')} ` +
      'ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at',
    names.flatMap((name) => [name, position, now]),
  );
}

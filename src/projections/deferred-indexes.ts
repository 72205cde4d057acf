import type { SqlDatabase, SqlExecutor } from '../adapters/sql/sql-database.js';

/**
 * A rebuild replays the whole log into emptied tables. Keeping their secondary indexes up to date
 * row by row costs a b-tree insert per index per row; building each index once at the end is one
 * sort. So the rebuild drops them first and recreates them after. The definitions are taken from the
 * database's catalog (the migrations stay their only source) and parked in
 * projection_deferred_indexes in the same transaction as the drop, so a rebuild that dies half way
 * leaves them recorded: the next rebuild or the next live runner start recreates them.
 * Unique indexes and primary keys stay: the projections' upserts depend on them.
 */

interface IndexDefinition {
  name: string;
  definition: string;
}

async function secondaryIndexesOf(tx: SqlExecutor, table: string): Promise<IndexDefinition[]> {
  if (tx.dialect === 'sqlite') {
    // sql is NULL for the indexes SQLite makes for PRIMARY KEY and UNIQUE constraints.
    return tx.query<IndexDefinition>(
      "SELECT name, sql AS definition FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL " +
        "AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name",
      [table],
    );
  }
  // Not the pg_indexes view: the planner may compute its pg_get_indexdef for indexes of other
  // schemas before filtering, and one dropped meanwhile by another session fails the whole query
  // ("could not open relation with OID"). The indexes of this table are found first, then described.
  return tx.query<IndexDefinition>(
    'WITH own AS MATERIALIZED (SELECT i.indexrelid AS oid, ic.relname AS name FROM pg_index i ' +
      'JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = t.relnamespace ' +
      'WHERE n.nspname = current_schema() AND t.relname = ? AND NOT i.indisunique) ' +
      'SELECT name, pg_get_indexdef(oid) AS definition FROM own ORDER BY name',
    [table],
  );
}

/** Drops the tables' secondary indexes, recording them for restoreDeferredIndexes. Call inside a transaction. */
export async function deferSecondaryIndexes(tx: SqlExecutor, tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    for (const index of await secondaryIndexesOf(tx, table)) {
      await tx.run(
        'INSERT INTO projection_deferred_indexes (name, definition) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET definition = excluded.definition',
        [index.name, index.definition],
      );
      await tx.run(`DROP INDEX ${index.name}`);
    }
  }
}

/** Recreates every index a rebuild deferred (its own, or one that died before it could). */
export async function restoreDeferredIndexes(db: SqlDatabase): Promise<void> {
  await db.transaction(async (tx) => {
    const deferred = await tx.query<IndexDefinition>('SELECT name, definition FROM projection_deferred_indexes ORDER BY name');
    for (const index of deferred) {
      await tx.exec(index.definition);
      await tx.run('DELETE FROM projection_deferred_indexes WHERE name = ?', [index.name]);
    }
  });
}

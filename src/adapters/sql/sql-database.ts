/**
 * One query layer for both SQL dialects the read models and the event store use.
 * SQL is written with `?` placeholders; the PostgreSQL implementation numbers them.
 */
export type SqlDialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | bigint | boolean | null | Buffer;

export interface SqlExecutor {
  readonly dialect: SqlDialect;
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs a statement; returns the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/** The executor a transaction hands out; `exec` lets a migration run a whole script atomically. */
export interface SqlTransaction extends SqlExecutor {
  /** Runs a script of several statements inside the transaction. */
  exec(sql: string): Promise<void>;
}

export interface SqlDatabase extends SqlExecutor {
  /**
   * Runs fn in one transaction: commits when it resolves, rolls back when it throws.
   * Use only `tx` inside fn: on SQLite the database is held for the transaction, so a call on the
   * database itself from inside fn waits for the transaction to end (a deadlock if awaited).
   */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

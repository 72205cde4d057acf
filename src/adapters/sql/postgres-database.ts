import pg from 'pg';
import { numberPlaceholders } from './numbered-placeholders.js';
import { postgresTypeParsers } from './postgres-type-parsers.js';
import type { SqlDatabase, SqlTransaction, SqlValue } from './sql-database.js';
import { TransactionFinishedError } from './transaction-finished.error.js';
import { InvalidSchemaNameError } from './invalid-schema-name.error.js';

export interface PostgresDatabaseOptions {
  connectionString: string;
  /** Every connection gets `search_path = <schema>`, so unqualified tables live there (one schema per test run). */
  schema?: string;
  /** Pool size; 10 by default. */
  max?: number;
  /** Errors of idle pooled connections (the server went away); they are otherwise dropped with the connection. */
  onIdleError?: (error: Error) => void;
}

/**
 * SqlDatabase on a pg Pool. Values come back as on SQLite so one query layer serves both: int8 as
 * numbers, timestamps as ISO-8601 text, json/jsonb as text (see postgres-type-parsers.ts).
 */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  readonly pool: pg.Pool;
  readonly schema: string | undefined;
  private readonly clientConfig: pg.ClientConfig;

  constructor(options: PostgresDatabaseOptions) {
    if (options.schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(options.schema)) {
      throw new InvalidSchemaNameError(options.schema);
    }
    this.schema = options.schema;
    this.clientConfig = {
      connectionString: options.connectionString,
      types: postgresTypeParsers,
      // Set at connection start-up, so no statement can ever run on the connection before it applies.
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    };
    this.pool = new pg.Pool({ ...this.clientConfig, max: options.max ?? 10 });
    this.pool.on('error', options.onIdleError ?? (() => undefined));
  }

  /** A connection of its own outside the pool, configured like pooled ones (for LISTEN). */
  async connectDedicated(): Promise<pg.Client> {
    const client = new pg.Client(this.clientConfig);
    await client.connect();
    return client;
  }

  async query<Row = Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    const result = await this.pool.query(numberPlaceholders(sql), params as unknown[]);
    return result.rows as Row[];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    const result = await this.pool.query(numberPlaceholders(sql), params as unknown[]);
    return result.rowCount ?? 0;
  }

  async exec(sql: string): Promise<void> {
    // Without parameters pg uses the simple query protocol, which accepts several statements.
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let open = true;
    const guard = (): void => {
      if (!open) throw new TransactionFinishedError();
    };
    const tx: SqlTransaction = {
      dialect: 'postgres',
      query: async <Row>(sql: string, params: readonly SqlValue[] = []) => {
        guard();
        return (await client.query(numberPlaceholders(sql), params as unknown[])).rows as Row[];
      },
      run: async (sql: string, params: readonly SqlValue[] = []) => {
        guard();
        return (await client.query(numberPlaceholders(sql), params as unknown[])).rowCount ?? 0;
      },
      exec: async (sql: string) => {
        guard();
        await client.query(sql);
      },
    };
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          // A connection that cannot roll back is in an unknown state: destroy it rather than reuse it.
          broken = rollbackError;
        });
        throw error;
      }
    } finally {
      open = false;
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}


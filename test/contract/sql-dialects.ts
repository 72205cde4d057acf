import type { SqlDatabase } from '../../src/adapters/sql/sql-database.js';
import { createPostgresTestSchema, createSqliteTestDatabase, shouldRunPostgresTests } from '../support/databases.js';

/** A fresh, empty database of one dialect, and a way to open another connection (pool) to it. */
export interface DialectFixture {
  db: SqlDatabase;
  openAnother(): SqlDatabase;
  dispose(): Promise<void>;
}

export interface Dialect {
  name: string;
  setup(): Promise<DialectFixture>;
}

const sqlite: Dialect = {
  name: 'SQLite',
  async setup() {
    const database = createSqliteTestDatabase();
    return { db: database.db, openAnother: () => database.open(), dispose: () => database.dispose() };
  },
};

const postgres: Dialect = {
  name: 'PostgreSQL',
  async setup() {
    const schema = await createPostgresTestSchema();
    return { db: schema.db, openAnother: () => schema.open(), dispose: () => schema.dispose() };
  },
};

/** Every dialect the suite can reach (PostgreSQL is required under CI=true). */
export const dialects: Dialect[] = (await shouldRunPostgresTests()) ? [sqlite, postgres] : [sqlite];

import type Database from 'better-sqlite3';

/**
 * Prepared statements by SQL text. Preparing costs more than running a small statement, and
 * better-sqlite3 statements are reusable, so every hot query is prepared once.
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly capacity: number,
  ) {}

  get(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement) return statement;
    statement = this.db.prepare(sql);
    // Oldest-first eviction keeps memory bounded when callers build SQL dynamically (IN lists).
    if (this.statements.size >= this.capacity) {
      const oldest = this.statements.keys().next().value;
      if (oldest !== undefined) this.statements.delete(oldest);
    }
    this.statements.set(sql, statement);
    return statement;
  }

  clear(): void {
    this.statements.clear();
  }
}

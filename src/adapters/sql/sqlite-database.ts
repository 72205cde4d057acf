import Database from 'better-sqlite3';
import { AsyncMutex } from './async-mutex.js';
import { busyBackoffMs, isSqliteBusy, sleep } from './sqlite-busy.js';
import type { SqlDatabase, SqlTransaction, SqlValue } from './sql-database.js';
import { StatementCache } from './statement-cache.js';
import { TransactionFinishedError } from './transaction-finished.error.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { WalFileSync, type FileFlusher } from './wal-file-sync.js';

export interface SqliteDatabaseOptions {
  /** File path, or ':memory:'. */
  path: string;
  /**
   * How long to keep retrying while another connection holds the write lock (default 5,000 ms).
   * Waiting happens asynchronously, never inside SQLite, so the event loop keeps running.
   */
  busyTimeoutMs?: number;
  /** Most prepared statements kept (keyed by SQL text). */
  statementCacheSize?: number;
  /**
   * true (default): a write resolves once it is on disk (WalFileSync: the WAL's fsync runs off the
   * event loop). false: it resolves at commit; a power loss may drop the last commits, never corrupt
   * the file (for data that is rebuilt from elsewhere, like the read models).
   */
  durable?: boolean;
  /** How a durable database flushes its WAL (tests watch it; default node:fs). */
  flusher?: FileFlusher;
  /**
   * Who copies the WAL back into the file: 'background' (default), the process's WalCheckpointer
   * thread; 'on-commit', SQLite's automatic checkpoint inside the commit that crosses 4,000 pages.
   */
  checkpoints?: 'background' | 'on-commit';
}

/** SQLite's automatic checkpoint threshold (pages) when checkpoints run on commit. */
const AUTO_CHECKPOINT_PAGES = 4000;

type Raw = Database.Database;

/**
 * SqlDatabase on better-sqlite3: WAL with synchronous=NORMAL; on a durable database every write
 * resolves only after the WAL's fsync, which runs in the thread pool (WalFileSync), never inside
 * COMMIT on the event loop.
 * better-sqlite3 is synchronous and this is one connection, so an open transaction would swallow any
 * other caller's statement issued while it awaits; a mutex makes transactions and plain statements
 * take turns. Plain statements run in the same tick when nothing holds it.
 * SQLite's own busy handler would block the whole process while it waits for another connection's
 * lock (and deadlock against a transaction of this process awaiting its turn), so busy_timeout is 0
 * and SQLITE_BUSY is retried here with asynchronous backoff.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  readonly raw: Raw;
  private readonly mutex = new AsyncMutex();
  private readonly statements: StatementCache;
  private readonly busyTimeoutMs: number;
  private readonly beginImmediate: Database.Statement;
  private readonly commitStatement: Database.Statement;
  private readonly rollbackStatement: Database.Statement;
  /** Undefined when writes need no flush: not durable, or not a WAL file (':memory:'). */
  private readonly walSync: WalFileSync | undefined;
  /** Stops the background checkpoints of this file; undefined when checkpoints run on commit. */
  private stopCheckpoints: (() => Promise<void>) | undefined;

  constructor(options: SqliteDatabaseOptions) {
    this.raw = new Database(options.path);
    const wal = this.raw.pragma('journal_mode = WAL', { simple: true }) === 'wal';
    this.raw.pragma('synchronous = NORMAL');
    if (wal && options.durable !== false) this.walSync = new WalFileSync(`${this.raw.name}-wal`, options.flusher);
    this.raw.pragma('busy_timeout = 0');
    // A bigger page cache and fewer, larger checkpoints: the append path then writes mostly the WAL.
    this.raw.pragma('cache_size = -65536');
    const background = wal && options.checkpoints !== 'on-commit';
    this.raw.pragma(`wal_autocheckpoint = ${background ? 0 : AUTO_CHECKPOINT_PAGES}`);
    if (background) {
      this.stopCheckpoints = WalCheckpointer.forProcess().register(this.raw.name, () => {
        this.stopCheckpoints = undefined;
        if (this.raw.open) this.raw.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
      });
    }
    this.raw.pragma('temp_store = MEMORY');
    this.raw.pragma('foreign_keys = ON');
    registerRegexp(this.raw);
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.statements = new StatementCache(this.raw, options.statementCacheSize ?? 500);
    this.beginImmediate = this.raw.prepare('BEGIN IMMEDIATE');
    this.commitStatement = this.raw.prepare('COMMIT');
    this.rollbackStatement = this.raw.prepare('ROLLBACK');
  }

  /** The prepared statement for sql, from the cache; for adapters that run synchronous hot paths under `exclusive`. */
  prepare(sql: string): Database.Statement {
    return this.statements.get(sql);
  }

  /**
   * Runs synchronous work on the raw connection while no transaction is open, so it neither sees nor
   * joins another caller's uncommitted work. The event store's writer and readers use this.
   */
  exclusive<T>(fn: (raw: Raw) => T): Promise<T> {
    return this.mutex.runSync(() => fn(this.raw)).catch((error: unknown) => this.retryBusy(error, () => fn(this.raw)));
  }

  /**
   * Runs synchronous fn inside BEGIN IMMEDIATE ... COMMIT under `exclusive`; when the write lock is
   * busy the whole transaction is retried later, so fn must only depend on what it reads.
   */
  writeTransaction<T>(fn: (raw: Raw) => T): Promise<T> {
    return this.durably(this.exclusive((raw) => {
      this.beginImmediate.run();
      try {
        const result = fn(raw);
        this.commitStatement.run();
        return result;
      } catch (error) {
        if (raw.inTransaction) this.rollbackStatement.run();
        throw error;
      }
    }));
  }

  query<Row = Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
    const walSync = this.walSync;
    if (!walSync) return this.exclusive(() => this.queryNow<Row>(sql, params));
    let writes = false;
    const rows = this.exclusive(() => {
      // readonly, not reader: INSERT ... RETURNING returns rows and writes.
      writes = !this.statements.get(sql).readonly;
      return this.queryNow<Row>(sql, params);
    });
    return rows.then((result) => (writes ? walSync.sync().then(() => result) : result));
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.durably(this.exclusive(() => this.runNow(sql, params)));
  }

  /**
   * The script in one transaction, as PostgreSQL runs a multi-statement query: all or nothing, so a
   * busy file (another process, the checkpointer's connection opening) is waited out and retried.
   * Not for the statements SQLite refuses inside a transaction (VACUUM, journal_mode).
   */
  exec(sql: string): Promise<void> {
    return this.transaction(async (tx) => tx.exec(sql));
  }

  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    await this.acquireWriteLock();
    let open = true;
    const guard = (): void => {
      if (!open) throw new TransactionFinishedError();
    };
    const tx: SqlTransaction = {
      dialect: 'sqlite',
      query: async <Row>(sql: string, params: readonly SqlValue[] = []) => (guard(), this.queryNow<Row>(sql, params)),
      run: async (sql: string, params: readonly SqlValue[] = []) => (guard(), this.runNow(sql, params)),
      exec: async (sql: string) => (guard(), void this.raw.exec(sql)),
    };
    let result: T;
    try {
      result = await fn(tx);
      this.commitStatement.run();
    } catch (error) {
      if (this.raw.inTransaction) this.rollbackStatement.run();
      throw error;
    } finally {
      open = false;
      this.mutex.release();
    }
    // After the mutex is let go: the next transaction commits while this one's flush runs.
    await this.walSync?.sync();
    return result;
  }

  async close(): Promise<void> {
    // The checkpointer's connection first: the last one to close checkpoints and removes the WAL.
    await this.stopCheckpoints?.();
    await this.mutex.acquire();
    // Holding the mutex, no commit can start: the last flush covers every commit made.
    await this.walSync?.close().catch(() => undefined);
    this.statements.clear();
    if (this.raw.open) this.raw.close();
    this.mutex.release();
  }

  /**
   * Holds the mutex with BEGIN IMMEDIATE done: the write lock is taken up front, so a read-then-write
   * transaction cannot fail half way with SQLITE_BUSY. The mutex is let go while waiting.
   */
  private async acquireWriteLock(): Promise<void> {
    const deadline = Date.now() + this.busyTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      await this.mutex.acquire();
      try {
        this.beginImmediate.run();
        return;
      } catch (error) {
        this.mutex.release();
        if (!isSqliteBusy(error) || Date.now() > deadline) throw error;
      }
      await sleep(busyBackoffMs(attempt));
    }
  }

  /** Resolves with the write's result once it is on disk (at once when this database needs no flush). */
  private durably<T>(write: Promise<T>): Promise<T> {
    const walSync = this.walSync;
    return walSync ? write.then((result) => walSync.sync().then(() => result)) : write;
  }

  private async retryBusy<T>(error: unknown, fn: () => T): Promise<T> {
    const deadline = Date.now() + this.busyTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      if (!isSqliteBusy(error) || Date.now() > deadline) throw error;
      await sleep(busyBackoffMs(attempt));
      try {
        return await this.mutex.runSync(fn);
      } catch (next) {
        error = next;
      }
    }
  }

  private queryNow<Row>(sql: string, params: readonly SqlValue[]): Row[] {
    const statement = this.statements.get(sql);
    const bound = bindable(params);
    if (statement.reader) return statement.all(...bound) as Row[];
    statement.run(...bound);
    return [];
  }

  private runNow(sql: string, params: readonly SqlValue[]): number {
    const statement = this.statements.get(sql);
    const bound = bindable(params);
    if (statement.reader) {
      // A statement with RETURNING is a reader; run it to completion and count what it returned.
      return statement.all(...bound).length;
    }
    return statement.run(...bound).changes;
  }
}

/** better-sqlite3 binds no booleans; store them as SQLite does, 1 and 0. */
function bindable(params: readonly SqlValue[]): unknown[] {
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

/**
 * SQLite parses `x REGEXP y` but has no implementation; PostgreSQL has `~`. Nova filters names by
 * regular expression, so the read models need one. Patterns are compiled once per distinct pattern.
 */
function registerRegexp(raw: Raw): void {
  const compiled = new Map<string, RegExp>();
  raw.function('regexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
    if (typeof pattern !== 'string' || typeof value !== 'string') return 0;
    let re = compiled.get(pattern);
    if (!re) {
      if (compiled.size > 256) compiled.clear();
      re = new RegExp(pattern);
      compiled.set(pattern, re);
    }
    return re.test(value) ? 1 : 0;
  });
}

import type { SqlExecutor } from '../../adapters/sql/sql-database.js';

/**
 * A background consumer that must run in one process at a time (a projection runner, a process
 * manager, a sweeper): started when this process takes the lease, stopped when it loses or releases it.
 */
export interface SingletonConsumer {
  name: string;
  start(): Promise<void>;
  /** Resolves once nothing it started is still writing. */
  stop(): Promise<void>;
}

/** Checks, inside a transaction about to commit a consumer's progress, that this process still holds the lease. */
export type LeaseFence = (tx: SqlExecutor) => Promise<void>;

import type { EventStore } from '../adapters/event-store/event-store.port.js';
import type { SqlDatabase } from '../adapters/sql/sql-database.js';
import type { Projection } from './projection.js';
import { deferSecondaryIndexes, restoreDeferredIndexes } from './deferred-indexes.js';
import { ensureCheckpoints, writeCheckpoint } from './projection-checkpoints.js';
import { ProjectionRunner } from './projection-runner.js';

export interface RebuildOptions {
  db: SqlDatabase;
  store: EventStore;
  /** Every projection known; `names` picks from these. */
  projections: Projection[];
  /** Projection names, or 'all'. */
  names: readonly string[] | 'all';
  batchSize?: number;
  /** Called after each committed batch with the position reached. */
  onProgress?: (position: number) => void;
}

/** A name that no projection has. */
export class UnknownProjectionError extends Error {
  constructor(
    readonly projection: string,
    readonly known: string[],
  ) {
    super(`Unknown projection ${projection}; known: ${known.join(', ')}`);
    this.name = 'UnknownProjectionError';
  }
}

/**
 * Drops the chosen read models and replays $all from position 0 through the same runner code the
 * live subscription uses, so a rebuilt table is what incremental folding would have produced.
 * The live runner of these projections must not run meanwhile (it holds the projection lease).
 * Returns each rebuilt projection's checkpoint.
 */
export async function rebuildProjections(options: RebuildOptions): Promise<Record<string, number>> {
  const known = options.projections.map((p) => p.name);
  const chosen =
    options.names === 'all'
      ? options.projections
      : options.names.map((name) => {
          const projection = options.projections.find((p) => p.name === name);
          if (!projection) throw new UnknownProjectionError(name, known);
          return projection;
        });
  // Indexes an earlier rebuild died before recreating come back first, so they are deferred again below.
  await restoreDeferredIndexes(options.db);
  await options.db.transaction(async (tx) => {
    await ensureCheckpoints(tx, chosen.map((p) => p.name));
    for (const projection of chosen) {
      await projection.reset(tx);
      await deferSecondaryIndexes(tx, projection.tables ?? []);
      await writeCheckpoint(tx, projection.name, 0);
    }
  });
  const runner = new ProjectionRunner({
    db: options.db,
    store: options.store,
    projections: chosen,
    batchSize: options.batchSize,
    onBatch: options.onProgress,
  });
  await runner.catchUp();
  await restoreDeferredIndexes(options.db);
  return runner.checkpoints();
}

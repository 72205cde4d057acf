import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import type { EventStore } from '../adapters/event-store/event-store.port.js';
import type { SqlDatabase } from '../adapters/sql/sql-database.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG, EVENT_STORE, READ_MODEL_DB } from '../app/tokens.js';
import { LeaseKeeper } from '../handlers/lease/lease-keeper.js';
import { createAllProjections } from './all-projections.js';
import { ProjectionRunner } from './projection-runner.js';

const logger = new Logger('Projections');

/**
 * Every projection on one checkpointed subscription to $all, run by the process that holds the lease
 * (LeaseKeeper); in the others the runner only answers waits and lag from the checkpoints table.
 */
@Module({
  providers: [
    {
      provide: ProjectionRunner,
      inject: [READ_MODEL_DB, EVENT_STORE, APP_CONFIG, LeaseKeeper],
      useFactory: (db: SqlDatabase, store: EventStore, config: AppConfig, keeper: LeaseKeeper) =>
        new ProjectionRunner({
          db,
          store,
          projections: createAllProjections(),
          batchSize: config.PROJECTION_BATCH_SIZE,
          fence: keeper.fence,
          onError: (error) => logger.error(`projection batch failed, retrying: ${String(error)}`),
        }),
    },
  ],
  exports: [ProjectionRunner],
})
export class ProjectionsModule implements OnModuleInit {
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(LeaseKeeper) private readonly keeper: LeaseKeeper,
  ) {}

  onModuleInit(): void {
    this.keeper.register({ name: 'projections', start: () => this.runner.start(), stop: () => this.runner.stop() });
  }
}

import { Inject, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { EventStore } from '../adapters/event-store/event-store.port.js';
import type { SqlDatabase } from '../adapters/sql/sql-database.js';
import type { AppConfig } from '../config/config.schema.js';
import { APP_CONFIG, EVENT_STORE, READ_MODEL_DB } from '../app/tokens.js';
import { createAllProjections } from './all-projections.js';
import { ProjectionRunner } from './projection-runner.js';

const logger = new Logger('Projections');

/** Runs every projection on one checkpointed subscription to $all for the life of the service. */
@Module({
  providers: [
    {
      provide: ProjectionRunner,
      inject: [READ_MODEL_DB, EVENT_STORE, APP_CONFIG],
      useFactory: (db: SqlDatabase, store: EventStore, config: AppConfig) =>
        new ProjectionRunner({
          db,
          store,
          projections: createAllProjections(),
          batchSize: config.PROJECTION_BATCH_SIZE,
          onError: (error) => logger.error(`projection batch failed, retrying: ${String(error)}`),
        }),
    },
  ],
  exports: [ProjectionRunner],
})
export class ProjectionsModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(ProjectionRunner) private readonly runner: ProjectionRunner) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
  }
}

import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema.js';
import { Metrics } from '../api/metrics/metrics.js';
import { openStorage, type Storage } from './storage.js';
import { APP_CONFIG, EVENT_STORE, READ_MODEL_DB, SNAPSHOT_STORE } from './tokens.js';

const STORAGE = Symbol('STORAGE');

/** Opens the event store and the read-model database (migrated) once, for the whole application. */
@Global()
@Module({})
export class StorageModule implements OnApplicationShutdown {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: StorageModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        Metrics,
        { provide: STORAGE, inject: [Metrics], useFactory: (metrics: Metrics) => openStorage(config, metrics.eventStoreHooks) },
        { provide: EVENT_STORE, inject: [STORAGE], useFactory: (s: Storage) => s.store },
        { provide: SNAPSHOT_STORE, inject: [STORAGE], useFactory: (s: Storage) => s.snapshots },
        { provide: READ_MODEL_DB, inject: [STORAGE], useFactory: (s: Storage) => s.readModelDb },
      ],
      exports: [APP_CONFIG, Metrics, EVENT_STORE, SNAPSHOT_STORE, READ_MODEL_DB],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.storage.close();
  }
}

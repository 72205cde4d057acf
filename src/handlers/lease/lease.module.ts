import { Global, Inject, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { newLeaseHolder } from '../../adapters/lease/lease-holder.js';
import { SqlLease } from '../../adapters/lease/sql-lease.js';
import type { SqlDatabase } from '../../adapters/sql/sql-database.js';
import { APP_CONFIG, READ_MODEL_DB } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { LeaseKeeper } from './lease-keeper.js';

/** The one lease the singleton consumers share. */
export const SINGLETON_CONSUMERS_LEASE = 'singleton-consumers';

/**
 * Holds the lease in the read-model database for this process: the projections and the sagas
 * register their consumers with the keeper (onModuleInit), which starts them once the lease is
 * taken (at bootstrap, before the app listens, when no other process holds it) and stops them, then
 * releases it, at shutdown.
 */
@Global()
@Module({
  providers: [
    {
      provide: LeaseKeeper,
      inject: [APP_CONFIG, READ_MODEL_DB],
      useFactory: (config: AppConfig, db: SqlDatabase) =>
        new LeaseKeeper({
          lease: new SqlLease({ db, name: SINGLETON_CONSUMERS_LEASE, holder: newLeaseHolder(), ttlMs: config.LEASE_TTL_SECONDS * 1000 }),
          renewIntervalMs: config.LEASE_RENEW_INTERVAL_SECONDS * 1000,
          log: new Logger('Lease'),
        }),
    },
  ],
  exports: [LeaseKeeper],
})
export class LeaseModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(LeaseKeeper) private readonly keeper: LeaseKeeper,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // An API-only process never runs the singletons, so it never competes for them.
    if (this.config.PROCESS_ROLE === 'api') return;
    await this.keeper.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.keeper.stop();
  }
}

import { Module, type OnModuleInit } from '@nestjs/common';
import { APP_GUARD, HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { SqlDatabase } from '../../adapters/sql/sql-database.js';
import { READ_MODEL_DB } from '../../app/tokens.js';
import { ProjectionsModule } from '../../projections/projections.module.js';
import { IdempotentRequestGuard } from './idempotent-request.guard.js';
import { RequestReplies } from './request-replies.js';

/**
 * Retried writes (same X-OpenStack-Request-Id, same request) take effect once. The guard comes after
 * the AuthGuard (ApiModule imports AuthModule first: global guards run in the order they are found).
 */
@Module({
  imports: [ProjectionsModule],
  providers: [
    { provide: RequestReplies, inject: [READ_MODEL_DB], useFactory: (db: SqlDatabase) => new RequestReplies(db) },
    IdempotentRequestGuard,
    { provide: APP_GUARD, useExisting: IdempotentRequestGuard },
  ],
})
export class IdempotencyModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly guard: IdempotentRequestGuard,
  ) {}

  onModuleInit(): void {
    this.adapterHost.httpAdapter?.getInstance<FastifyInstance>().addHook('onSend', this.guard.onSend);
  }
}

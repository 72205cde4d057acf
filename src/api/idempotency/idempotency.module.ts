import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { SqlDatabase } from '../../adapters/sql/sql-database.js';
import { READ_MODEL_DB } from '../../app/tokens.js';
import { ProjectionsModule } from '../../projections/projections.module.js';
import { IdempotentRequestInterceptor } from './idempotent-request.interceptor.js';
import { RequestReplies } from './request-replies.js';

/** Retried writes (same X-OpenStack-Request-Id, same request) take effect once. */
@Module({
  imports: [ProjectionsModule],
  providers: [
    { provide: RequestReplies, inject: [READ_MODEL_DB], useFactory: (db: SqlDatabase) => new RequestReplies(db) },
    { provide: APP_INTERCEPTOR, useClass: IdempotentRequestInterceptor },
  ],
})
export class IdempotencyModule {}

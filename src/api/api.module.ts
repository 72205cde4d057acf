import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module.js';
import { HealthController } from './health/health.controller.js';
import { ReadinessService } from './health/readiness.service.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { JobsController } from './jobs/jobs.controller.js';
import { AuditController } from './audit/audit.controller.js';
import { EventsController } from './events/events.controller.js';
import { APP_FILTER } from '@nestjs/core';
import { NovaExceptionFilter } from './errors/nova-exception.filter.js';
import { AuthModule } from './auth/auth.module.js';
import { IdentityModule } from './identity/identity.module.js';
import { FlavorsApiModule } from './compute/flavors/flavors-api.module.js';
import { KeypairsApiModule } from './compute/keypairs/keypairs-api.module.js';
import { QuotasApiModule } from './compute/quotas/quotas-api.module.js';
import { HypervisorsApiModule } from './compute/hypervisors/hypervisors-api.module.js';
import { ImageApiModule } from './image/image-api.module.js';
import { NetworkApiModule } from './network/network-api.module.js';
import { ComputeModule } from './compute/compute.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { OpenApiModule } from './openapi/openapi.module.js';

@Module({
  imports: [ProjectionsModule, AuthModule, IdempotencyModule, IdentityModule, ComputeModule, FlavorsApiModule, KeypairsApiModule, QuotasApiModule, HypervisorsApiModule, ImageApiModule, NetworkApiModule, OpenApiModule],
  controllers: [HealthController, MetricsController, JobsController, AuditController, EventsController],
  providers: [ReadinessService, { provide: APP_FILTER, useClass: NovaExceptionFilter }],
})
export class ApiModule {}

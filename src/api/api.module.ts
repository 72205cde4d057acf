import { Module } from '@nestjs/common';
import { ProjectionsModule } from '../projections/projections.module.js';
import { HealthController } from './health/health.controller.js';
import { ReadinessService } from './health/readiness.service.js';
import { MetricsController } from './metrics/metrics.controller.js';

@Module({
  imports: [ProjectionsModule],
  controllers: [HealthController, MetricsController],
  providers: [ReadinessService],
})
export class ApiModule {}

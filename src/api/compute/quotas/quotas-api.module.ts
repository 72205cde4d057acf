import { Module } from '@nestjs/common';
import { ExecuteQuotaCommandHandler } from '../../../handlers/quota/execute-quota-command.handler.js';
import { FlavorsApiModule } from '../flavors/flavors-api.module.js';
import { LimitsController } from '../limits/limits.controller.js';
import { QuotaSetsController } from './quota-sets.controller.js';

/** Quotas (os-quota-sets) and the limits they give (GET /limits). */
@Module({
  imports: [FlavorsApiModule],
  controllers: [QuotaSetsController, LimitsController],
  providers: [ExecuteQuotaCommandHandler],
})
export class QuotasApiModule {}

import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Inject, Param, Put } from '@nestjs/common';
import { NoReplyBody } from '../../idempotency/no-reply-body.decorator.js';
import { z } from 'zod';
import type { SqlDatabase } from '../../../adapters/sql/sql-database.js';
import { READ_MODEL_DB } from '../../../app/tokens.js';
import { DEFAULT_QUOTAS, effectiveQuotas, type QuotaSet } from '../../../domain/quota/quota-resources.js';
import { ExecuteQuotaCommand } from '../../../handlers/quota/execute-quota-command.command.js';
import { computeUsage, getProjectQuotas, keypairCount } from '../../../projections/quotas/quota-usage.queries.js';
import { Ctx } from '../../auth/ctx.decorator.js';
import { PolicyNotAuthorizedError } from '../../auth/policy-not-authorized.error.js';
import { requireAdmin } from '../../auth/policy.js';
import type { RequestContext } from '../../auth/request-context.js';
import { CommandWriter } from '../../shared/command-writer.js';
import { parseBody } from '../../validation/parse-request.js';
import type { Microversion } from '../microversion.js';
import { ApiVersion, RequestId } from '../request-state.js';
import { quotaResourcesAt, quotaSetBody, quotaSetDetailBody } from './quota-set-body.js';

const limit = z.preprocess((v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v), z.number().int().min(-1).max(2_147_483_647));
const force = z.union([z.boolean(), z.enum(['true', 'false', 'True', 'False', '1', '0'])]).optional();

export function updateSchema(version: Microversion) {
  const fields = Object.fromEntries(quotaResourcesAt(version).map((r) => [r, limit.optional()]));
  return z.object({ quota_set: z.object({ ...fields, force }).strict() });
}

/** Nova's os-quota-sets: a project reads its own (admin any), admin sets and resets them. */
@Controller('compute/v2.1/os-quota-sets')
export class QuotaSetsController {
  constructor(
    @Inject(READ_MODEL_DB) private readonly db: SqlDatabase,
    private readonly writer: CommandWriter,
  ) {}

  @Get(':projectId/defaults')
  defaults(@ApiVersion() version: Microversion, @Param('projectId') projectId: string) {
    return { quota_set: quotaSetBody(DEFAULT_QUOTAS, version, projectId) };
  }

  @Get(':projectId/detail')
  async detail(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @Param('projectId') projectId: string) {
    this.mayRead(ctx, projectId, 'detail');
    const quotas = await this.quotas(projectId);
    const usage = await computeUsage(this.db, projectId);
    const inUse = { ...usage, key_pairs: await keypairCount(this.db, ctx.userId) };
    return { quota_set: quotaSetDetailBody(quotas, inUse, version, projectId) };
  }

  @Get(':projectId')
  async show(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @Param('projectId') projectId: string) {
    this.mayRead(ctx, projectId, 'show');
    return { quota_set: quotaSetBody(await this.quotas(projectId), version, projectId) };
  }

  @Put(':projectId')
  async update(
    @Ctx() ctx: RequestContext,
    @ApiVersion() version: Microversion,
    @RequestId() requestId: string,
    @Param('projectId') projectId: string,
    @Body() body: unknown,
  ) {
    requireAdmin(ctx, 'os_compute_api:os-quota-sets:update');
    const { force, ...limits } = parseBody(updateSchema(version), body).quota_set as Record<string, unknown>;
    const given = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as Partial<QuotaSet>;
    if (Object.keys(given).length === 0 && force === undefined) throw new BadRequestException('Invalid input for field/attribute quota_set: no quota given.');
    if (!(force === true || force === 'true' || force === 'True' || force === '1')) {
      // Nova refuses a limit below what the project already uses, unless forced.
      const usage = await computeUsage(this.db, projectId);
      for (const resource of ['instances', 'cores', 'ram'] as const) {
        const value = given[resource];
        if (value !== undefined && value !== -1 && value < usage[resource]) {
          throw new BadRequestException(
            `Quota limit ${value} for ${resource} must be greater than or equal to already used and reserved ${usage[resource]}.`,
          );
        }
      }
    }
    await this.writer.execute(new ExecuteQuotaCommand({ type: 'SetProjectQuotas', data: { projectId, limits: given } }, this.writer.meta(ctx, requestId)));
    return { quota_set: quotaSetBody(await this.quotas(projectId), version) };
  }

  @Delete(':projectId')
  @HttpCode(202)
  @NoReplyBody()
  async reset(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Param('projectId') projectId: string): Promise<void> {
    requireAdmin(ctx, 'os_compute_api:os-quota-sets:delete');
    await this.writer.execute(new ExecuteQuotaCommand({ type: 'ResetProjectQuotas', data: { projectId } }, this.writer.meta(ctx, requestId)));
  }

  private mayRead(ctx: RequestContext, projectId: string, action: string): void {
    if (!ctx.isAdmin && projectId !== ctx.projectId) throw new PolicyNotAuthorizedError(`os_compute_api:os-quota-sets:${action}`);
  }

  private async quotas(projectId: string): Promise<QuotaSet> {
    return effectiveQuotas(await getProjectQuotas(this.db, projectId));
  }
}

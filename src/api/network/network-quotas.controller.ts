import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { DEFAULT_NETWORK_QUOTAS, NETWORK_QUOTA_RESOURCES } from '../../domain/network-quota/network-quota-resources.js';
import { ExecuteNetworkQuotaCommand } from '../../handlers/networking/execute-network-quota-command.command.js';
import { Ctx } from '../auth/ctx.decorator.js';
import type { RequestContext } from '../auth/request-context.js';
import { RequestId } from '../compute/request-state.js';
import { NoReplyBody } from '../idempotency/no-reply-body.decorator.js';
import { resourceBody } from './neutron-body.js';
import { requireNetworkAdmin, requireNetworkOwner } from './network-policy.js';
import { NetworkQuotas } from './network-quotas.js';
import { quotaSchema } from './network-requests.schema.js';
import { CommandWriter } from '../shared/command-writer.js';

/**
 * Neutron's quotas: what `openstack quota show` reads when the catalog lists a network service.
 * A project reads its own, admin any; only admin changes them. Usage counts the project's networks,
 * subnets and ports (routers, floating IPs, security groups and the rest have none here: 0).
 */
@Controller('network/v2.0/quotas')
export class NetworkQuotasController {
  constructor(
    private readonly quotas: NetworkQuotas,
    private readonly writer: CommandWriter,
  ) {}

  @Get(':projectId')
  async show(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string) {
    this.mayRead(ctx, projectId);
    return { quota: await this.quotas.limits(projectId) };
  }

  @Get(':projectId/default')
  defaults(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string) {
    this.mayRead(ctx, projectId);
    return { quota: { ...DEFAULT_NETWORK_QUOTAS } };
  }

  @Get(':projectId/details.json')
  detailsJson(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string) {
    return this.details(ctx, projectId);
  }

  @Get(':projectId/details')
  async details(@Ctx() ctx: RequestContext, @Param('projectId') projectId: string) {
    this.mayRead(ctx, projectId);
    const [limits, usage] = await Promise.all([this.quotas.limits(projectId), this.quotas.usage(projectId)]);
    return { quota: Object.fromEntries(NETWORK_QUOTA_RESOURCES.map((r) => [r, { used: usage[r], limit: limits[r], reserved: 0 }])) };
  }

  @Put(':projectId')
  async update(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Param('projectId') projectId: string, @Body() body: unknown) {
    requireNetworkAdmin(ctx, 'update_quota');
    const limits = resourceBody(body, 'quota', quotaSchema);
    await this.writer.execute(new ExecuteNetworkQuotaCommand({ type: 'SetNetworkQuotas', data: { projectId, limits } }, this.writer.meta(ctx, requestId)));
    return { quota: await this.quotas.limits(projectId) };
  }

  @Delete(':projectId')
  @HttpCode(204)
  @NoReplyBody()
  async reset(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Param('projectId') projectId: string): Promise<void> {
    requireNetworkAdmin(ctx, 'delete_quota');
    await this.writer.execute(new ExecuteNetworkQuotaCommand({ type: 'ResetNetworkQuotas', data: { projectId } }, this.writer.meta(ctx, requestId)));
  }

  private mayRead(ctx: RequestContext, projectId: string): void {
    requireNetworkOwner(ctx, projectId, 'get_quota');
  }
}

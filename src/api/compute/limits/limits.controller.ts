import { Controller, Get, Inject, Query } from '@nestjs/common';
import { z } from 'zod';
import type { SqlDatabase } from '../../../adapters/sql/sql-database.js';
import { READ_MODEL_DB } from '../../../app/tokens.js';
import { effectiveQuotas, type QuotaResource } from '../../../domain/quota/quota-resources.js';
import { computeUsage, getProjectQuotas } from '../../../projections/quotas/quota-usage.queries.js';
import { Ctx } from '../../auth/ctx.decorator.js';
import { PolicyNotAuthorizedError } from '../../auth/policy-not-authorized.error.js';
import type { RequestContext } from '../../auth/request-context.js';
import { parseQuery } from '../../validation/parse-request.js';
import { isAtLeast, type Microversion } from '../microversion.js';
import { ApiVersion } from '../request-state.js';

/** Nova's absolute limit names per quota resource (views/limits.py). */
const LIMIT_NAMES: [QuotaResource, string][] = [
  ['ram', 'maxTotalRAMSize'],
  ['instances', 'maxTotalInstances'],
  ['cores', 'maxTotalCores'],
  ['key_pairs', 'maxTotalKeypairs'],
  ['floating_ips', 'maxTotalFloatingIps'],
  ['metadata_items', 'maxServerMeta'],
  ['metadata_items', 'maxImageMeta'],
  ['injected_files', 'maxPersonality'],
  ['injected_file_content_bytes', 'maxPersonalitySize'],
  ['security_groups', 'maxSecurityGroups'],
  ['security_group_rules', 'maxSecurityGroupRules'],
  ['server_groups', 'maxServerGroups'],
  ['server_group_members', 'maxServerGroupMembers'],
];

const USED_NAMES: [QuotaResource, string][] = [
  ['ram', 'totalRAMUsed'],
  ['cores', 'totalCoresUsed'],
  ['instances', 'totalInstancesUsed'],
  ['floating_ips', 'totalFloatingIpsUsed'],
  ['security_groups', 'totalSecurityGroupsUsed'],
  ['server_groups', 'totalServerGroupsUsed'],
];

function shown(resource: QuotaResource, name: string, version: Microversion): boolean {
  if (isAtLeast(version, '2.36') && ['floating_ips', 'security_groups', 'security_group_rules'].includes(resource)) return false;
  if (isAtLeast(version, '2.39') && name === 'maxImageMeta') return false;
  if (isAtLeast(version, '2.57') && ['injected_files', 'injected_file_content_bytes'].includes(resource)) return false;
  return true;
}

export const limitsQuery = z.object({ tenant_id: z.string().min(1).optional(), reserved: z.string().optional() });

/** GET /limits: the caller's project's quotas and what its servers use (admin: any project's, by tenant_id). */
@Controller('compute/v2.1/limits')
export class LimitsController {
  constructor(@Inject(READ_MODEL_DB) private readonly db: SqlDatabase) {}

  @Get()
  async show(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @Query() query: Record<string, unknown>) {
    const q = parseQuery(limitsQuery, query);
    const projectId = q.tenant_id ?? ctx.projectId;
    if (projectId !== ctx.projectId && !ctx.isAdmin) throw new PolicyNotAuthorizedError('os_compute_api:limits:other_project');
    const quotas = effectiveQuotas(await getProjectQuotas(this.db, projectId));
    const usage: Partial<Record<QuotaResource, number>> = await computeUsage(this.db, projectId);
    const absolute: Record<string, number> = {};
    for (const [resource, name] of LIMIT_NAMES) if (shown(resource, name, version)) absolute[name] = quotas[resource];
    for (const [resource, name] of USED_NAMES) if (shown(resource, name, version)) absolute[name] = usage[resource] ?? 0;
    return { limits: { rate: [], absolute } };
  }
}

import { BadRequestException, Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import type { ClusterPort } from '../../../adapters/kubernetes/cluster.port.js';
import type { SqlDatabase } from '../../../adapters/sql/sql-database.js';
import { CLUSTER, READ_MODEL_DB } from '../../../app/tokens.js';
import { Ctx } from '../../auth/ctx.decorator.js';
import { requireAdmin } from '../../auth/policy.js';
import type { RequestContext } from '../../auth/request-context.js';
import { isAtLeast, type Microversion } from '../microversion.js';
import { ApiVersion } from '../request-state.js';
import { hypervisorDetail, hypervisorId, hypervisorStatistics, hypervisorSummary, type HypervisorNode } from './hypervisor-body.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Nova's os-hypervisors, from the cluster's nodes (each node is a compute host). Admin only. */
@Controller('compute/v2.1/os-hypervisors')
export class HypervisorsController {
  constructor(
    @Inject(CLUSTER) private readonly cluster: ClusterPort,
    @Inject(READ_MODEL_DB) private readonly db: SqlDatabase,
  ) {}

  @Get()
  async index(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion) {
    requireAdmin(ctx, 'os_compute_api:os-hypervisors:list');
    return { hypervisors: (await this.nodes()).map((h) => hypervisorSummary(h, version)) };
  }

  @Get('detail')
  async detail(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion) {
    requireAdmin(ctx, 'os_compute_api:os-hypervisors:list-detail');
    return { hypervisors: (await this.nodes()).map((h) => hypervisorDetail(h, version)) };
  }

  @Get('statistics')
  async statistics(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion) {
    requireAdmin(ctx, 'os_compute_api:os-hypervisors:statistics');
    if (isAtLeast(version, '2.88')) throw new NotFoundException('The resource could not be found.');
    return { hypervisor_statistics: hypervisorStatistics(await this.nodes()) };
  }

  @Get(':id')
  async show(@Ctx() ctx: RequestContext, @ApiVersion() version: Microversion, @Param('id') id: string) {
    requireAdmin(ctx, 'os_compute_api:os-hypervisors:show');
    if (isAtLeast(version, '2.53') ? !UUID.test(id) : !/^\d+$/.test(id)) {
      throw new BadRequestException(`Invalid ID ${id} provided.`);
    }
    const found = (await this.nodes()).find((h) => String(hypervisorId(h, version)) === id.toLowerCase());
    if (!found) throw new NotFoundException(`Hypervisor with ID ${id} could not be found.`);
    return { hypervisor: hypervisorDetail(found, version) };
  }

  private async nodes(): Promise<HypervisorNode[]> {
    const nodes = (await this.cluster.listNodes()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const rows = await this.db.query<{ host: string; n: unknown }>('SELECT host, COUNT(*) AS n FROM servers WHERE deleted = 0 AND host IS NOT NULL GROUP BY host');
    const running = new Map(rows.map((r) => [r.host, Number(r.n)]));
    return nodes.map((node, index) => ({ node, index, runningVms: running.get(node.name) ?? 0 }));
  }
}

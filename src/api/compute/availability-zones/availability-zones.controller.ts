import { Controller, Get, Inject } from '@nestjs/common';
import type { ClusterPort } from '../../../adapters/kubernetes/cluster.port.js';
import { CLUSTER } from '../../../app/tokens.js';
import { Clock } from '../../../handlers/shared/clock.js';
import { Ctx } from '../../auth/ctx.decorator.js';
import { requireAdmin } from '../../auth/policy.js';
import type { RequestContext } from '../../auth/request-context.js';

/** Nova's default availability zone: every node of the cluster is in it. */
export const DEFAULT_ZONE = 'nova';

/** Nova's os-availability-zone: the zone list for everyone, its hosts and services for admin. */
@Controller('compute/v2.1/os-availability-zone')
export class AvailabilityZonesController {
  constructor(
    @Inject(CLUSTER) private readonly cluster: ClusterPort,
    private readonly clock: Clock,
  ) {}

  @Get()
  async index() {
    const nodes = await this.cluster.listNodes();
    return { availabilityZoneInfo: [{ zoneName: DEFAULT_ZONE, zoneState: { available: nodes.some((n) => n.ready) }, hosts: null }] };
  }

  @Get('detail')
  async detail(@Ctx() ctx: RequestContext) {
    requireAdmin(ctx, 'os_compute_api:os-availability-zone:detail');
    const nodes = (await this.cluster.listNodes()).sort((a, b) => (a.name < b.name ? -1 : 1));
    const now = this.clock.now().replace('Z', '').padEnd(26, '0');
    const hosts = Object.fromEntries(nodes.map((n) => [n.name, { 'nova-compute': { available: n.ready, active: true, updated_at: now } }]));
    return { availabilityZoneInfo: [{ zoneName: DEFAULT_ZONE, zoneState: { available: nodes.some((n) => n.ready) }, hosts }] };
  }
}

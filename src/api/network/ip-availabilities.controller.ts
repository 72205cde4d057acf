import { Controller, Get, Param, Query } from '@nestjs/common';
import { NetworkNotFoundError } from '../../domain/network/network.errors.js';
import type { SubnetView } from '../../projections/networking/subnet-view.js';
import type { NetworkView } from '../../projections/networking/network-view.js';
import { Ctx } from '../auth/ctx.decorator.js';
import type { RequestContext } from '../auth/request-context.js';
import { neutronList, pick, values, type RawQuery } from './neutron-list.js';
import { requireNetworkAdmin } from './network-policy.js';
import { NetworkReads } from './network-reads.js';

const FILTERABLE = ['network_id', 'network_name', 'project_id', 'tenant_id', 'ip_version'] as const;

/**
 * Neutron's network-ip-availabilities (admin only, as Neutron's policy): used and total addresses per
 * network and per subnet. Totals are JSON numbers: past 2^53 (an IPv6 /64) they are approximate.
 */
@Controller('network/v2.0/network-ip-availabilities')
export class IpAvailabilitiesController {
  constructor(private readonly reads: NetworkReads) {}

  @Get()
  async index(@Ctx() ctx: RequestContext, @Query() query: RawQuery) {
    requireNetworkAdmin(ctx, 'get_network_ip_availability');
    const { ip_version: ipVersion, ...rest } = query;
    const items = await this.availabilities(ctx, values(ipVersion).map(Number));
    const listed = neutronList(
      items.map((i) => ({ ...i, id: i.network_id })),
      rest,
      { collection: 'network_ip_availabilities', filterable: FILTERABLE, url: `${this.reads.url}/network-ip-availabilities`, markerNotFound: (id) => `Network ${id} could not be found.` },
    );
    const list = listed.network_ip_availabilities as Record<string, unknown>[];
    return { ...listed, network_ip_availabilities: list.map(({ id: _id, ...a }) => a) };
  }

  @Get(':id')
  async show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() query: RawQuery) {
    requireNetworkAdmin(ctx, 'get_network_ip_availability');
    const found = (await this.availabilities(ctx, [], id))[0];
    if (!found) throw new NetworkNotFoundError(id);
    return { network_ip_availability: pick(found, values(query.fields)) };
  }

  private async availabilities(ctx: RequestContext, ipVersions: number[], networkId?: string): Promise<Record<string, unknown>[]> {
    const networks = await this.reads.networks(ctx, networkId ? { id: networkId } : {});
    const subnets = await this.reads.subnets(ctx, networkId ? { network_id: networkId } : {});
    // ip_version keeps the networks with a subnet of that version, and only those subnets (as Neutron).
    const of = (network: NetworkView) => subnets.map((s) => s.view).filter((s) => s.networkId === network.id && (ipVersions.length === 0 || ipVersions.includes(s.ipVersion)));
    return networks.filter(({ view }) => ipVersions.length === 0 || of(view).length > 0).map(({ view }) => availability(view, of(view)));
  }
}

function availability(network: NetworkView, subnets: SubnetView[]): Record<string, unknown> {
  return {
    network_id: network.id,
    network_name: network.name,
    project_id: network.projectId,
    tenant_id: network.projectId,
    used_ips: subnets.reduce((n, s) => n + s.usedIps, 0),
    total_ips: Number(subnets.reduce((n, s) => n + BigInt(s.totalIps), 0n)),
    subnet_ip_availability: subnets.map((s) => ({ subnet_id: s.id, subnet_name: s.name, cidr: s.cidr, ip_version: s.ipVersion, used_ips: s.usedIps, total_ips: Number(s.totalIps) })),
  };
}

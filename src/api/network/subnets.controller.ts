import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { subnetStreamId } from '../../domain/subnet/subnet.events.js';
import { ExecuteSubnetCommand } from '../../handlers/networking/execute-subnet-command.command.js';
import { CreateSubnetCommand, DeleteSubnetCommand } from '../../handlers/networking/networking-flows.command.js';
import { Ctx } from '../auth/ctx.decorator.js';
import type { RequestContext } from '../auth/request-context.js';
import { RequestId } from '../compute/request-state.js';
import { NewResourceId, type NewResourceIdValue } from '../idempotency/new-resource-id.decorator.js';
import { NoReplyBody } from '../idempotency/no-reply-body.decorator.js';
import { subnetBody } from './neutron-bodies.js';
import { resourceBody } from './neutron-body.js';
import { pick, values, type RawQuery } from './neutron-list.js';
import { neutronSqlList, STANDARD_ATTRIBUTES, type SqlAttribute } from './neutron-sql-list.js';
import { rowToSubnet, SUBNET_COLUMNS, type SubnetRow } from '../../projections/networking/subnet-view.js';
import { createdForProject, requireNetworkOwner, requireNetworkWriter } from './network-policy.js';
import { NetworkQuotas } from './network-quotas.js';
import { NetworkReads, visibleSubnets } from './network-reads.js';
import { createSubnetSchema, updateSubnetSchema } from './network-requests.schema.js';
import { CommandWriter } from '../shared/command-writer.js';

const FILTERABLE = [
  'id', 'name', 'description', 'network_id', 'ip_version', 'cidr', 'gateway_ip', 'enable_dhcp', 'ipv6_ra_mode', 'ipv6_address_mode', 'subnetpool_id',
  'project_id', 'tenant_id', 'revision_number',
] as const;

/** The filters that are columns (the IPv6 modes and subnet pool are null here: checked on the rows). */
const SUBNET_ATTRIBUTES: Record<string, SqlAttribute> = {
  ...STANDARD_ATTRIBUTES,
  network_id: { column: 'network_id', type: 'text' },
  ip_version: { column: 'ip_version', type: 'int' },
  cidr: { column: 'cidr', type: 'text' },
  gateway_ip: { column: 'gateway_ip', type: 'text', nullAsEmpty: true },
  enable_dhcp: { column: 'enable_dhcp', type: 'bool' },
};

/** Neutron's subnets: one CIDR each; dual stack is an IPv4 and an IPv6 subnet on one network. */
@Controller('network/v2.0/subnets')
export class SubnetsController {
  constructor(
    private readonly reads: NetworkReads,
    private readonly writer: CommandWriter,
    private readonly quotas: NetworkQuotas,
  ) {}

  @Get()
  async index(@Ctx() ctx: RequestContext, @Query() query: RawQuery) {
    return neutronSqlList(this.reads.db, query, {
      collection: 'subnets',
      filterable: FILTERABLE,
      url: `${this.reads.url}/subnets`,
      markerNotFound: (id) => `Subnet ${id} could not be found.`,
      table: 'subnets',
      columns: SUBNET_COLUMNS,
      attributes: SUBNET_ATTRIBUTES,
      visibility: visibleSubnets(ctx),
      render: (row: SubnetRow) => subnetBody(rowToSubnet(row), Number(row.position)),
    });
  }

  @Get(':id')
  async show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() query: RawQuery) {
    const { view, revision } = await this.reads.subnet(ctx, id);
    return { subnet: pick(subnetBody(view, revision), values(query.fields)) };
  }

  @Post()
  @HttpCode(201)
  async create(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Body() body: unknown, @NewResourceId() newId: NewResourceIdValue) {
    requireNetworkWriter(ctx, 'create_subnet');
    const s = resourceBody(body, 'subnet', createSubnetSchema);
    const projectId = createdForProject(s, ctx, 'create_subnet');
    const network = await this.reads.network(ctx, s.network_id);
    // Only the network's owner (or admin) puts subnets on it, shared or not (Neutron's create_subnet policy).
    requireNetworkOwner(ctx, network.view.projectId, 'create_subnet');
    const subnetId = newId.id;
    const retried = await this.writer.createdByEarlierAttempt(newId, subnetStreamId(subnetId));
    if (!retried) {
      await this.quotas.assertRoom(projectId, 'subnet');
      await this.writer.execute(
        new CreateSubnetCommand(
          {
            subnetId,
            networkId: s.network_id,
            projectId,
            name: s.name ?? '',
            description: s.description,
            ipVersion: s.ip_version,
            cidr: s.cidr,
            gatewayIp: s.gateway_ip,
            allocationPools: s.allocation_pools,
            dnsNameservers: s.dns_nameservers,
            enableDhcp: s.enable_dhcp,
          },
          this.writer.meta(ctx, requestId),
        ),
      );
    }
    const { view, revision } = await this.reads.subnet(ctx, subnetId);
    return { subnet: subnetBody(view, revision) };
  }

  @Put(':id')
  async update(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Param('id') id: string, @Body() body: unknown) {
    requireNetworkWriter(ctx, 'update_subnet');
    const current = await this.reads.subnet(ctx, id);
    const s = resourceBody(body, 'subnet', updateSubnetSchema);
    requireNetworkOwner(ctx, current.view.projectId, 'update_subnet');
    await this.writer.execute(
      new ExecuteSubnetCommand(
        {
          type: 'UpdateSubnet',
          data: {
            subnetId: id,
            name: s.name,
            description: s.description,
            gatewayIp: s.gateway_ip,
            allocationPools: s.allocation_pools,
            dnsNameservers: s.dns_nameservers,
            enableDhcp: s.enable_dhcp,
          },
        },
        this.writer.meta(ctx, requestId),
      ),
    );
    const { view, revision } = await this.reads.subnet(ctx, id);
    return { subnet: subnetBody(view, revision) };
  }

  @Delete(':id')
  @HttpCode(204)
  @NoReplyBody()
  async remove(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Param('id') id: string): Promise<void> {
    requireNetworkWriter(ctx, 'delete_subnet');
    const { view } = await this.reads.subnet(ctx, id);
    requireNetworkOwner(ctx, view.projectId, 'delete_subnet');
    await this.writer.execute(new DeleteSubnetCommand(id, this.writer.meta(ctx, requestId)));
  }
}

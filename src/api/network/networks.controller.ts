import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { networkStreamId } from '../../domain/network/network.events.js';
import { ExecuteNetworkCommand } from '../../handlers/networking/execute-network-command.command.js';
import { DeleteNetworkCommand } from '../../handlers/networking/networking-flows.command.js';
import { Ctx } from '../auth/ctx.decorator.js';
import type { RequestContext } from '../auth/request-context.js';
import { RequestId } from '../compute/request-state.js';
import { CommandWriter } from '../shared/command-writer.js';
import { NewResourceId, type NewResourceIdValue } from '../idempotency/new-resource-id.decorator.js';
import { NoReplyBody } from '../idempotency/no-reply-body.decorator.js';
import { networkBody } from './neutron-bodies.js';
import { resourceBody } from './neutron-body.js';
import { pick, values, type RawQuery } from './neutron-list.js';
import { neutronSqlList, STANDARD_ATTRIBUTES, type SqlAttribute } from './neutron-sql-list.js';
import { NETWORK_COLUMNS, rowToNetwork, type NetworkRow } from '../../projections/networking/network-view.js';
import { NeutronPolicyRefused } from './neutron-errors.js';
import { NetworkQuotas } from './network-quotas.js';
import { NetworkReads, visibleNetworks } from './network-reads.js';
import { createdForProject, requireNetworkOwner, requireNetworkWriter } from './network-policy.js';
import { createNetworkSchema, updateNetworkSchema } from './network-requests.schema.js';

const FILTERABLE = [
  'id', 'name', 'description', 'admin_state_up', 'status', 'shared', 'router:external', 'mtu', 'project_id', 'tenant_id', 'is_default', 'revision_number',
] as const;

/** The filters that are columns (status and is_default are the same for every network here: checked on the rows). */
const NETWORK_ATTRIBUTES: Record<string, SqlAttribute> = {
  ...STANDARD_ATTRIBUTES,
  admin_state_up: { column: 'admin_state_up', type: 'bool' },
  shared: { column: 'shared', type: 'bool' },
  'router:external': { column: 'external', type: 'bool' },
  mtu: { column: 'mtu', type: 'int' },
};

/** Neutron's networks. */
@Controller('network/v2.0/networks')
export class NetworksController {
  constructor(
    private readonly reads: NetworkReads,
    private readonly writer: CommandWriter,
    private readonly quotas: NetworkQuotas,
  ) {}

  @Get()
  async index(@Ctx() ctx: RequestContext, @Query() query: RawQuery) {
    return neutronSqlList(this.reads.db, query, {
      collection: 'networks',
      filterable: FILTERABLE,
      url: `${this.reads.url}/networks`,
      markerNotFound: (id) => `Network ${id} could not be found.`,
      table: 'networks',
      columns: NETWORK_COLUMNS,
      attributes: NETWORK_ATTRIBUTES,
      visibility: visibleNetworks(ctx),
      render: (row: NetworkRow) => networkBody(rowToNetwork(row), Number(row.position)),
    });
  }

  @Get(':id')
  async show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() query: RawQuery) {
    const { view, revision } = await this.reads.network(ctx, id);
    return { network: pick(networkBody(view, revision), values(query.fields)) };
  }

  @Post()
  @HttpCode(201)
  async create(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Body() body: unknown, @NewResourceId() newId: NewResourceIdValue) {
    requireNetworkWriter(ctx, 'create_network');
    const n = resourceBody(body, 'network', createNetworkSchema);
    const projectId = createdForProject(n, ctx, 'create_network');
    if (n.shared && !ctx.isAdmin) throw new NeutronPolicyRefused('create_network:shared');
    if (n['router:external'] && !ctx.isAdmin) throw new NeutronPolicyRefused('create_network:router:external');
    const networkId = newId.id;
    const retried = await this.writer.createdByEarlierAttempt(newId, networkStreamId(networkId));
    if (!retried) {
      await this.quotas.assertRoom(projectId, 'network');
      await this.writer.execute(
        new ExecuteNetworkCommand(
          {
            type: 'CreateNetwork',
            data: { networkId, projectId, name: n.name ?? '', description: n.description, shared: n.shared, external: n['router:external'], mtu: n.mtu, adminStateUp: n.admin_state_up },
          },
          this.writer.meta(ctx, requestId),
        ),
      );
    }
    const { view, revision } = await this.reads.network(ctx, networkId);
    return { network: networkBody(view, revision) };
  }

  @Put(':id')
  async update(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Param('id') id: string, @Body() body: unknown) {
    requireNetworkWriter(ctx, 'update_network');
    const current = await this.reads.network(ctx, id);
    const n = resourceBody(body, 'network', updateNetworkSchema);
    requireNetworkOwner(ctx, current.view.projectId, 'update_network');
    if (!ctx.isAdmin && (n.shared !== undefined || n['router:external'] !== undefined)) throw new NeutronPolicyRefused('update_network:shared');
    await this.writer.execute(
      new ExecuteNetworkCommand(
        {
          type: 'UpdateNetwork',
          data: { networkId: id, name: n.name, description: n.description, shared: n.shared, external: n['router:external'], mtu: n.mtu, adminStateUp: n.admin_state_up },
        },
        this.writer.meta(ctx, requestId),
      ),
    );
    const { view, revision } = await this.reads.network(ctx, id);
    return { network: networkBody(view, revision) };
  }

  @Delete(':id')
  @HttpCode(204)
  @NoReplyBody()
  async remove(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Param('id') id: string): Promise<void> {
    requireNetworkWriter(ctx, 'delete_network');
    const { view } = await this.reads.network(ctx, id);
    requireNetworkOwner(ctx, view.projectId, 'delete_network');
    await this.writer.execute(new DeleteNetworkCommand(id, this.writer.meta(ctx, requestId)));
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { parseIpAddress } from '../../domain/ip/ip-address.js';
import { portStreamId } from '../../domain/port/port.events.js';
import { ExecutePortCommand } from '../../handlers/networking/execute-port-command.command.js';
import { CreatePortCommand, DeletePortCommand } from '../../handlers/networking/networking-flows.command.js';
import type { PortView } from '../../projections/networking/port-view.js';
import { Ctx } from '../auth/ctx.decorator.js';
import type { RequestContext } from '../auth/request-context.js';
import { RequestId } from '../compute/request-state.js';
import { NewResourceId, type NewResourceIdValue } from '../idempotency/new-resource-id.decorator.js';
import { NoReplyBody } from '../idempotency/no-reply-body.decorator.js';
import { portBody, VNIC_FROM_NEUTRON } from './neutron-bodies.js';
import { resourceBody } from './neutron-body.js';
import { NeutronBadRequest, NeutronConflict } from './neutron-errors.js';
import { pick, values, type RawQuery } from './neutron-list.js';
import { neutronSqlList, STANDARD_ATTRIBUTES, type SqlAttribute } from './neutron-sql-list.js';
import { PORT_COLUMNS, rowToPort, type PortRow } from '../../projections/networking/port-view.js';
import { createdForProject, requirePortNetworkOwnedOrShared, requireNetworkWriter } from './network-policy.js';
import { NetworkQuotas } from './network-quotas.js';
import { NetworkReads, visiblePorts } from './network-reads.js';
import { createPortSchema, updatePortSchema } from './network-requests.schema.js';
import { CommandWriter } from '../shared/command-writer.js';

const FILTERABLE = [
  'id', 'name', 'description', 'network_id', 'mac_address', 'fixed_ips', 'device_id', 'device_owner', 'status', 'admin_state_up', 'binding:vnic_type',
  'binding:host_id', 'binding:vif_type', 'port_security_enabled', 'project_id', 'tenant_id', 'revision_number',
] as const;

/** The filters that are columns (fixed_ips is matched in the JSON column; see neutron-sql-list.ts). */
const PORT_ATTRIBUTES: Record<string, SqlAttribute> = {
  ...STANDARD_ATTRIBUTES,
  network_id: { column: 'network_id', type: 'text' },
  mac_address: { column: 'mac_address', type: 'text' },
  device_id: { column: 'device_id', type: 'text' },
  device_owner: { column: 'device_owner', type: 'text' },
  status: { column: 'status', type: 'text' },
  admin_state_up: { column: 'admin_state_up', type: 'bool' },
  'binding:vnic_type': { column: 'vnic_type', type: 'text', toColumn: (v) => VNIC_FROM_NEUTRON[v] ?? `not-a-vnic-type:${v}` },
  'binding:host_id': { column: 'host_id', type: 'text', nullAsEmpty: true },
  'binding:vif_type': { column: 'vif_type', type: 'text' },
  port_security_enabled: { column: 'port_security_enabled', type: 'bool' },
};

/** Binding happens through the server, where the attach saga runs; a device_id written on a port would bind nothing. */
const ATTACH_THROUGH_SERVER =
  'A port is bound to a server by attaching it there (POST /compute/v2.1/servers/{server_id}/os-interface with its port_id, or `openstack server add port`), not by writing its device_id.';

const vnicType = (neutron: string | undefined): string | undefined => (neutron === undefined ? undefined : (VNIC_FROM_NEUTRON[neutron] ?? neutron));

/** Neutron's ports: the seeds' NicPorts (fixed IPs, MAC, binding). */
@Controller('network/v2.0/ports')
export class PortsController {
  constructor(
    private readonly reads: NetworkReads,
    private readonly writer: CommandWriter,
    private readonly quotas: NetworkQuotas,
  ) {}

  @Get()
  async index(@Ctx() ctx: RequestContext, @Query() query: RawQuery) {
    return neutronSqlList(this.reads.db, query, {
      collection: 'ports',
      filterable: FILTERABLE,
      url: `${this.reads.url}/ports`,
      markerNotFound: (id) => `Port ${id} could not be found.`,
      table: 'ports',
      columns: PORT_COLUMNS,
      attributes: PORT_ATTRIBUTES,
      fixedIpsColumn: 'fixed_ips',
      visibility: visiblePorts(ctx),
      render: (row: PortRow) => portBody(rowToPort(row), Number(row.position)),
    });
  }

  @Get(':id')
  async show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query() query: RawQuery) {
    const { view, revision } = await this.reads.port(ctx, id);
    return { port: pick(portBody(view, revision), values(query.fields)) };
  }

  @Post()
  @HttpCode(201)
  async create(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Body() body: unknown, @NewResourceId() newId: NewResourceIdValue) {
    requireNetworkWriter(ctx, 'create_port');
    const p = resourceBody(body, 'port', createPortSchema);
    const projectId = createdForProject(p, ctx, 'create_port');
    if (p.device_id) throw new NeutronConflict(ATTACH_THROUGH_SERVER, 'HTTPConflict');
    const { view: network } = await this.reads.network(ctx, p.network_id);
    requirePortNetworkOwnedOrShared(ctx, network, projectId);
    const portId = newId.id;
    const retried = await this.writer.createdByEarlierAttempt(newId, portStreamId(portId));
    if (!retried) {
      await this.quotas.assertRoom(projectId, 'port');
      await this.writer.execute(
        new CreatePortCommand(
          {
            portId,
            networkId: p.network_id,
            projectId,
            name: p.name,
            description: p.description,
            adminStateUp: p.admin_state_up,
            macAddress: p.mac_address,
            fixedIps: p.fixed_ips?.map((f) => ({ subnetId: f.subnet_id, ipAddress: f.ip_address })),
            vnicType: vnicType(p['binding:vnic_type']),
            deviceOwner: p.device_owner,
            portSecurityEnabled: p.port_security_enabled,
            securityGroups: p.security_groups,
          },
          this.writer.meta(ctx, requestId),
        ),
      );
    }
    const { view, revision } = await this.reads.port(ctx, portId);
    return { port: portBody(view, revision) };
  }

  @Put(':id')
  async update(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Param('id') id: string, @Body() body: unknown) {
    requireNetworkWriter(ctx, 'update_port');
    const { view: current } = await this.reads.port(ctx, id);
    const p = resourceBody(body, 'port', updatePortSchema);
    refuseUnsupportedChanges(current, p);
    await this.writer.execute(
      new ExecutePortCommand(
        {
          type: 'UpdatePort',
          data: {
            portId: id,
            name: p.name,
            description: p.description,
            adminStateUp: p.admin_state_up,
            portSecurityEnabled: p.port_security_enabled,
            securityGroups: p.security_groups,
            vnicType: vnicType(p['binding:vnic_type']),
          },
        },
        this.writer.meta(ctx, requestId),
      ),
    );
    const { view, revision } = await this.reads.port(ctx, id);
    return { port: portBody(view, revision) };
  }

  @Delete(':id')
  @HttpCode(204)
  @NoReplyBody()
  async remove(@Ctx() ctx: RequestContext, @RequestId() requestId: string, @Param('id') id: string): Promise<void> {
    requireNetworkWriter(ctx, 'delete_port');
    await this.reads.port(ctx, id);
    await this.writer.execute(new DeletePortCommand(id, this.writer.meta(ctx, requestId)));
  }
}

/**
 * What a port update cannot change here, each refused in so many words (the same value is no change):
 * its addresses and MAC (delete and create the port instead), its owner, and its binding, which the
 * attach and detach sagas own.
 */
function refuseUnsupportedChanges(port: PortView, p: { fixed_ips?: { subnet_id?: string; ip_address?: string }[]; device_id?: string; device_owner?: string; mac_address?: string; 'binding:host_id'?: string }): void {
  if (p.fixed_ips !== undefined && !sameFixedIps(port, p.fixed_ips)) {
    throw new NeutronBadRequest('Changing the fixed_ips of a port is not supported by this cloud: delete the port and create it with the addresses wanted.', 'InvalidInput');
  }
  if (p.mac_address !== undefined && p.mac_address.toLowerCase() !== port.macAddress) {
    throw new NeutronBadRequest('Changing the mac_address of a port is not supported by this cloud.', 'InvalidInput');
  }
  if (p.device_id !== undefined && p.device_id !== port.deviceId) throw new NeutronConflict(ATTACH_THROUGH_SERVER, 'HTTPConflict');
  if (p.device_owner !== undefined && p.device_owner !== port.deviceOwner) throw new NeutronConflict(ATTACH_THROUGH_SERVER, 'HTTPConflict');
  if (p['binding:host_id'] !== undefined && p['binding:host_id'] !== (port.hostId ?? '')) throw new NeutronConflict(ATTACH_THROUGH_SERVER, 'HTTPConflict');
}

function sameFixedIps(port: PortView, asked: { subnet_id?: string; ip_address?: string }[]): boolean {
  if (asked.length !== port.fixedIps.length) return false;
  return asked.every((a) =>
    port.fixedIps.some((f) => (a.subnet_id === undefined || a.subnet_id === f.subnetId) && (a.ip_address === undefined || parseIpAddress(a.ip_address)?.text === f.ipAddress)),
  );
}

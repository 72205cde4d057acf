import { BadRequestException, HttpException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { newUuidV7 } from '../../../handlers/shared/uuid-v7-generator.js';
import { APP_CONFIG } from '../../../app/tokens.js';
import type { AppConfig } from '../../../config/config.schema.js';
import { InstanceInvalidStateError } from '../../../domain/virtual-machine/virtual-machine.errors.js';
import { CreatePortCommand, DeletePortCommand } from '../../../handlers/networking/networking-flows.command.js';
import { ExecuteVmCommand } from '../../../handlers/virtual-machine/execute-vm-command.command.js';
import { getNetwork, getPort, listPorts } from '../../../projections/networking/networking.queries.js';
import type { PortView } from '../../../projections/networking/port-view.js';
import { getServer } from '../../../projections/servers/servers.queries.js';
import type { ServerView } from '../../../projections/servers/server-view.js';
import type { RequestContext } from '../../auth/request-context.js';
import { NetworkReads } from '../../network/network-reads.js';
import { ComputeWrites } from '../compute-writes.js';
import { assertPortFree } from '../port-in-use.error.js';
import { PortNotUsableError } from '../port-not-usable.error.js';
import { vmInterfaceOf } from '../vm-interface-of.js';

/** Nova's InterfaceAttachFailed (500): the attach ran and was undone; the instance action says why. */
export class InterfaceAttachFailedError extends HttpException {
  constructor(serverId: string) {
    super(`Failed to attach network adapter device to ${serverId}`, 500);
  }
}

const MAX_ANSWER_WAIT_MS = 90_000;

export interface AttachRequest {
  portId?: string;
  netId?: string;
  fixedIps?: string[];
}

/**
 * Nova's attach_interface over the AttachNic saga: the port is checked (or made on the network, as
 * Nova asks Neutron to), the VM's attach_interface task runs, and the answer waits for it to end, as
 * Nova's synchronous call to the compute host does.
 */
@Injectable()
export class InterfaceAttachments {
  constructor(
    private readonly compute: ComputeWrites,
    private readonly networks: NetworkReads,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async attach(ctx: RequestContext, server: ServerView, request: AttachRequest, requestId: string, newPortId: string): Promise<PortView> {
    assertCanChangeInterfaces(server, 'attach_interface');
    const meta = this.compute.meta(ctx, requestId);
    const autoCreated = request.portId === undefined;
    const portId = request.portId ?? newPortId;
    if (autoCreated) {
      const network = await this.networks.attachableNetwork(ctx, request.netId!);
      if (!network) throw new NotFoundException(`Network ${request.netId} could not be found.`);
      const existing = await getPort(this.compute.db, portId);
      // A retry of this request (derived port id) finds the port its first attempt made.
      if (!existing) {
        await this.compute.execute(
          new CreatePortCommand(
            { portId, networkId: network.id, projectId: server.projectId, deviceOwner: 'compute:nova', ...(request.fixedIps ? { fixedIps: request.fixedIps.map((ipAddress) => ({ ipAddress })) } : {}) },
            meta,
          ),
        );
      }
    }
    const port = await getPort(this.compute.db, portId);
    if (!port || (!ctx.isAdmin && port.projectId !== server.projectId)) throw new NotFoundException(`Port id ${portId} could not be found.`);
    if (port.projectId !== server.projectId) throw new PortNotUsableError(portId, server.id);
    assertPortFree(port);
    // Nova checks a given port's network as a named one (_validate_requested_network_ids): one the
    // caller cannot read is not found, an external one not shared is 403.
    if (!autoCreated && !(await this.networks.attachableNetwork(ctx, port.networkId))) throw new NotFoundException(`Network ${port.networkId} could not be found.`);
    // One NIC per network (boot-networks.ts says why): Nova would allow a second, this cloud cannot address it.
    const onNetwork = (await listPorts(this.compute.db, { deviceId: server.id })).find((p) => p.networkId === port.networkId && p.id !== portId);
    if (onNetwork) {
      if (autoCreated) await this.compute.execute(new DeletePortCommand(portId, meta)).catch(() => undefined);
      throw new BadRequestException(`Server ${server.id} already has port ${onNetwork.id} on network ${port.networkId}: this cloud gives a server one port per network.`);
    }
    const network = await getNetwork(this.compute.db, port.networkId);
    const nic = vmInterfaceOf(port, network, autoCreated);
    const taskId = newUuidV7();
    try {
      await this.compute.execute(new ExecuteVmCommand({ type: 'AttachInterface', data: { vmId: server.id, taskId, interface: nic } }, meta));
    } catch (error) {
      if (autoCreated) await this.compute.execute(new DeletePortCommand(portId, meta)).catch(() => undefined);
      throw error;
    }
    await this.awaitTask(server.id, taskId);
    const after = await getPort(this.compute.db, portId);
    // Unbound or deleted by the compensation: the attach failed. Still binding: it outlasted the wait.
    if (!after || after.deviceId !== server.id) throw new InterfaceAttachFailedError(server.id);
    return after;
  }

  async detach(ctx: RequestContext, server: ServerView, portId: string, requestId: string): Promise<void> {
    assertCanChangeInterfaces(server, 'detach_interface');
    await this.compute.execute(new ExecuteVmCommand({ type: 'DetachInterface', data: { vmId: server.id, taskId: newUuidV7(), portId } }, this.compute.meta(ctx, requestId)));
  }

  /**
   * Until the server's task is no longer this one: at most the task's own deadline, and never longer
   * than Nova's RPC timeout (60 s) plus a margin; past that the answer shows the port as it is (BUILD)
   * and the attach goes on.
   */
  private async awaitTask(serverId: string, taskId: string): Promise<void> {
    const deadline = Date.now() + Math.min(this.config.TASK_DEADLINE_SECONDS * 1000 + 5_000, MAX_ANSWER_WAIT_MS);
    for (let pause = 5; Date.now() < deadline; pause = Math.min(pause * 2, 200)) {
      const server = await getServer(this.compute.db, serverId);
      if (!server || server.task?.taskId !== taskId) return;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** Nova checks vm_state (ACTIVE, SHUTOFF here) and that no task runs, before it asks Neutron for anything. */
function assertCanChangeInterfaces(server: ServerView, method: string): void {
  if (server.vmState !== 'active' && server.vmState !== 'stopped') throw new InstanceInvalidStateError(method, server.id, 'vm_state', server.vmState);
  if (server.taskState) throw new InstanceInvalidStateError(method, server.id, 'task_state', server.taskState);
}

/** The body's rules Nova's schema cannot say: a port or a network, not both; fixed IPs only with a network. */
export function attachRequestOf(body: { port_id?: string; net_id?: string; fixed_ips?: { ip_address: string }[] }): AttachRequest {
  if (body.port_id !== undefined && body.net_id !== undefined) throw new BadRequestException('Must not input both network_id and port_id');
  if (body.fixed_ips !== undefined && body.net_id === undefined) throw new BadRequestException('Must input network_id when request IP address');
  if (body.port_id === undefined && body.net_id === undefined) {
    // Nova would pick a network itself; this cloud asks the caller to name one.
    throw new BadRequestException('Give interfaceAttachment.port_id or interfaceAttachment.net_id.');
  }
  return {
    ...(body.port_id !== undefined ? { portId: body.port_id } : {}),
    ...(body.net_id !== undefined ? { netId: body.net_id } : {}),
    ...(body.fixed_ips ? { fixedIps: body.fixed_ips.map((f) => f.ip_address) } : {}),
  };
}

import { BadRequestException, ConflictException, ForbiddenException, Injectable, Logger } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import { parseIpAddress } from '../../domain/ip/ip-address.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { VmInterface } from '../../domain/virtual-machine/interface-attachment.js';
import { CreatePortCommand, DeletePortCommand } from '../../handlers/networking/networking-flows.command.js';
import { getPort } from '../../projections/networking/networking.queries.js';
import type { NetworkView } from '../../projections/networking/network-view.js';
import type { PortView } from '../../projections/networking/port-view.js';
import type { RequestContext } from '../auth/request-context.js';
import { NetworkQuotas } from '../network/network-quotas.js';
import { NetworkReads } from '../network/network-reads.js';
import type { CommandMetadata } from '../../handlers/shared/command-metadata.js';
import { ComputeWrites } from './compute-writes.js';
import { assertPortFree, PortInUseError } from './port-in-use.error.js';
import { PortNotUsableError } from './port-not-usable.error.js';
import { vmInterfaceOf } from './vm-interface-of.js';
import type { CreateServerFields } from './schemas/create-server.schema.js';

/** Nova's networks at create: "none", "auto", a list of {uuid, fixed_ip} / {port}, or absent (before 2.37). */
export type RequestedNetworks = CreateServerFields['networks'];

export interface BootPorts {
  interfaces: VmInterface[];
  /** Ports made for this create (a network entry): deleted again when the create is refused. */
  made: string[];
}

/**
 * Nova's network half of a server create (nova/network/neutron.py validate_networks and
 * allocate_for_instance), done before the VM exists so every refusal leaves nothing behind:
 * networks and ports are checked, a port is made on each requested network (with its fixed IP),
 * and the VM gets them as its boot interfaces; its create task binds them.
 *
 * Port ids for network entries derive from the server id (itself derived from the request id), so a
 * retried request finds the ports its first attempt made instead of making more.
 */
@Injectable()
export class BootNetworks {
  private readonly logger = new Logger('BootNetworks');

  constructor(
    private readonly compute: ComputeWrites,
    private readonly quotas: NetworkQuotas,
    private readonly networks: NetworkReads,
  ) {}

  async prepare(ctx: RequestContext, vmId: string, requested: RequestedNetworks, meta: CommandMetadata): Promise<BootPorts> {
    const entries = await this.entries(ctx, requested);
    const checked = await Promise.all(entries.map((entry, index) => this.check(ctx, vmId, entry, index)));
    const seen = new Set<string>();
    for (const c of checked) {
      if (c.kind !== 'port') continue;
      if (seen.has(c.port.id)) throw new PortInUseError(c.port.id);
      seen.add(c.port.id);
    }
    // One NIC per network: Kube-OVN keys a fixed address by the network's attachment, so a second
    // NIC on the same network could not have its own (kubevirt-api.md §1, per-interface keys).
    const networks = new Set<string>();
    for (const c of checked) {
      if (networks.has(c.network.id)) throw new BadRequestException(`Network ${c.network.id} is requested twice: this cloud gives a server one port per network.`);
      networks.add(c.network.id);
    }
    const wanted = checked.filter((c) => c.kind === 'network');
    // Nova asks Neutron for room for the ports first (PortLimitExceeded, 403).
    if (wanted.length > 0 && !(await this.quotas.hasRoom(ctx.projectId, 'port', wanted.length))) throw new ForbiddenException('Maximum number of ports exceeded');
    const made: string[] = [];
    const interfaces: VmInterface[] = [];
    try {
      for (const [index, c] of checked.entries()) {
        if (c.kind === 'port') {
          interfaces.push(vmInterfaceOf(c.port, c.network, false));
          continue;
        }
        const portId = uuidv5(`boot-port-${index}`, vmId);
        const port = await this.ensurePort(ctx, portId, c.network, c.fixedIp, meta);
        made.push(portId);
        interfaces.push(vmInterfaceOf(port, c.network, true));
      }
    } catch (error) {
      await this.release(made, meta);
      throw error;
    }
    return { interfaces, made };
  }

  /** Deletes the ports a refused create made (best effort: a retry of the request finds and reuses what stays). */
  async release(portIds: readonly string[], meta: CommandMetadata): Promise<void> {
    for (const portId of [...portIds].reverse()) {
      await this.compute.execute(new DeletePortCommand(portId, meta)).catch((e: unknown) => this.logger.warn(`Releasing boot port ${portId} failed: ${String(e)}`));
    }
  }

  private async entries(ctx: RequestContext, requested: RequestedNetworks): Promise<Array<{ uuid?: string; port?: string; fixed_ip?: string }>> {
    if (requested === 'none') return [];
    if (Array.isArray(requested)) return requested;
    // Nova picks among the project's own and shared networks; the one it picks is then checked as a
    // named one is (an external one that is not shared is 403 for a member, after the ambiguity).
    const candidates = await this.networks.candidateNetworks(ctx);
    if (candidates.length > 1) {
      throw new ConflictException('Multiple possible networks found, use a Network ID to be more specific.');
    }
    if (candidates.length === 1) return [{ uuid: candidates[0]!.id }];
    // No network: 'auto' would have Neutron make one (get-me-a-network), which this cloud does not;
    // before 2.37, no networks asked and none there is a server without NICs, as Nova's.
    if (requested === 'auto') throw new BadRequestException(`Unable to automatically allocate a network for project ${ctx.projectId}`);
    return [];
  }

  private async check(
    ctx: RequestContext,
    vmId: string,
    entry: { uuid?: string; port?: string; fixed_ip?: string },
    index: number,
  ): Promise<{ kind: 'port'; port: PortView; network: NetworkView } | { kind: 'network'; network: NetworkView; fixedIp: string | undefined }> {
    if (entry.port !== undefined) {
      if (entry.fixed_ip !== undefined) throw new BadRequestException('Specified Fixed IP and port are mutually exclusive; fixed_ip belongs to the port.');
      const port = await getPort(this.compute.db, entry.port);
      if (!port || (!ctx.isAdmin && port.projectId !== ctx.projectId)) throw new BadRequestException(`Port id ${entry.port} could not be found.`);
      if (port.projectId !== ctx.projectId) throw new PortNotUsableError(port.id, vmId);
      assertPortFree(port);
      if (entry.uuid !== undefined && entry.uuid !== port.networkId) {
        throw new BadRequestException(`Port ${port.id} is not on network ${entry.uuid}.`);
      }
      // Nova checks a given port's network as a named one (_validate_requested_network_ids).
      const network = await this.attachableNetwork(ctx, port.networkId);
      return { kind: 'port', port, network };
    }
    if (entry.uuid === undefined) throw new BadRequestException(`networks[${index}] needs a uuid (network) or a port.`);
    if (entry.fixed_ip !== undefined && !parseIpAddress(entry.fixed_ip)) throw new BadRequestException(`Invalid fixed IP address (${entry.fixed_ip})`);
    return { kind: 'network', network: await this.attachableNetwork(ctx, entry.uuid), fixedIp: entry.fixed_ip };
  }

  private async attachableNetwork(ctx: RequestContext, networkId: string): Promise<NetworkView> {
    const network = await this.networks.attachableNetwork(ctx, networkId);
    if (!network) throw new BadRequestException(`Network ${networkId} could not be found.`);
    return network;
  }

  /** The port for a network entry: made now, or found (a retry of this request), refusals in Nova's words. */
  private async ensurePort(ctx: RequestContext, portId: string, network: NetworkView, fixedIp: string | undefined, meta: CommandMetadata): Promise<PortView> {
    const existing = await getPort(this.compute.db, portId);
    if (!existing) {
      try {
        await this.compute.execute(
          new CreatePortCommand(
            { portId, networkId: network.id, projectId: ctx.projectId, deviceOwner: 'compute:nova', ...(fixedIp !== undefined ? { fixedIps: [{ ipAddress: fixedIp }] } : {}) },
            meta,
          ),
        );
      } catch (error) {
        throw novaRefusal(error, fixedIp);
      }
    }
    const port = await getPort(this.compute.db, portId);
    if (!port) throw new Error(`Port ${portId} made for the server is not readable after its create.`);
    return port;
  }
}

/** Neutron's refusals of the port as Nova's create answers them (FixedIpAlreadyInUse and invalid addresses 400). */
function novaRefusal(error: unknown, fixedIp: string | undefined): unknown {
  if (!(error instanceof DomainError)) return error;
  if (error.code === 'IpAddressAlreadyAllocated' || error.code === 'IpIsGateway' || error.code === 'IpAddressExcluded') {
    return new BadRequestException(`Fixed IP address ${fixedIp ?? ''} is already in use.`);
  }
  if (error.code === 'IpAddressGenerationFailure') return new BadRequestException(`No more available fixed IPs on the network: ${error.message}`);
  if (error.code === 'NetworkNotFound') return new BadRequestException(error.message);
  if (error.kind === 'invalid_input') return new BadRequestException(error.message);
  return error;
}

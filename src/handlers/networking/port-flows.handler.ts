import { createHash, randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { parseCidr } from '../../domain/ip/cidr.js';
import { parseIpAddress } from '../../domain/ip/ip-address.js';
import { generatedMac } from '../../domain/ip/mac-address.js';
import { MacAddressInUseError, NetworkNotFoundError } from '../../domain/network/network.errors.js';
import type { Network } from '../../domain/network/network.state.js';
import { definePort } from '../../domain/port/port-definition.js';
import { InvalidPortInputError, PortNotFoundError } from '../../domain/port/port.errors.js';
import type { FixedIp } from '../../domain/port/port.events.js';
import type { Port } from '../../domain/port/port.state.js';
import { addressesHeldBy } from '../../domain/subnet/subnet.state.js';
import type { CommandMetadata } from '../shared/command-metadata.js';
import type { CommandResult } from '../shared/command-result.js';
import { CreatePortCommand, DeletePortCommand, type FixedIpRequest } from './networking-flows.command.js';
import { failpoint } from '../workers/failpoints.js';
import { combinedResult, NetworkingStreams } from './networking-streams.js';

/** Neutron's mac_generation_retries. */
const MAC_DRAWS = 16;

/**
 * Port create as a short saga across three streams: ReserveMac (network) → AllocateIp (each subnet)
 * → CreatePort. A refusal at any step undoes the earlier ones in reverse, so nothing leaks.
 *
 * Crash safety: every reservation is keyed by the port id and every step is idempotent for it. A
 * client retrying with the same X-OpenStack-Request-Id gets the same port id (newResourceId) and the
 * same first MAC candidate (derived from the port id), so the retry finds its own MAC and addresses
 * and completes the port. Reservations of a create that crashed and is never retried are held by a
 * port id without a stream until the ReservationSweeper frees them (after its grace period).
 */
@CommandHandler(CreatePortCommand)
export class CreatePortHandler implements ICommandHandler<CreatePortCommand> {
  private readonly logger = new Logger('CreatePort');

  constructor(private readonly streams: NetworkingStreams) {}

  async execute({ data, meta }: CreatePortCommand): Promise<CommandResult> {
    const network = await this.streams.loadNetwork(data.networkId);
    if (!network || network.deleted) throw new NetworkNotFoundError(data.networkId);
    // Everything the port itself checks, before anything is reserved.
    definePort({ ...data, macAddress: data.macAddress ?? generatedMac([0, 0, 0]), fixedIps: [] });
    const requests = resolveFixedIps(network, data.fixedIps);
    const undo: Array<() => Promise<unknown>> = [];
    const results: CommandResult[] = [];
    try {
      const mac = await this.reserveMac(network.networkId, data, meta, results);
      undo.push(() => this.streams.network({ type: 'ReleaseMac', data: { networkId: network.networkId, portId: data.portId, macAddress: mac } }, meta));
      const fixedIps: FixedIp[] = [];
      for (const request of requests) {
        results.push(await this.streams.subnet({ type: 'AllocateIp', data: { subnetId: request.subnetId, portId: data.portId, ipAddress: request.ipAddress } }, meta));
        const ipAddress = await this.heldAddress(request.subnetId, data.portId, request.ipAddress);
        undo.push(() => this.streams.subnet({ type: 'ReleaseIp', data: { subnetId: request.subnetId, portId: data.portId, ipAddress } }, meta));
        fixedIps.push({ subnetId: request.subnetId, ipAddress });
      }
      // Crash-recovery tests kill the process here: reservations made, no port (the sweeper's case).
      failpoint('after-reservations:create-port');
      const created = await this.streams.port({ type: 'CreatePort', data: { ...data, macAddress: mac, fixedIps } }, meta);
      return combinedResult(created.streamId, [...results, created]);
    } catch (error) {
      for (const step of undo.reverse()) {
        await step().catch((e: unknown) => this.logger.warn(`Undoing port ${data.portId}'s reservation failed: ${String(e)}`));
      }
      throw error;
    }
  }

  private async reserveMac(networkId: string, data: CreatePortCommand['data'], meta: CommandMetadata, results: CommandResult[]): Promise<string> {
    const reserve = async (macAddress: string) => {
      results.push(await this.streams.network({ type: 'ReserveMac', data: { networkId, portId: data.portId, projectId: data.projectId, macAddress } }, meta));
      return macAddress;
    };
    if (data.macAddress !== undefined) return reserve(data.macAddress);
    for (let draw = 0; ; draw++) {
      const bytes = draw === 0 ? createHash('sha256').update(data.portId).digest() : randomBytes(3);
      try {
        return await reserve(generatedMac([bytes[0]!, bytes[1]!, bytes[2]!]));
      } catch (error) {
        if (!(error instanceof MacAddressInUseError) || draw + 1 >= MAC_DRAWS) throw error;
      }
    }
  }

  private async heldAddress(subnetId: string, portId: string, requested: string | null): Promise<string> {
    if (requested !== null) return parseIpAddress(requested)!.text;
    const subnet = await this.streams.loadSubnet(subnetId);
    const held = subnet ? addressesHeldBy(subnet, portId)[0] : undefined;
    if (!held) throw new Error(`Subnet ${subnetId} allocated no address to port ${portId}.`);
    return held;
  }
}

/**
 * Neutron's fixed_ips: none given means one address from every subnet of the network; an entry names
 * a subnet, an address (its subnet found by CIDR), or both. One per subnet, so one per IP family.
 */
export function resolveFixedIps(network: Network, requests: FixedIpRequest[] | undefined): { subnetId: string; ipAddress: string | null }[] {
  if (requests === undefined) return network.subnets.map((s) => ({ subnetId: s.subnetId, ipAddress: null }));
  const seen = new Set<string>();
  return requests.map((request) => {
    let subnetId = request.subnetId;
    if (subnetId !== undefined && !network.subnets.some((s) => s.subnetId === subnetId)) {
      throw new InvalidPortInputError(`Failed to create port on network ${network.networkId}, because fixed_ips included invalid subnet ${subnetId}.`);
    }
    if (request.ipAddress !== undefined) {
      const ip = parseIpAddress(request.ipAddress);
      if (!ip) throw new InvalidPortInputError(`'${request.ipAddress}' is not a valid IP address.`);
      subnetId ??= network.subnets.find((s) => {
        const parsed = parseCidr(s.cidr);
        return parsed.ok && parsed.cidr.version === ip.version && ip.value >= parsed.cidr.first && ip.value <= parsed.cidr.last;
      })?.subnetId;
      if (subnetId === undefined) throw new InvalidPortInputError(`IP address ${ip.text} is not a valid IP for any of the subnets on the specified network.`);
    }
    if (subnetId === undefined) throw new InvalidPortInputError('a fixed_ips entry needs a subnet_id or an ip_address.');
    if (seen.has(subnetId)) throw new InvalidPortInputError(`a port holds one fixed IP per subnet; ${subnetId} is named twice.`);
    seen.add(subnetId);
    return { subnetId, ipAddress: request.ipAddress ?? null };
  });
}

/**
 * PortDeleted first (refused while the port is attached: detach first), then its addresses and MAC
 * go back. PortDeleted carries what to release; a delete cut short after it is finished by the next
 * DELETE of the port, which releases again (idempotent) before answering 404.
 */
@CommandHandler(DeletePortCommand)
export class DeletePortHandler implements ICommandHandler<DeletePortCommand> {
  constructor(private readonly streams: NetworkingStreams) {}

  async execute({ portId, meta }: DeletePortCommand): Promise<CommandResult> {
    const port = await this.streams.loadPort(portId);
    if (!port) throw new PortNotFoundError(portId);
    if (port.deleted) {
      await this.release(port, meta);
      throw new PortNotFoundError(portId);
    }
    const deleted = await this.streams.port({ type: 'DeletePort', data: { portId } }, meta);
    return combinedResult(deleted.streamId, [deleted, ...(await this.release(port, meta))]);
  }

  private async release(port: Port, meta: CommandMetadata): Promise<CommandResult[]> {
    const results: CommandResult[] = [];
    for (const { subnetId, ipAddress } of port.fixedIps) {
      results.push(await this.streams.subnet({ type: 'ReleaseIp', data: { subnetId, portId: port.portId, ipAddress } }, meta));
    }
    results.push(await this.streams.network({ type: 'ReleaseMac', data: { networkId: port.networkId, portId: port.portId, macAddress: port.macAddress } }, meta));
    return results;
  }
}

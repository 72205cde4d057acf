import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { NetworkNotFoundError } from '../../domain/network/network.errors.js';
import { defineSubnet } from '../../domain/subnet/subnet-definition.js';
import { SubnetNotFoundError } from '../../domain/subnet/subnet.errors.js';
import type { CommandResult } from '../shared/command-result.js';
import { CreateSubnetCommand, DeleteSubnetCommand } from './networking-flows.command.js';
import { combinedResult, NetworkingStreams } from './networking-streams.js';

/**
 * The network reserves the subnet's IP version before the subnet exists, so two concurrent creates
 * cannot both take it. The body is validated first (pure), so once the slot is taken the create can
 * only fail by a crash or a lost race on the same id; a refused create gives the slot back. After a
 * crash between the two, a retry with the same request id (same subnet id, see newResourceId)
 * completes the create: both commands are idempotent for the same subnet.
 */
@CommandHandler(CreateSubnetCommand)
export class CreateSubnetHandler implements ICommandHandler<CreateSubnetCommand> {
  constructor(private readonly streams: NetworkingStreams) {}

  async execute({ data, meta }: CreateSubnetCommand): Promise<CommandResult> {
    const definition = defineSubnet(data);
    const network = await this.streams.loadNetwork(data.networkId);
    if (!network || network.deleted) throw new NetworkNotFoundError(data.networkId);
    const { subnetId, networkId, ipVersion, cidr } = definition;
    const reserved = await this.streams.network({ type: 'AddSubnetToNetwork', data: { networkId, subnetId, ipVersion, cidr } }, meta);
    try {
      const created = await this.streams.subnet({ type: 'CreateSubnet', data }, meta);
      return combinedResult(created.streamId, [reserved, created]);
    } catch (error) {
      await this.streams.network({ type: 'RemoveSubnetFromNetwork', data: { networkId, subnetId } }, meta).catch(() => undefined);
      throw error;
    }
  }
}

/**
 * SubnetDeleted first (the subnet refuses while addresses are held), then the network forgets it.
 * A delete cut short after SubnetDeleted is finished by the next delete of the subnet (which then
 * answers 404) or of its network.
 */
@CommandHandler(DeleteSubnetCommand)
export class DeleteSubnetHandler implements ICommandHandler<DeleteSubnetCommand> {
  constructor(private readonly streams: NetworkingStreams) {}

  async execute({ subnetId, meta }: DeleteSubnetCommand): Promise<CommandResult> {
    const subnet = await this.streams.loadSubnet(subnetId);
    if (!subnet) throw new SubnetNotFoundError(subnetId);
    const networkId = subnet.definition.networkId;
    if (subnet.deleted) {
      await this.streams.network({ type: 'RemoveSubnetFromNetwork', data: { networkId, subnetId } }, meta).catch(() => undefined);
      throw new SubnetNotFoundError(subnetId);
    }
    const deleted = await this.streams.subnet({ type: 'DeleteSubnet', data: { subnetId } }, meta);
    const removed = await this.streams.network({ type: 'RemoveSubnetFromNetwork', data: { networkId, subnetId } }, meta);
    return combinedResult(deleted.streamId, [deleted, removed]);
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandResult } from '../shared/command-result.js';
import { DeleteNetworkCommand } from './networking-flows.command.js';
import { combinedResult, NetworkingStreams } from './networking-streams.js';

/**
 * The network refuses deletion while it records subnets or MACs. Before asking, it forgets those
 * whose subnet or port is already deleted: the tail of a subnet or port delete cut short by a crash,
 * so such a crash never makes a network undeletable.
 */
@CommandHandler(DeleteNetworkCommand)
export class DeleteNetworkHandler implements ICommandHandler<DeleteNetworkCommand> {
  constructor(private readonly streams: NetworkingStreams) {}

  async execute({ networkId, meta }: DeleteNetworkCommand): Promise<CommandResult> {
    const network = await this.streams.loadNetwork(networkId);
    const results: CommandResult[] = [];
    if (network && !network.deleted) {
      for (const { subnetId } of network.subnets) {
        if ((await this.streams.loadSubnet(subnetId))?.deleted) {
          results.push(await this.streams.network({ type: 'RemoveSubnetFromNetwork', data: { networkId, subnetId } }, meta));
        }
      }
      for (const [macAddress, { portId }] of network.macs.entries()) {
        if ((await this.streams.loadPort(portId))?.deleted) {
          results.push(await this.streams.network({ type: 'ReleaseMac', data: { networkId, portId, macAddress } }, meta));
        }
      }
    }
    const deleted = await this.streams.network({ type: 'DeleteNetwork', data: { networkId } }, meta);
    return combinedResult(deleted.streamId, [...results, deleted]);
  }
}

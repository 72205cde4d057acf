import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { NetworkInUseError } from '../../domain/network/network.errors.js';
import type { CommandMetadata } from '../shared/command-metadata.js';
import type { CommandResult } from '../shared/command-result.js';
import { DeleteNetworkCommand } from './networking-flows.command.js';
import { combinedResult, NetworkingStreams } from './networking-streams.js';

/**
 * Neutron's network delete: refused while ports remain (NetworkInUse); otherwise its subnets go
 * with it, then the network. Before deciding, it forgets subnets and MACs whose subnet or port is
 * already deleted: the tail of a delete cut short by a crash, so such a crash never makes a network
 * undeletable. A port created concurrently either reserved its MAC first (the network then refuses)
 * or finds its subnets gone and gives its reservations back.
 */
@CommandHandler(DeleteNetworkCommand)
export class DeleteNetworkHandler implements ICommandHandler<DeleteNetworkCommand> {
  constructor(private readonly streams: NetworkingStreams) {}

  async execute({ networkId, meta }: DeleteNetworkCommand): Promise<CommandResult> {
    const network = await this.streams.loadNetwork(networkId);
    const results: CommandResult[] = [];
    if (network && !network.deleted) {
      let livePorts = 0;
      for (const [macAddress, { portId }] of network.macs.entries()) {
        if ((await this.streams.loadPort(portId))?.deleted) {
          results.push(await this.streams.network({ type: 'ReleaseMac', data: { networkId, portId, macAddress } }, meta));
        } else livePorts++;
      }
      if (livePorts > 0) throw new NetworkInUseError(networkId);
      for (const { subnetId } of network.subnets) results.push(...(await this.deleteSubnet(networkId, subnetId, meta)));
    }
    const deleted = await this.streams.network({ type: 'DeleteNetwork', data: { networkId } }, meta);
    return combinedResult(deleted.streamId, [...results, deleted]);
  }

  private async deleteSubnet(networkId: string, subnetId: string, meta: CommandMetadata): Promise<CommandResult[]> {
    const subnet = await this.streams.loadSubnet(subnetId);
    const results: CommandResult[] = [];
    if (subnet && !subnet.deleted) results.push(await this.streams.subnet({ type: 'DeleteSubnet', data: { subnetId } }, meta));
    results.push(await this.streams.network({ type: 'RemoveSubnetFromNetwork', data: { networkId, subnetId } }, meta));
    return results;
  }
}

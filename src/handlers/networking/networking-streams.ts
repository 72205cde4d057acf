import { Injectable } from '@nestjs/common';
import type { NetworkCommand } from '../../domain/network/network.commands.js';
import { networkDecider } from '../../domain/network/network.decider.js';
import { NETWORK_EVENT_VERSIONS, networkStreamId } from '../../domain/network/network.events.js';
import type { NetworkState } from '../../domain/network/network.state.js';
import type { PortCommand } from '../../domain/port/port.commands.js';
import { portDecider } from '../../domain/port/port.decider.js';
import { PORT_EVENT_VERSIONS, portStreamId } from '../../domain/port/port.events.js';
import type { PortState } from '../../domain/port/port.state.js';
import type { SubnetCommand } from '../../domain/subnet/subnet.commands.js';
import { subnetDecider } from '../../domain/subnet/subnet.decider.js';
import { SUBNET_EVENT_VERSIONS, subnetStreamId } from '../../domain/subnet/subnet.events.js';
import type { SubnetState } from '../../domain/subnet/subnet.state.js';
import { AggregateExecutor } from '../shared/aggregate-executor.js';
import type { CommandMetadata } from '../shared/command-metadata.js';
import type { CommandResult } from '../shared/command-result.js';

/** The three networking streams, for the handlers whose one request spans several of them. */
@Injectable()
export class NetworkingStreams {
  constructor(private readonly executor: AggregateExecutor) {}

  network(command: NetworkCommand, meta: CommandMetadata): Promise<CommandResult> {
    return this.executor.execute(networkStreamId(command.data.networkId), networkDecider, command, meta, NETWORK_EVENT_VERSIONS);
  }

  subnet(command: SubnetCommand, meta: CommandMetadata): Promise<CommandResult> {
    return this.executor.execute(subnetStreamId(command.data.subnetId), subnetDecider, command, meta, SUBNET_EVENT_VERSIONS);
  }

  port(command: PortCommand, meta: CommandMetadata): Promise<CommandResult> {
    return this.executor.execute(portStreamId(command.data.portId), portDecider, command, meta, PORT_EVENT_VERSIONS);
  }

  async loadNetwork(networkId: string): Promise<NetworkState> {
    return (await this.executor.load(networkStreamId(networkId), networkDecider)).state;
  }

  async loadSubnet(subnetId: string): Promise<SubnetState> {
    return (await this.executor.load(subnetStreamId(subnetId), subnetDecider)).state;
  }

  async loadPort(portId: string): Promise<PortState> {
    return (await this.executor.load(portStreamId(portId), portDecider)).state;
  }
}

/** The result of several commands: the last position is what read-your-writes waits for. */
export function combinedResult(streamId: string, results: CommandResult[]): CommandResult {
  const positions = results.map((r) => r.lastPosition).filter((p): p is number => p !== null);
  return {
    streamId,
    eventTypes: results.flatMap((r) => r.eventTypes),
    lastPosition: positions.length > 0 ? Math.max(...positions) : null,
    revision: results[results.length - 1]?.revision ?? -1,
  };
}

import { Command } from '@nestjs/cqrs';
import type { CreateSubnetData } from '../../domain/subnet/subnet.commands.js';
import type { CreatePortData } from '../../domain/port/port.commands.js';
import type { CommandMetadata } from '../shared/command-metadata.js';
import type { CommandResult } from '../shared/command-result.js';

/** A requested fixed IP: a subnet, an address, or both (Neutron's fixed_ips entry). */
export interface FixedIpRequest {
  subnetId?: string;
  ipAddress?: string;
}

/** Subnet create: reserve the IP version on the network, then create the subnet. */
export class CreateSubnetCommand extends Command<CommandResult> {
  constructor(readonly data: CreateSubnetData, readonly meta: CommandMetadata) {
    super();
  }
}

/** Subnet delete: delete the subnet (refused while ports hold addresses), then free its slot on the network. */
export class DeleteSubnetCommand extends Command<CommandResult> {
  constructor(readonly subnetId: string, readonly meta: CommandMetadata) {
    super();
  }
}

/**
 * Port create: reserve the MAC on the network (given, or generated), allocate one address per
 * requested subnet (every subnet of the network when fixedIps is undefined), create the port.
 */
export class CreatePortCommand extends Command<CommandResult> {
  constructor(
    readonly data: Omit<CreatePortData, 'macAddress' | 'fixedIps'> & { macAddress?: string; fixedIps?: FixedIpRequest[] },
    readonly meta: CommandMetadata,
  ) {
    super();
  }
}

/** Port delete: delete the port (refused while attached), then release its addresses and its MAC. */
export class DeletePortCommand extends Command<CommandResult> {
  constructor(readonly portId: string, readonly meta: CommandMetadata) {
    super();
  }
}

/** Network delete, first finishing the clean-up of subnets and ports whose deletion was cut short. */
export class DeleteNetworkCommand extends Command<CommandResult> {
  constructor(readonly networkId: string, readonly meta: CommandMetadata) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { VirtualMachineCommand } from '../../domain/virtual-machine/virtual-machine.commands.js';
import type { CommandMetadata } from '../shared/command-metadata.js';
import type { CommandResult } from '../shared/command-result.js';

type CreateVmData = Extract<VirtualMachineCommand, { type: 'CreateVM' }>['data'];

/** CreateVM as the API asks for it: by flavor id; the handler snapshots the flavor into the VM. */
export class CreateServerCommand extends Command<CommandResult> {
  constructor(
    /** imageRef: a Glance image id, or a container-registry reference used as it is. */
    readonly data: Omit<CreateVmData, 'flavor' | 'imageSource'> & { flavorId: string },
    readonly meta: CommandMetadata,
  ) {
    super();
  }
}

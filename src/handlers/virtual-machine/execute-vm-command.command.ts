import { Command } from '@nestjs/cqrs';
import type { VirtualMachineCommand } from '../../domain/virtual-machine/virtual-machine.commands.js';
import type { CommandMetadata } from '../shared/command-metadata.js';
import type { CommandResult } from '../shared/command-result.js';

/** Carries any VirtualMachine command over the bus (the decider's union is the real type). */
export class ExecuteVmCommand extends Command<CommandResult> {
  constructor(
    readonly command: VirtualMachineCommand,
    readonly meta: CommandMetadata,
  ) {
    super();
  }
}

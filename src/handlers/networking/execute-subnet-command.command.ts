import { Command } from '@nestjs/cqrs';
import type { SubnetCommand } from '../../domain/subnet/subnet.commands.js';
import type { CommandMetadata } from '../shared/command-metadata.js';
import type { CommandResult } from '../shared/command-result.js';

export class ExecuteSubnetCommand extends Command<CommandResult> {
  constructor(
    readonly command: SubnetCommand,
    readonly meta: CommandMetadata,
  ) {
    super();
  }
}

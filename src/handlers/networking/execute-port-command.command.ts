import { Command } from '@nestjs/cqrs';
import type { PortCommand } from '../../domain/port/port.commands.js';
import type { CommandMetadata } from '../shared/command-metadata.js';
import type { CommandResult } from '../shared/command-result.js';

export class ExecutePortCommand extends Command<CommandResult> {
  constructor(
    readonly command: PortCommand,
    readonly meta: CommandMetadata,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { FlavorCommand } from '../../domain/flavor/flavor.commands.js';
import type { CommandMetadata } from '../shared/command-metadata.js';
import type { CommandResult } from '../shared/command-result.js';

export class ExecuteFlavorCommand extends Command<CommandResult> {
  constructor(
    readonly command: FlavorCommand,
    readonly meta: CommandMetadata,
  ) {
    super();
  }
}

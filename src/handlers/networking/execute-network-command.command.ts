import { Command } from '@nestjs/cqrs';
import type { NetworkCommand } from '../../domain/network/network.commands.js';
import type { CommandMetadata } from '../shared/command-metadata.js';
import type { CommandResult } from '../shared/command-result.js';

export class ExecuteNetworkCommand extends Command<CommandResult> {
  constructor(
    readonly command: NetworkCommand,
    readonly meta: CommandMetadata,
  ) {
    super();
  }
}

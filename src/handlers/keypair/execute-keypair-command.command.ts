import { Command } from '@nestjs/cqrs';
import type { KeypairCommand } from '../../domain/keypair/keypair.commands.js';
import type { CommandMetadata } from '../shared/command-metadata.js';
import type { CommandResult } from '../shared/command-result.js';

export class ExecuteKeypairCommand extends Command<CommandResult> {
  constructor(
    readonly command: KeypairCommand,
    readonly meta: CommandMetadata,
  ) {
    super();
  }
}

import { Command } from '@nestjs/cqrs';
import type { ImageCommand } from '../../domain/image/image.commands.js';
import type { CommandMetadata } from '../shared/command-metadata.js';
import type { CommandResult } from '../shared/command-result.js';

export class ExecuteImageCommand extends Command<CommandResult> {
  constructor(
    readonly command: ImageCommand,
    readonly meta: CommandMetadata,
  ) {
    super();
  }
}

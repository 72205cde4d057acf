import { Command } from '@nestjs/cqrs';
import type { QuotaCommand } from '../../domain/quota/quota.commands.js';
import type { CommandMetadata } from '../shared/command-metadata.js';
import type { CommandResult } from '../shared/command-result.js';

export class ExecuteQuotaCommand extends Command<CommandResult> {
  constructor(
    readonly command: QuotaCommand,
    readonly meta: CommandMetadata,
  ) {
    super();
  }
}

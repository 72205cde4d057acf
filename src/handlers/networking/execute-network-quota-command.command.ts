import { Command } from '@nestjs/cqrs';
import type { NetworkQuotaCommand } from '../../domain/network-quota/network-quota.events.js';
import type { CommandMetadata } from '../shared/command-metadata.js';
import type { CommandResult } from '../shared/command-result.js';

export class ExecuteNetworkQuotaCommand extends Command<CommandResult> {
  constructor(
    readonly command: NetworkQuotaCommand,
    readonly meta: CommandMetadata,
  ) {
    super();
  }
}

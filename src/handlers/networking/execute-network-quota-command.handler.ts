import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { networkQuotaDecider } from '../../domain/network-quota/network-quota.decider.js';
import { NETWORK_QUOTA_EVENT_VERSIONS, networkQuotaStreamId } from '../../domain/network-quota/network-quota.events.js';
import { AggregateExecutor } from '../shared/aggregate-executor.js';
import type { CommandResult } from '../shared/command-result.js';
import { ExecuteNetworkQuotaCommand } from './execute-network-quota-command.command.js';

@CommandHandler(ExecuteNetworkQuotaCommand)
export class ExecuteNetworkQuotaCommandHandler implements ICommandHandler<ExecuteNetworkQuotaCommand> {
  constructor(private readonly executor: AggregateExecutor) {}

  execute({ command, meta }: ExecuteNetworkQuotaCommand): Promise<CommandResult> {
    return this.executor.execute(networkQuotaStreamId(command.data.projectId), networkQuotaDecider, command, meta, NETWORK_QUOTA_EVENT_VERSIONS);
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { quotaDecider } from '../../domain/quota/quota.decider.js';
import { QUOTA_EVENT_VERSIONS, quotaStreamId } from '../../domain/quota/quota.events.js';
import { AggregateExecutor } from '../shared/aggregate-executor.js';
import type { CommandResult } from '../shared/command-result.js';
import { ExecuteQuotaCommand } from './execute-quota-command.command.js';

@CommandHandler(ExecuteQuotaCommand)
export class ExecuteQuotaCommandHandler implements ICommandHandler<ExecuteQuotaCommand> {
  constructor(private readonly executor: AggregateExecutor) {}

  execute({ command, meta }: ExecuteQuotaCommand): Promise<CommandResult> {
    return this.executor.execute(quotaStreamId(command.data.projectId), quotaDecider, command, meta, QUOTA_EVENT_VERSIONS);
  }
}

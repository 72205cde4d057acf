import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { networkDecider } from '../../domain/network/network.decider.js';
import { NETWORK_EVENT_VERSIONS, networkStreamId } from '../../domain/network/network.events.js';
import { AggregateExecutor } from '../shared/aggregate-executor.js';
import type { CommandResult } from '../shared/command-result.js';
import { ExecuteNetworkCommand } from './execute-network-command.command.js';

@CommandHandler(ExecuteNetworkCommand)
export class ExecuteNetworkCommandHandler implements ICommandHandler<ExecuteNetworkCommand> {
  constructor(private readonly executor: AggregateExecutor) {}

  execute({ command, meta }: ExecuteNetworkCommand): Promise<CommandResult> {
    return this.executor.execute(networkStreamId(command.data.networkId), networkDecider, command, meta, NETWORK_EVENT_VERSIONS);
  }
}

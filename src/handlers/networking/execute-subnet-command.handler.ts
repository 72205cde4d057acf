import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { subnetDecider } from '../../domain/subnet/subnet.decider.js';
import { SUBNET_EVENT_VERSIONS, subnetStreamId } from '../../domain/subnet/subnet.events.js';
import { AggregateExecutor } from '../shared/aggregate-executor.js';
import type { CommandResult } from '../shared/command-result.js';
import { ExecuteSubnetCommand } from './execute-subnet-command.command.js';

@CommandHandler(ExecuteSubnetCommand)
export class ExecuteSubnetCommandHandler implements ICommandHandler<ExecuteSubnetCommand> {
  constructor(private readonly executor: AggregateExecutor) {}

  execute({ command, meta }: ExecuteSubnetCommand): Promise<CommandResult> {
    return this.executor.execute(subnetStreamId(command.data.subnetId), subnetDecider, command, meta, SUBNET_EVENT_VERSIONS);
  }
}

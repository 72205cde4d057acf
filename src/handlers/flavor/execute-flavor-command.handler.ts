import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { flavorDecider } from '../../domain/flavor/flavor.decider.js';
import { FLAVOR_EVENT_VERSIONS, flavorStreamId } from '../../domain/flavor/flavor.events.js';
import { AggregateExecutor } from '../shared/aggregate-executor.js';
import type { CommandResult } from '../shared/command-result.js';
import { ExecuteFlavorCommand } from './execute-flavor-command.command.js';

@CommandHandler(ExecuteFlavorCommand)
export class ExecuteFlavorCommandHandler implements ICommandHandler<ExecuteFlavorCommand> {
  constructor(private readonly executor: AggregateExecutor) {}

  execute({ command, meta }: ExecuteFlavorCommand): Promise<CommandResult> {
    return this.executor.execute(flavorStreamId(command.data.id), flavorDecider, command, meta, FLAVOR_EVENT_VERSIONS);
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { portDecider } from '../../domain/port/port.decider.js';
import { PORT_EVENT_VERSIONS, portStreamId } from '../../domain/port/port.events.js';
import { AggregateExecutor } from '../shared/aggregate-executor.js';
import type { CommandResult } from '../shared/command-result.js';
import { ExecutePortCommand } from './execute-port-command.command.js';

@CommandHandler(ExecutePortCommand)
export class ExecutePortCommandHandler implements ICommandHandler<ExecutePortCommand> {
  constructor(private readonly executor: AggregateExecutor) {}

  execute({ command, meta }: ExecutePortCommand): Promise<CommandResult> {
    return this.executor.execute(portStreamId(command.data.portId), portDecider, command, meta, PORT_EVENT_VERSIONS);
  }
}

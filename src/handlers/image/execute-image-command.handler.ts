import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { imageDecider } from '../../domain/image/image.decider.js';
import { IMAGE_EVENT_VERSIONS, imageStreamId } from '../../domain/image/image.events.js';
import { AggregateExecutor } from '../shared/aggregate-executor.js';
import type { CommandResult } from '../shared/command-result.js';
import { ExecuteImageCommand } from './execute-image-command.command.js';

@CommandHandler(ExecuteImageCommand)
export class ExecuteImageCommandHandler implements ICommandHandler<ExecuteImageCommand> {
  constructor(private readonly executor: AggregateExecutor) {}

  execute({ command, meta }: ExecuteImageCommand): Promise<CommandResult> {
    return this.executor.execute(imageStreamId(command.data.id), imageDecider, command, meta, IMAGE_EVENT_VERSIONS);
  }
}

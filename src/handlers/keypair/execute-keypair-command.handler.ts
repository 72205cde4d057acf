import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { keypairDecider } from '../../domain/keypair/keypair.decider.js';
import { KEYPAIR_EVENT_VERSIONS, keypairStreamId } from '../../domain/keypair/keypair.events.js';
import { AggregateExecutor } from '../shared/aggregate-executor.js';
import type { CommandResult } from '../shared/command-result.js';
import { ExecuteKeypairCommand } from './execute-keypair-command.command.js';

@CommandHandler(ExecuteKeypairCommand)
export class ExecuteKeypairCommandHandler implements ICommandHandler<ExecuteKeypairCommand> {
  constructor(private readonly executor: AggregateExecutor) {}

  execute({ command, meta }: ExecuteKeypairCommand): Promise<CommandResult> {
    const { userId, name } = command.data;
    return this.executor.execute(keypairStreamId(userId, name), keypairDecider, command, meta, KEYPAIR_EVENT_VERSIONS);
  }
}

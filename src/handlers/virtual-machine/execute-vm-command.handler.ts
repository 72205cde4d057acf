import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { virtualMachineDecider } from '../../domain/virtual-machine/virtual-machine.decider.js';
import { VIRTUAL_MACHINE_EVENT_VERSIONS, vmStreamId } from '../../domain/virtual-machine/virtual-machine.events.js';
import { AggregateExecutor } from '../shared/aggregate-executor.js';
import type { CommandResult } from '../shared/command-result.js';
import { ExecuteVmCommand } from './execute-vm-command.command.js';

@CommandHandler(ExecuteVmCommand)
export class ExecuteVmCommandHandler implements ICommandHandler<ExecuteVmCommand> {
  constructor(private readonly executor: AggregateExecutor) {}

  execute({ command, meta }: ExecuteVmCommand): Promise<CommandResult> {
    return this.executor.execute(vmStreamId(command.data.vmId), virtualMachineDecider, command, meta, VIRTUAL_MACHINE_EVENT_VERSIONS);
  }
}

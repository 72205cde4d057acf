import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { flavorDecider } from '../../domain/flavor/flavor.decider.js';
import { FlavorNotFoundError } from '../../domain/flavor/flavor.errors.js';
import { flavorStreamId } from '../../domain/flavor/flavor.events.js';
import { snapshotOf } from '../../domain/flavor/flavor.state.js';
import { virtualMachineDecider } from '../../domain/virtual-machine/virtual-machine.decider.js';
import { VIRTUAL_MACHINE_EVENT_VERSIONS, vmStreamId } from '../../domain/virtual-machine/virtual-machine.events.js';
import { AggregateExecutor } from '../shared/aggregate-executor.js';
import type { CommandResult } from '../shared/command-result.js';
import { CreateServerCommand } from './create-server.command.js';

@CommandHandler(CreateServerCommand)
export class CreateServerHandler implements ICommandHandler<CreateServerCommand> {
  constructor(private readonly executor: AggregateExecutor) {}

  async execute({ data, meta }: CreateServerCommand): Promise<CommandResult> {
    const { flavorId, ...rest } = data;
    const { state: flavor } = await this.executor.load(flavorStreamId(flavorId), flavorDecider);
    if (!flavor || flavor.deleted) throw new FlavorNotFoundError(flavorId);
    return this.executor.execute(
      vmStreamId(data.vmId),
      virtualMachineDecider,
      { type: 'CreateVM', data: { ...rest, flavor: snapshotOf(flavor) } },
      meta,
      VIRTUAL_MACHINE_EVENT_VERSIONS,
    );
  }
}

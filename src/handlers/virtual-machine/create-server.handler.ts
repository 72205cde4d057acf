import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { flavorDecider } from '../../domain/flavor/flavor.decider.js';
import { FlavorNotFoundError } from '../../domain/flavor/flavor.errors.js';
import { flavorStreamId } from '../../domain/flavor/flavor.events.js';
import { snapshotOf, type FlavorState } from '../../domain/flavor/flavor.state.js';
import { virtualMachineDecider } from '../../domain/virtual-machine/virtual-machine.decider.js';
import { VIRTUAL_MACHINE_EVENT_VERSIONS, vmStreamId } from '../../domain/virtual-machine/virtual-machine.events.js';
import { AggregateExecutor } from '../shared/aggregate-executor.js';
import type { CommandResult } from '../shared/command-result.js';
import { CreateServerCommand } from './create-server.command.js';
import { imageDecider } from '../../domain/image/image.decider.js';
import { ImageNotFoundError } from '../../domain/image/image.errors.js';
import { imageStreamId } from '../../domain/image/image.events.js';
import { isRegistryRef } from '../../domain/image/registry-ref.js';

@CommandHandler(CreateServerCommand)
export class CreateServerHandler implements ICommandHandler<CreateServerCommand> {
  constructor(private readonly executor: AggregateExecutor) {}

  async execute({ data, meta }: CreateServerCommand): Promise<CommandResult> {
    const { flavorId, ...rest } = data;
    const flavorStream = flavorStreamId(flavorId);
    let imageSource: string | undefined;
    return this.executor.execute(
      vmStreamId(data.vmId),
      virtualMachineDecider,
      async (reread) => {
        // The flavor as this executor last folded it, not read again: the append checks that its
        // stream is still at that revision (a flavor changed or deleted meanwhile fails it, and the
        // executor asks again to reread it). Creates are the hot path and every read is a round trip.
        let folded = reread ? undefined : this.executor.cached<FlavorState>(flavorStream);
        // Only a usable flavor is taken from memory: a refusal is decided on a fresh read.
        if (!folded?.state || folded.state.deleted) folded = await this.executor.load(flavorStream, flavorDecider);
        const { state: flavor, revision } = folded;
        if (!flavor || flavor.deleted) throw new FlavorNotFoundError(flavorId);
        imageSource ??= await this.imageSource(data.imageRef);
        return { command: { type: 'CreateVM' as const, data: { ...rest, flavor: snapshotOf(flavor), imageSource } }, alsoExpect: [{ streamId: flavorStream, revision }] };
      },
      meta,
      VIRTUAL_MACHINE_EVENT_VERSIONS,
      // The id is fresh (or derived from a request whose earlier attempt made nothing), so the
      // stream is almost always new: no need to read it first.
      { likelyNewStream: true },
    );
  }

  /** A registry reference boots as it is; an image id boots from the catalogue image's reference. */
  private async imageSource(imageRef: string): Promise<string> {
    if (isRegistryRef(imageRef)) return imageRef;
    const { state: image } = await this.executor.load(imageStreamId(imageRef), imageDecider);
    if (!image || image.deleted) throw new ImageNotFoundError(imageRef);
    return image.image.registryRef;
  }
}

import type { CommandBus } from '@nestjs/cqrs';
import { DEFAULT_FLAVORS } from '../../domain/flavor/default-flavors.js';
import { FlavorExistsError } from '../../domain/flavor/flavor.errors.js';
import { SYSTEM_ACTOR } from '../shared/command-metadata.js';
import { ExecuteFlavorCommand } from './execute-flavor-command.command.js';

/**
 * Creates the default catalogue on first start. Idempotent: a flavor that exists (even deleted by an
 * operator) is left alone, so seeding never resurrects what an admin removed.
 */
export async function seedDefaultFlavors(bus: CommandBus, requestId: string): Promise<void> {
  for (const flavor of DEFAULT_FLAVORS) {
    try {
      await bus.execute(new ExecuteFlavorCommand({ type: 'CreateFlavor', data: flavor }, { requestId, actor: SYSTEM_ACTOR }));
    } catch (error) {
      if (!(error instanceof FlavorExistsError)) throw error;
    }
  }
}

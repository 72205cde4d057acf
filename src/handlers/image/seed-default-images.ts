import type { CommandBus } from '@nestjs/cqrs';
import { DEFAULT_IMAGES } from '../../domain/image/default-images.js';
import { ImageExistsError } from '../../domain/image/image.errors.js';
import { SYSTEM_ACTOR } from '../shared/command-metadata.js';
import { ExecuteImageCommand } from './execute-image-command.command.js';

/** Registers the default images on first start; one that exists (even deleted by an admin) is left alone. */
export async function seedDefaultImages(bus: CommandBus, requestId: string): Promise<void> {
  for (const image of DEFAULT_IMAGES) {
    try {
      await bus.execute(new ExecuteImageCommand({ type: 'RegisterImage', data: image }, { requestId, actor: SYSTEM_ACTOR }));
    } catch (error) {
      if (!(error instanceof ImageExistsError)) throw error;
    }
  }
}

import type { Decider } from '../shared/decider.js';
import type { ImageCommand } from './image.commands.js';
import { ImageExistsError, ImageNotFoundError, ImageProtectedError, InvalidImageError } from './image.errors.js';
import type { ImageData, ImageEvent } from './image.events.js';
import { isRegistryRef } from './registry-ref.js';

/** Never registered, registered, or deleted (a deleted image's id stays taken, as in Glance). */
export type ImageState = { image: ImageData; deleted: boolean } | null;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const isWhole = (n: number) => Number.isInteger(n) && n >= 0 && n <= 2_147_483_647;

export function decide(command: ImageCommand, state: ImageState): ImageEvent[] {
  switch (command.type) {
    case 'RegisterImage': {
      const image = command.data;
      if (state) throw new ImageExistsError(image.id);
      if (!UUID.test(image.id)) throw new InvalidImageError(`Image id ${image.id} is not a valid UUID.`);
      if (image.name.length > 255) throw new InvalidImageError('Image name must be at most 255 characters long.');
      if (!isRegistryRef(image.registryRef)) {
        throw new InvalidImageError(`virtplane_registry_ref ${image.registryRef} is not a container registry reference (docker://host/repository:tag).`);
      }
      if (!isWhole(image.minDiskGb) || !isWhole(image.minRamMb)) throw new InvalidImageError('min_disk and min_ram must be whole numbers of at least 0.');
      if (image.tags.some((t) => t.length === 0 || t.length > 255)) throw new InvalidImageError('Image tags must be 1 to 255 characters long.');
      return [{ type: 'ImageRegistered', data: image }];
    }
    case 'DeleteImage':
      if (!state || state.deleted) throw new ImageNotFoundError(command.data.id);
      if (state.image.protected) throw new ImageProtectedError(command.data.id);
      return [{ type: 'ImageDeleted', data: { id: command.data.id } }];
    default: {
      const exhaustive: never = command;
      throw new Error(`Unknown command ${(exhaustive as { type: string }).type}`);
    }
  }
}

export function evolve(state: ImageState, event: ImageEvent): ImageState {
  switch (event.type) {
    case 'ImageRegistered':
      return { image: event.data, deleted: false };
    case 'ImageDeleted':
      return state && { ...state, deleted: true };
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

export const imageDecider: Decider<ImageCommand, ImageEvent, ImageState> = {
  decide: (command, state) => decide(command, state),
  evolve,
  initialState: () => null,
};

import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import type { FlavorEvent } from '../../domain/flavor/flavor.events.js';
import type { FlavorView } from './flavor-row.js';

export const FLAVOR_STREAM_PREFIX = 'flavor-';

/** Folds one flavor event into the view; returns the same object when the event changes nothing. */
export function evolveFlavorView(view: FlavorView | undefined, recorded: RecordedEvent): FlavorView | undefined {
  const event = { type: recorded.type, data: recorded.data } as FlavorEvent;
  const at = recorded.occurredAt;
  switch (event.type) {
    case 'FlavorCreated': {
      const d = event.data;
      return {
        id: d.id,
        name: d.name,
        vcpus: d.vcpus,
        ramMb: d.ramMb,
        diskGb: d.diskGb,
        ephemeralGb: d.ephemeralGb,
        swapMb: d.swapMb,
        maxVcpus: d.maxVcpus,
        maxRamMb: d.maxRamMb,
        extraSpecs: { ...d.extraSpecs },
        isPublic: d.isPublic,
        description: d.description,
        deleted: false,
        createdAt: at,
        updatedAt: at,
      };
    }
    case 'FlavorExtraSpecsSet':
      return view && { ...view, extraSpecs: { ...view.extraSpecs, ...event.data.extraSpecs }, updatedAt: at };
    case 'FlavorDeleted':
      return view && { ...view, deleted: true, updatedAt: at };
    default:
      return view;
  }
}

import type { FlavorSnapshot } from './flavor-snapshot.js';

export type FlavorEvent =
  | { type: 'FlavorCreated'; data: FlavorSnapshot & { isPublic: boolean; description: string | null } }
  | { type: 'FlavorExtraSpecsSet'; data: { id: string; extraSpecs: Record<string, string> } }
  | { type: 'FlavorDeleted'; data: { id: string } };

export type FlavorEventType = FlavorEvent['type'];

export const FLAVOR_EVENT_VERSIONS: Record<FlavorEventType, number> = {
  FlavorCreated: 1,
  FlavorExtraSpecsSet: 1,
  FlavorDeleted: 1,
};

export const flavorStreamId = (flavorId: string): string => `flavor-${flavorId}`;

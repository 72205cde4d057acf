import type { FlavorSnapshot } from './flavor-snapshot.js';

export interface Flavor extends FlavorSnapshot {
  isPublic: boolean;
  description: string | null;
  deleted: boolean;
}

export type FlavorState = Flavor | null;

/** What CreateVM copies into the VM. */
export function snapshotOf(flavor: Flavor): FlavorSnapshot {
  const { isPublic: _p, description: _d, deleted: _x, ...snapshot } = flavor;
  return { ...snapshot, extraSpecs: { ...snapshot.extraSpecs } };
}

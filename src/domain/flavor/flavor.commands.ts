import type { FlavorSnapshot } from './flavor-snapshot.js';

export type FlavorCommand =
  | { type: 'CreateFlavor'; data: FlavorSnapshot & { isPublic: boolean; description: string | null } }
  | { type: 'SetFlavorExtraSpecs'; data: { id: string; extraSpecs: Record<string, string> } }
  | { type: 'DeleteFlavor'; data: { id: string } };

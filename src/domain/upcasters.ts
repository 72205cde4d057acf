import { vmCreatedV1Upcaster } from './virtual-machine/upcasters/vm-created-v1.upcaster.js';

/**
 * Every upcaster of every aggregate's events, for the event store to lift old schema versions on
 * read. Shaped like the store's Upcaster without importing it, so the domain stays free of adapters.
 */
export const upcasters: ReadonlyArray<{ type: string; fromVersion: number; upcast(data: unknown): unknown }> = [
  vmCreatedV1Upcaster,
];

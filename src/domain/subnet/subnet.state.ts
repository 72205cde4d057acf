import { PersistentMap } from '../shared/persistent-map.js';
import { AllocationTable } from './allocation-table.js';
import type { SubnetLayout } from './subnet-layout.js';
import type { SubnetDefinition } from './subnet.events.js';

export interface Subnet {
  definition: SubnetDefinition;
  layout: SubnetLayout;
  /** The addresses ports hold. Immutable, so folding tens of thousands of allocations stays linear. */
  allocations: AllocationTable;
  /** Port → the addresses it holds here, for idempotent retries and release by port. */
  byPort: PersistentMap<readonly string[]>;
  /** The last address the allocator picked; the next pick starts after it (released addresses come back last). */
  cursor: string | null;
  createdAt: string;
  updatedAt: string;
  deleted: boolean;
}

/** null until created; a deleted subnet keeps its state with deleted set (its id stays taken). */
export type SubnetState = Subnet | null;

/** The addresses a port holds in this subnet (a saga retrying AllocateIp reads its address here). */
export const addressesHeldBy = (subnet: Subnet, portId: string): readonly string[] => subnet.byPort.get(portId) ?? [];

export const emptyAllocations = () => ({ allocations: AllocationTable.empty(), byPort: PersistentMap.empty<readonly string[]>() });

import { PersistentMap } from '../shared/persistent-map.js';
import { AllocationTable } from './allocation-table.js';
import type { SubnetDefinition } from './subnet.events.js';
import { layoutOf } from './subnet-layout.js';
import type { SubnetState } from './subnet.state.js';

/** Bump when SubnetSnapshot changes shape: a snapshot of another version is ignored and the stream is folded instead. */
export const SUBNET_SNAPSHOT_VERSION = 1;

/**
 * A folded subnet as plain JSON, for a snapshot store: a busy subnet's stream holds an event per
 * allocation and per release, and loading it from a snapshot at revision N reads only the events
 * after N. A snapshot is an optimisation, never a source of truth: the state it restores equals the
 * fold of the same events (test/unit/domain/subnet-snapshot.test.ts).
 */
export interface SubnetSnapshot {
  definition: SubnetDefinition;
  /** [address, portId] pairs. */
  allocations: [string, string][];
  cursor: string | null;
  createdAt: string;
  updatedAt: string;
  deleted: boolean;
}

export function toSubnetSnapshot(state: SubnetState): SubnetSnapshot | null {
  if (!state) return null;
  return {
    definition: state.definition,
    allocations: [...state.allocations.entries()].map(([address, portId]): [string, string] => [address, portId]),
    cursor: state.cursor,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    deleted: state.deleted,
  };
}

export function fromSubnetSnapshot(snapshot: SubnetSnapshot | null): SubnetState {
  if (!snapshot) return null;
  const byPort = new Map<string, string[]>();
  for (const [address, portId] of snapshot.allocations) {
    const held = byPort.get(portId);
    if (held) held.push(address);
    else byPort.set(portId, [address]);
  }
  return {
    definition: snapshot.definition,
    layout: layoutOf(snapshot.definition),
    allocations: AllocationTable.from(snapshot.allocations),
    byPort: PersistentMap.from(byPort),
    cursor: snapshot.cursor,
    createdAt: snapshot.createdAt,
    updatedAt: snapshot.updatedAt,
    deleted: snapshot.deleted,
  };
}

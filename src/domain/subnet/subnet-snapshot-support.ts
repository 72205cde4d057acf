import type { SnapshotSupport } from '../shared/decider.js';
import { UnreadableSnapshotError } from '../shared/unreadable-snapshot.error.js';
import { fromSubnetSnapshot, SUBNET_SNAPSHOT_VERSION, toSubnetSnapshot, type SubnetSnapshot } from './subnet-snapshot.js';
import type { SubnetState } from './subnet.state.js';

/**
 * A snapshot every 1,000 events: a busy subnet then loads from a snapshot plus fewer than about
 * 1,000 events (2,000 if the last write was lost), and a snapshot (tens of bytes per allocation) is
 * written at most once per thousand allocations or releases.
 */
export const SUBNET_SNAPSHOT_EVERY_EVENTS = 1_000;

export const subnetSnapshots: SnapshotSupport<SubnetState> = {
  version: SUBNET_SNAPSHOT_VERSION,
  everyEvents: SUBNET_SNAPSHOT_EVERY_EVENTS,
  toSnapshot: toSubnetSnapshot,
  fromSnapshot: (data) => fromSubnetSnapshot(checkedSnapshot(data)),
};

/**
 * IPAM must never restore a state that silently forgets an allocation (it would hand the address out
 * twice), so a snapshot whose shape is off is refused here and the stream is folded instead.
 */
function checkedSnapshot(data: unknown): SubnetSnapshot | null {
  if (data === null) return null;
  if (!isRecord(data)) throw new UnreadableSnapshotError('not an object');
  const { definition, allocations, cursor, createdAt, updatedAt, deleted } = data;
  if (!isRecord(definition)) throw new UnreadableSnapshotError('definition is not an object');
  for (const field of ['subnetId', 'networkId', 'projectId', 'name', 'description', 'cidr'] as const) {
    if (typeof definition[field] !== 'string') throw new UnreadableSnapshotError(`definition.${field} is not a string`);
  }
  if (definition.ipVersion !== 4 && definition.ipVersion !== 6) throw new UnreadableSnapshotError('definition.ipVersion is not 4 or 6');
  if (definition.gatewayIp !== null && typeof definition.gatewayIp !== 'string') throw new UnreadableSnapshotError('definition.gatewayIp');
  for (const field of ['allocationPools', 'excludedRanges', 'dnsNameservers'] as const) {
    if (!Array.isArray(definition[field])) throw new UnreadableSnapshotError(`definition.${field} is not an array`);
  }
  if (typeof definition.enableDhcp !== 'boolean') throw new UnreadableSnapshotError('definition.enableDhcp is not a boolean');
  if (!Array.isArray(allocations)) throw new UnreadableSnapshotError('allocations is not an array');
  for (const pair of allocations) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      throw new UnreadableSnapshotError('an allocation is not an [address, portId] pair');
    }
  }
  if (cursor !== null && typeof cursor !== 'string') throw new UnreadableSnapshotError('cursor');
  if (typeof createdAt !== 'string' || typeof updatedAt !== 'string') throw new UnreadableSnapshotError('createdAt or updatedAt');
  if (typeof deleted !== 'boolean') throw new UnreadableSnapshotError('deleted is not a boolean');
  return data as unknown as SubnetSnapshot;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

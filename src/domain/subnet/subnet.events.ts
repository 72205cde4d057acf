import type { IpVersion } from '../ip/ip-number.js';
import type { IpRange } from '../ip/ip-range.js';

/**
 * A subnet as created or last updated, every address in canonical text. One CIDR of one IP version:
 * dual stack is two subnets (v4 and v6) on one network, as Neutron models it; the network maps to
 * one Kube-OVN logical switch whose cidrBlock is "v4cidr,v6cidr" (see network.decider.ts).
 */
export interface SubnetDefinition {
  subnetId: string;
  networkId: string;
  projectId: string;
  name: string;
  description: string;
  ipVersion: IpVersion;
  cidr: string;
  /** null: the subnet has no gateway. */
  gatewayIp: string | null;
  /** Where the allocator picks addresses; a chosen address may also lie outside them, as in Neutron. */
  allocationPools: IpRange[];
  /** Kube-OVN's excludeIps: never handed out, chosen or picked. */
  excludedRanges: IpRange[];
  dnsNameservers: string[];
  enableDhcp: boolean;
}

export type SubnetChanges = Partial<
  Pick<SubnetDefinition, 'name' | 'description' | 'gatewayIp' | 'allocationPools' | 'excludedRanges' | 'dnsNameservers' | 'enableDhcp'>
>;

/** requested: the port asked for this address; pool: the allocator picked it (moves the cursor). */
export type AllocationMethod = 'requested' | 'pool';

export type SubnetEvent =
  | { type: 'SubnetCreated'; data: SubnetDefinition & { createdAt: string } }
  | { type: 'SubnetUpdated'; data: { subnetId: string; changes: SubnetChanges; updatedAt: string } }
  | { type: 'IpAllocated'; data: { subnetId: string; ipAddress: string; portId: string; method: AllocationMethod } }
  | { type: 'IpReleased'; data: { subnetId: string; ipAddress: string; portId: string } }
  | { type: 'SubnetDeleted'; data: { subnetId: string; networkId: string; deletedAt: string } };

export type SubnetEventType = SubnetEvent['type'];

export const SUBNET_EVENT_VERSIONS: Record<SubnetEventType, number> = {
  SubnetCreated: 1,
  SubnetUpdated: 1,
  IpAllocated: 1,
  IpReleased: 1,
  SubnetDeleted: 1,
};

export const SUBNET_STREAM_PREFIX = 'subnet-';
export const subnetStreamId = (subnetId: string): string => `${SUBNET_STREAM_PREFIX}${subnetId}`;

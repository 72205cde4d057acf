import type { IpVersion } from '../ip/ip-number.js';

export interface NetworkDefinition {
  networkId: string;
  projectId: string;
  name: string;
  description: string;
  /** Neutron's shared: other projects may put ports on it. */
  shared: boolean;
  /** Neutron's router:external. */
  external: boolean;
  mtu: number;
  adminStateUp: boolean;
}

export type NetworkChanges = Partial<Pick<NetworkDefinition, 'name' | 'description' | 'shared' | 'external' | 'mtu' | 'adminStateUp'>>;

/** What the network records of a subnet: enough to keep one subnet per IP version and to refuse deletion. */
export interface NetworkSubnet {
  subnetId: string;
  ipVersion: IpVersion;
  cidr: string;
}

export type NetworkEvent =
  | { type: 'NetworkCreated'; data: NetworkDefinition & { createdAt: string } }
  | { type: 'NetworkUpdated'; data: { networkId: string; changes: NetworkChanges; updatedAt: string } }
  | { type: 'NetworkSubnetAdded'; data: { networkId: string; subnet: NetworkSubnet } }
  | { type: 'NetworkSubnetRemoved'; data: { networkId: string; subnetId: string } }
  | { type: 'MacReserved'; data: { networkId: string; macAddress: string; portId: string; projectId: string } }
  | { type: 'MacReleased'; data: { networkId: string; macAddress: string; portId: string } }
  | { type: 'NetworkDeleted'; data: { networkId: string; deletedAt: string } };

export type NetworkEventType = NetworkEvent['type'];

export const NETWORK_EVENT_VERSIONS: Record<NetworkEventType, number> = {
  NetworkCreated: 1,
  NetworkUpdated: 1,
  NetworkSubnetAdded: 1,
  NetworkSubnetRemoved: 1,
  MacReserved: 1,
  MacReleased: 1,
  NetworkDeleted: 1,
};

export const NETWORK_STREAM_PREFIX = 'network-';
export const networkStreamId = (networkId: string): string => `${NETWORK_STREAM_PREFIX}${networkId}`;

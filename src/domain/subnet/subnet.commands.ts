import type { IpRange } from '../ip/ip-range.js';

/** What a client may leave out: gateway (first host), pools (every host but the gateway), the rest empty. */
export interface CreateSubnetData {
  subnetId: string;
  networkId: string;
  projectId: string;
  name: string;
  description?: string;
  ipVersion: number;
  cidr: string;
  /** undefined: the first host address; null: no gateway. */
  gatewayIp?: string | null;
  allocationPools?: IpRange[];
  /** Kube-OVN excludeIps entries: "10.0.0.5" or "10.0.0.10..10.0.0.20". */
  excludedIps?: string[];
  dnsNameservers?: string[];
  enableDhcp?: boolean;
}

export interface UpdateSubnetData {
  subnetId: string;
  name?: string;
  description?: string;
  gatewayIp?: string | null;
  allocationPools?: IpRange[];
  excludedIps?: string[];
  dnsNameservers?: string[];
  enableDhcp?: boolean;
}

export type SubnetCommand =
  | { type: 'CreateSubnet'; data: CreateSubnetData }
  | { type: 'UpdateSubnet'; data: UpdateSubnetData }
  /**
   * ipAddress: the address the port asked for, or null for the next free one from the pools.
   * Idempotent per port: the same port asking again for the address it holds, or for a pool address
   * while it already holds one here, changes nothing (a retried saga step must not take a second).
   */
  | { type: 'AllocateIp'; data: { subnetId: string; portId: string; ipAddress: string | null } }
  /** Idempotent: releasing an address the port does not hold changes nothing. */
  | { type: 'ReleaseIp'; data: { subnetId: string; portId: string; ipAddress: string } }
  | { type: 'DeleteSubnet'; data: { subnetId: string } };

import { PersistentMap } from '../shared/persistent-map.js';
import type { NetworkDefinition, NetworkSubnet } from './network.events.js';

/**
 * A network and what hangs off it. It records its subnets and its ports' MACs so that the two
 * refusals that need them are exact and race free within its own stream: delete while subnets or
 * ports remain, and a MAC taken twice (a port's stream cannot see other ports). Both are reserved
 * here before the subnet or port is created and released after it is deleted.
 *
 * Dual stack: a network maps to one Kube-OVN logical switch (a Kube-OVN Subnet), whose cidrBlock is
 * "v4cidr" or "v6cidr" or "v4cidr,v6cidr". Neutron models the same as two subnets on one network, so
 * the network holds at most one subnet per IP version; a port's fixed_ips hold one address per family.
 */
export interface Network extends NetworkDefinition {
  subnets: NetworkSubnet[];
  /** MAC → the port holding it and that port's project (for the shared → not shared check). */
  macs: PersistentMap<{ portId: string; projectId: string }>;
  createdAt: string;
  updatedAt: string;
  deleted: boolean;
}

/** null until created; a deleted network keeps its state (its id stays taken). */
export type NetworkState = Network | null;

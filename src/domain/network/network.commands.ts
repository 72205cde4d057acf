export interface CreateNetworkData {
  networkId: string;
  projectId: string;
  name: string;
  description?: string;
  shared?: boolean;
  external?: boolean;
  /** Default DEFAULT_MTU. */
  mtu?: number;
  adminStateUp?: boolean;
}

export type NetworkCommand =
  | { type: 'CreateNetwork'; data: CreateNetworkData }
  | {
      type: 'UpdateNetwork';
      data: { networkId: string; name?: string; description?: string; shared?: boolean; external?: boolean; mtu?: number; adminStateUp?: boolean };
    }
  /** Before CreateSubnet: the network keeps at most one subnet per IP version (see network.decider.ts). Idempotent. */
  | { type: 'AddSubnetToNetwork'; data: { networkId: string; subnetId: string; ipVersion: number; cidr: string } }
  /** After SubnetDeleted (or to undo a failed subnet create). Idempotent. */
  | { type: 'RemoveSubnetFromNetwork'; data: { networkId: string; subnetId: string } }
  /** Before CreatePort: the MAC is unique on the network. Idempotent for the port that holds it. */
  | { type: 'ReserveMac'; data: { networkId: string; portId: string; projectId: string; macAddress: string } }
  /** After PortDeleted (or to undo a failed port create). Idempotent: only the holder's reservation goes. */
  | { type: 'ReleaseMac'; data: { networkId: string; portId: string; macAddress: string } }
  | { type: 'DeleteNetwork'; data: { networkId: string } };

import type { VnicType } from './vnic-type.js';

export interface FixedIp {
  subnetId: string;
  /** Canonical text; allocated on the subnet before the port is created. */
  ipAddress: string;
}

export interface PortDefinition {
  portId: string;
  networkId: string;
  projectId: string;
  name: string;
  description: string;
  adminStateUp: boolean;
  /** Canonical; reserved on the network before the port is created. */
  macAddress: string;
  /** At most one per IP family (dual stack: one IPv4 and one IPv6). */
  fixedIps: FixedIp[];
  vnicType: VnicType;
  /** Neutron's device_owner as given at create ('compute:nova' for ports made for a server, '' otherwise). */
  deviceOwner: string;
  portSecurityEnabled: boolean;
  securityGroups: string[];
}

export type PortChanges = Partial<Pick<PortDefinition, 'name' | 'description' | 'adminStateUp' | 'portSecurityEnabled' | 'securityGroups' | 'vnicType'>>;

export type PortEvent =
  | { type: 'PortCreated'; data: PortDefinition & { createdAt: string } }
  | { type: 'PortUpdated'; data: { portId: string; changes: PortChanges; updatedAt: string } }
  | { type: 'PortBindingRequested'; data: { portId: string; deviceId: string; deviceOwner: string; hostId: string | null; requestedAt: string } }
  | { type: 'PortBound'; data: { portId: string; deviceId: string; hostId: string | null; boundAt: string } }
  | { type: 'PortBindingFailed'; data: { portId: string; deviceId: string; reason: string; failedAt: string } }
  | { type: 'PortUnbindingRequested'; data: { portId: string; deviceId: string; requestedAt: string } }
  | { type: 'PortUnbound'; data: { portId: string; deviceId: string; unboundAt: string } }
  /** A live migration moved the bound port to another host (chassis); IP and MAC stay. */
  | { type: 'PortBindingHostChanged'; data: { portId: string; hostId: string; previousHostId: string | null } }
  /** Carries what the port held, so the process manager releases the addresses and the MAC without reading the stream. */
  | { type: 'PortDeleted'; data: { portId: string; networkId: string; macAddress: string; fixedIps: FixedIp[]; deletedAt: string } };

export type PortEventType = PortEvent['type'];

export const PORT_EVENT_VERSIONS: Record<PortEventType, number> = {
  PortCreated: 1,
  PortUpdated: 1,
  PortBindingRequested: 1,
  PortBound: 1,
  PortBindingFailed: 1,
  PortUnbindingRequested: 1,
  PortUnbound: 1,
  PortBindingHostChanged: 1,
  PortDeleted: 1,
};

export const PORT_STREAM_PREFIX = 'port-';
export const portStreamId = (portId: string): string => `${PORT_STREAM_PREFIX}${portId}`;

import type { FixedIp } from './port.events.js';

/**
 * Creating a port is a short saga (for the API authors): ReserveMac on the network, AllocateIp on
 * each subnet (chosen or from the pools), then CreatePort with what they granted; on a refusal, undo
 * in reverse (ReleaseIp, ReleaseMac).
 */
export interface CreatePortData {
  portId: string;
  networkId: string;
  projectId: string;
  name?: string;
  description?: string;
  adminStateUp?: boolean;
  macAddress: string;
  fixedIps?: FixedIp[];
  vnicType?: string;
  deviceOwner?: string;
  portSecurityEnabled?: boolean;
  securityGroups?: string[];
}

export type PortCommand =
  | { type: 'CreatePort'; data: CreatePortData }
  | {
      type: 'UpdatePort';
      data: { portId: string; name?: string; description?: string; adminStateUp?: boolean; portSecurityEnabled?: boolean; securityGroups?: string[]; vnicType?: string };
    }
  /** AttachNic's first step: created/unbound → binding. Idempotent for the same device. */
  | { type: 'RequestPortBinding'; data: { portId: string; deviceId: string; deviceOwner: string; hostId: string | null } }
  /** The VMI lists the interface: binding → bound. */
  | { type: 'ConfirmPortBinding'; data: { portId: string; deviceId: string; hostId: string | null } }
  /** AttachNic failed and was undone: binding → unbound. */
  | { type: 'FailPortBinding'; data: { portId: string; deviceId: string; reason: string } }
  /** DetachNic's first step: bound → unbinding. */
  | { type: 'RequestPortUnbinding'; data: { portId: string } }
  /** The interface and the fabric port are gone: unbinding → unbound. */
  | { type: 'ConfirmPortUnbinding'; data: { portId: string } }
  | { type: 'MovePortBinding'; data: { portId: string; hostId: string } }
  | { type: 'DeletePort'; data: { portId: string } };

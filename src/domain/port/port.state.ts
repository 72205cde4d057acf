import type { PortDefinition } from './port.events.js';
import { VIF_TYPES } from './vnic-type.js';

/**
 * created: addressed (IPs and MAC reserved) but never bound; binding → bound while AttachNic runs;
 * unbinding → unbound while DetachNic runs. A port is free to bind in created and unbound.
 */
export type PortPhase = 'created' | 'binding' | 'bound' | 'unbinding' | 'unbound';

export interface Port extends PortDefinition {
  phase: PortPhase;
  /** The VM (server id) while binding, bound or unbinding; '' otherwise, as Neutron shows device_id. */
  deviceId: string;
  /** The node (binding:host_id) the port is bound on; null when unknown or unbound. */
  hostId: string | null;
  createdAt: string;
  updatedAt: string;
  deleted: boolean;
}

export type PortState = Port | null;

export const isAttached = (port: Port): boolean => port.phase === 'binding' || port.phase === 'bound' || port.phase === 'unbinding';

/** Neutron's status: BUILD while binding, ACTIVE when bound and up, DOWN otherwise. */
export function portStatus(port: Port): 'ACTIVE' | 'BUILD' | 'DOWN' {
  if (port.phase === 'binding') return 'BUILD';
  return port.phase === 'bound' && port.adminStateUp ? 'ACTIVE' : 'DOWN';
}

/** Neutron's binding:vif_type: 'unbound' until bound. */
export const vifType = (port: Port): string => (port.phase === 'bound' || port.phase === 'unbinding' ? VIF_TYPES[port.vnicType] : 'unbound');

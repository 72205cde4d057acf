import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import type { SqlValue } from '../../adapters/sql/sql-database.js';
import type { FixedIp, PortEvent } from '../../domain/port/port.events.js';
import { PORT_EVENT_VERSIONS, PORT_STREAM_PREFIX } from '../../domain/port/port.events.js';
import { evolve } from '../../domain/port/port.decider.js';
import { portStatus, vifType, type Port, type PortPhase } from '../../domain/port/port.state.js';
import type { VnicType } from '../../domain/port/vnic-type.js';

export { PORT_STREAM_PREFIX };

/** A port as Neutron shows it (status and binding:vif_type derived from the phase), plus the phase itself. */
export interface PortView {
  id: string;
  networkId: string;
  projectId: string;
  name: string;
  description: string;
  adminStateUp: boolean;
  macAddress: string;
  fixedIps: FixedIp[];
  vnicType: VnicType;
  vifType: string;
  hostId: string | null;
  deviceId: string;
  deviceOwner: string;
  phase: PortPhase;
  status: 'ACTIVE' | 'BUILD' | 'DOWN';
  portSecurityEnabled: boolean;
  securityGroups: string[];
  deleted: boolean;
  createdAt: string;
  updatedAt: string;
}

export const PORT_COLUMNS = [
  'id', 'network_id', 'project_id', 'name', 'description', 'admin_state_up', 'mac_address', 'fixed_ips', 'vnic_type', 'vif_type', 'host_id', 'device_id',
  'device_owner', 'phase', 'status', 'port_security_enabled', 'security_groups', 'deleted', 'created_at', 'updated_at', 'position',
] as const;

export type PortRow = Record<(typeof PORT_COLUMNS)[number], unknown>;

/** Folded with the Port aggregate's own evolve, so phase, status and vif_type follow the domain's rules. */
export function evolvePortView(view: PortView | undefined, recorded: RecordedEvent): PortView | undefined {
  const event = { type: recorded.type, data: recorded.data } as PortEvent;
  const port = applyToPort(view, event);
  if (port === undefined) return view;
  return {
    id: port.portId,
    networkId: port.networkId,
    projectId: port.projectId,
    name: port.name,
    description: port.description,
    adminStateUp: port.adminStateUp,
    macAddress: port.macAddress,
    fixedIps: port.fixedIps,
    vnicType: port.vnicType,
    vifType: vifType(port),
    hostId: port.hostId,
    deviceId: port.deviceId,
    deviceOwner: port.deviceOwner,
    phase: port.phase,
    status: portStatus(port),
    portSecurityEnabled: port.portSecurityEnabled,
    securityGroups: port.securityGroups,
    deleted: port.deleted,
    createdAt: port.createdAt,
    updatedAt: port.updatedAt,
  };
}

function applyToPort(view: PortView | undefined, event: PortEvent): Port | undefined {
  if (!(event.type in PORT_EVENT_VERSIONS)) return undefined;
  const { id, vifType: _vif, status: _status, ...rest } = view ?? ({} as PortView);
  const state = view ? { ...rest, portId: id } : null;
  return evolve(state, event) ?? undefined;
}

export function portToRow(v: PortView, position: number): SqlValue[] {
  return [
    v.id, v.networkId, v.projectId, v.name, v.description, v.adminStateUp ? 1 : 0, v.macAddress, JSON.stringify(v.fixedIps), v.vnicType, v.vifType, v.hostId,
    v.deviceId, v.deviceOwner, v.phase, v.status, v.portSecurityEnabled ? 1 : 0, JSON.stringify(v.securityGroups), v.deleted ? 1 : 0, v.createdAt, v.updatedAt, position,
  ];
}

export function rowToPort(r: PortRow): PortView {
  return {
    id: String(r.id),
    networkId: String(r.network_id),
    projectId: String(r.project_id),
    name: String(r.name),
    description: String(r.description),
    adminStateUp: Number(r.admin_state_up) === 1,
    macAddress: String(r.mac_address),
    fixedIps: JSON.parse(String(r.fixed_ips)) as FixedIp[],
    vnicType: String(r.vnic_type) as VnicType,
    vifType: String(r.vif_type),
    hostId: r.host_id === null || r.host_id === undefined ? null : String(r.host_id),
    deviceId: String(r.device_id),
    deviceOwner: String(r.device_owner),
    phase: String(r.phase) as PortPhase,
    status: String(r.status) as PortView['status'],
    portSecurityEnabled: Number(r.port_security_enabled) === 1,
    securityGroups: JSON.parse(String(r.security_groups)) as string[],
    deleted: Number(r.deleted) === 1,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import type { SqlValue } from '../../adapters/sql/sql-database.js';
import type { NetworkEvent, NetworkSubnet } from '../../domain/network/network.events.js';
import { NETWORK_STREAM_PREFIX } from '../../domain/network/network.events.js';

export { NETWORK_STREAM_PREFIX };

/** A network as Neutron lists it; a deleted network keeps its row with deleted set (its id stays taken). */
export interface NetworkView {
  id: string;
  projectId: string;
  name: string;
  description: string;
  shared: boolean;
  external: boolean;
  mtu: number;
  adminStateUp: boolean;
  subnets: NetworkSubnet[];
  /** Ports (MACs reserved) on it. */
  portCount: number;
  deleted: boolean;
  createdAt: string;
  updatedAt: string;
}

export const NETWORK_COLUMNS = [
  'id', 'project_id', 'name', 'description', 'shared', 'external', 'mtu', 'admin_state_up', 'subnets', 'port_count', 'deleted', 'created_at', 'updated_at', 'position',
] as const;

export type NetworkRow = Record<(typeof NETWORK_COLUMNS)[number], unknown>;

/** Folds one network event; returns the same object when the event changes nothing shown. */
export function evolveNetworkView(view: NetworkView | undefined, recorded: RecordedEvent): NetworkView | undefined {
  const event = { type: recorded.type, data: recorded.data } as NetworkEvent;
  switch (event.type) {
    case 'NetworkCreated': {
      const { networkId, createdAt, ...d } = event.data;
      return { id: networkId, ...d, subnets: [], portCount: 0, deleted: false, createdAt, updatedAt: createdAt };
    }
    case 'NetworkUpdated':
      return view && { ...view, ...event.data.changes, updatedAt: event.data.updatedAt };
    case 'NetworkSubnetAdded':
      return view && { ...view, subnets: [...view.subnets, event.data.subnet] };
    case 'NetworkSubnetRemoved':
      return view && { ...view, subnets: view.subnets.filter((s) => s.subnetId !== event.data.subnetId) };
    case 'MacReserved':
      return view && { ...view, portCount: view.portCount + 1 };
    case 'MacReleased':
      return view && { ...view, portCount: view.portCount - 1 };
    case 'NetworkDeleted':
      return view && { ...view, deleted: true, updatedAt: event.data.deletedAt };
    default:
      return view;
  }
}

export function networkToRow(v: NetworkView, position: number): SqlValue[] {
  return [v.id, v.projectId, v.name, v.description, v.shared ? 1 : 0, v.external ? 1 : 0, v.mtu, v.adminStateUp ? 1 : 0, JSON.stringify(v.subnets), v.portCount, v.deleted ? 1 : 0, v.createdAt, v.updatedAt, position];
}

export function rowToNetwork(r: NetworkRow): NetworkView {
  return {
    id: String(r.id),
    projectId: String(r.project_id),
    name: String(r.name),
    description: String(r.description),
    shared: Number(r.shared) === 1,
    external: Number(r.external) === 1,
    mtu: Number(r.mtu),
    adminStateUp: Number(r.admin_state_up) === 1,
    subnets: JSON.parse(String(r.subnets)) as NetworkSubnet[],
    portCount: Number(r.port_count),
    deleted: Number(r.deleted) === 1,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

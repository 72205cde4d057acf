import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import type { SqlValue } from '../../adapters/sql/sql-database.js';
import type { SubnetDefinition, SubnetEvent } from '../../domain/subnet/subnet.events.js';
import { SUBNET_STREAM_PREFIX } from '../../domain/subnet/subnet.events.js';
import { layoutOf, poolSize } from '../../domain/subnet/subnet-layout.js';

export { SUBNET_STREAM_PREFIX };

/** A subnet as Neutron lists it, with the counts network-ip-availabilities shows. */
export interface SubnetView extends Omit<SubnetDefinition, 'subnetId'> {
  id: string;
  /** Addresses held by ports (Neutron's used_ips). */
  usedIps: number;
  /** Addresses in the allocation pools (Neutron's total_ips), as decimal text: a v6 /64 overflows a number. */
  totalIps: string;
  deleted: boolean;
  createdAt: string;
  updatedAt: string;
}

export const SUBNET_COLUMNS = [
  'id', 'network_id', 'project_id', 'name', 'description', 'ip_version', 'cidr', 'gateway_ip', 'allocation_pools', 'excluded_ranges',
  'dns_nameservers', 'enable_dhcp', 'used_ips', 'total_ips', 'deleted', 'created_at', 'updated_at', 'position',
] as const;

export type SubnetRow = Record<(typeof SUBNET_COLUMNS)[number], unknown>;

const totalOf = (definition: SubnetDefinition): string => poolSize(layoutOf(definition)).toString();

export function evolveSubnetView(view: SubnetView | undefined, recorded: RecordedEvent): SubnetView | undefined {
  const event = { type: recorded.type, data: recorded.data } as SubnetEvent;
  switch (event.type) {
    case 'SubnetCreated': {
      const { subnetId, createdAt, ...definition } = event.data;
      return { id: subnetId, ...definition, usedIps: 0, totalIps: totalOf(event.data), deleted: false, createdAt, updatedAt: createdAt };
    }
    case 'SubnetUpdated': {
      if (!view) return view;
      const next = { ...view, ...event.data.changes, updatedAt: event.data.updatedAt };
      return { ...next, totalIps: totalOf({ ...next, subnetId: view.id }) };
    }
    case 'IpAllocated':
      return view && { ...view, usedIps: view.usedIps + 1 };
    case 'IpReleased':
      return view && { ...view, usedIps: view.usedIps - 1 };
    case 'SubnetDeleted':
      return view && { ...view, deleted: true, updatedAt: event.data.deletedAt };
    default:
      return view;
  }
}

export function subnetToRow(v: SubnetView, position: number): SqlValue[] {
  return [
    v.id, v.networkId, v.projectId, v.name, v.description, v.ipVersion, v.cidr, v.gatewayIp, JSON.stringify(v.allocationPools), JSON.stringify(v.excludedRanges),
    JSON.stringify(v.dnsNameservers), v.enableDhcp ? 1 : 0, v.usedIps, v.totalIps, v.deleted ? 1 : 0, v.createdAt, v.updatedAt, position,
  ];
}

export function rowToSubnet(r: SubnetRow): SubnetView {
  return {
    id: String(r.id),
    networkId: String(r.network_id),
    projectId: String(r.project_id),
    name: String(r.name),
    description: String(r.description),
    ipVersion: Number(r.ip_version) === 6 ? 6 : 4,
    cidr: String(r.cidr),
    gatewayIp: r.gateway_ip === null || r.gateway_ip === undefined ? null : String(r.gateway_ip),
    allocationPools: JSON.parse(String(r.allocation_pools)) as SubnetView['allocationPools'],
    excludedRanges: JSON.parse(String(r.excluded_ranges)) as SubnetView['excludedRanges'],
    dnsNameservers: JSON.parse(String(r.dns_nameservers)) as string[],
    enableDhcp: Number(r.enable_dhcp) === 1,
    usedIps: Number(r.used_ips),
    totalIps: String(r.total_ips),
    deleted: Number(r.deleted) === 1,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

import type { SqlExecutor, SqlValue } from '../../adapters/sql/sql-database.js';
import { NETWORK_COLUMNS, rowToNetwork, type NetworkRow, type NetworkView } from './network-view.js';
import { PORT_COLUMNS, rowToPort, type PortRow, type PortView } from './port-view.js';
import { rowToSubnet, SUBNET_COLUMNS, type SubnetRow, type SubnetView } from './subnet-view.js';

/** Live rows only (deleted ones keep their id taken but are shown to nobody), ordered by id here so both dialects agree. */
async function select<R, V extends { id: string }>(db: SqlExecutor, table: string, columns: readonly string[], toView: (r: R) => V, filter: Record<string, SqlValue | undefined>): Promise<V[]> {
  const where = ['deleted = 0'];
  const params: SqlValue[] = [];
  for (const [column, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  const rows = await db.query<R & Record<string, unknown>>(`SELECT ${columns.join(', ')} FROM ${table} WHERE ${where.join(' AND ')}`, params);
  return rows.map(toView).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export const getNetwork = async (db: SqlExecutor, id: string): Promise<NetworkView | undefined> =>
  (await select(db, 'networks', NETWORK_COLUMNS, (r: NetworkRow) => rowToNetwork(r), { id }))[0];

export const listNetworks = (db: SqlExecutor, filter: { projectId?: string; shared?: boolean } = {}): Promise<NetworkView[]> =>
  select(db, 'networks', NETWORK_COLUMNS, (r: NetworkRow) => rowToNetwork(r), {
    project_id: filter.projectId,
    shared: filter.shared === undefined ? undefined : filter.shared ? 1 : 0,
  });

export const getSubnet = async (db: SqlExecutor, id: string): Promise<SubnetView | undefined> =>
  (await select(db, 'subnets', SUBNET_COLUMNS, (r: SubnetRow) => rowToSubnet(r), { id }))[0];

export const listSubnets = (db: SqlExecutor, filter: { networkId?: string; projectId?: string } = {}): Promise<SubnetView[]> =>
  select(db, 'subnets', SUBNET_COLUMNS, (r: SubnetRow) => rowToSubnet(r), { network_id: filter.networkId, project_id: filter.projectId });

export const getPort = async (db: SqlExecutor, id: string): Promise<PortView | undefined> =>
  (await select(db, 'ports', PORT_COLUMNS, (r: PortRow) => rowToPort(r), { id }))[0];

export const listPorts = (db: SqlExecutor, filter: { networkId?: string; projectId?: string; deviceId?: string } = {}): Promise<PortView[]> =>
  select(db, 'ports', PORT_COLUMNS, (r: PortRow) => rowToPort(r), { network_id: filter.networkId, project_id: filter.projectId, device_id: filter.deviceId });

/** Neutron's network-ip-availabilities entry for one network: per subnet and summed, totals as BigInt text. */
export interface NetworkIpAvailability {
  networkId: string;
  networkName: string;
  projectId: string;
  usedIps: number;
  totalIps: string;
  subnets: { subnetId: string; subnetName: string; cidr: string; ipVersion: 4 | 6; usedIps: number; totalIps: string }[];
}

export async function getNetworkIpAvailability(db: SqlExecutor, networkId: string): Promise<NetworkIpAvailability | undefined> {
  const network = await getNetwork(db, networkId);
  if (!network) return undefined;
  const subnets = await listSubnets(db, { networkId });
  return {
    networkId,
    networkName: network.name,
    projectId: network.projectId,
    usedIps: subnets.reduce((n, s) => n + s.usedIps, 0),
    totalIps: subnets.reduce((n, s) => n + BigInt(s.totalIps), 0n).toString(),
    subnets: subnets.map((s) => ({ subnetId: s.id, subnetName: s.name, cidr: s.cidr, ipVersion: s.ipVersion, usedIps: s.usedIps, totalIps: s.totalIps })),
  };
}

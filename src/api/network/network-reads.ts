import { Inject, Injectable } from '@nestjs/common';
import type { SqlDatabase, SqlValue } from '../../adapters/sql/sql-database.js';
import { APP_CONFIG, READ_MODEL_DB } from '../../app/tokens.js';
import type { AppConfig } from '../../config/config.schema.js';
import { NetworkNotFoundError } from '../../domain/network/network.errors.js';
import { PortNotFoundError } from '../../domain/port/port.errors.js';
import { SubnetNotFoundError } from '../../domain/subnet/subnet.errors.js';
import { NETWORK_COLUMNS, rowToNetwork, type NetworkRow, type NetworkView } from '../../projections/networking/network-view.js';
import { PORT_COLUMNS, rowToPort, type PortRow, type PortView } from '../../projections/networking/port-view.js';
import { rowToSubnet, SUBNET_COLUMNS, type SubnetRow, type SubnetView } from '../../projections/networking/subnet-view.js';
import { publicUrl } from '../auth/public-url.js';
import type { RequestContext } from '../auth/request-context.js';
import { ExternalNetworkAttachForbiddenError } from './external-network-attach-forbidden.error.js';

/** A read-model row with the global position of its last event (what revision_number shows). */
export interface Revisioned<V> {
  view: V;
  revision: number;
}

/**
 * The networking read models as the caller may see them. Visibility as Neutron's default policy:
 * admin sees all; others see their project's networks plus shared and external ones, the subnets
 * of the networks they see, and their project's ports. Anything else is "not found", never
 * "forbidden", so ids do not leak across projects. A server's port (Nova's boot and attach) goes on
 * a network the caller reads, unless it is external and not shared: see attachableNetwork.
 */
@Injectable()
export class NetworkReads {
  readonly url: string;

  constructor(
    @Inject(READ_MODEL_DB) readonly db: SqlDatabase,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.url = `${publicUrl(config)}/network/v2.0`;
  }

  async networks(ctx: RequestContext, where: Record<string, SqlValue> = {}): Promise<Revisioned<NetworkView>[]> {
    return this.rows('networks', NETWORK_COLUMNS, (r: NetworkRow) => rowToNetwork(r), where, visibleNetworks(ctx));
  }

  async subnets(ctx: RequestContext, where: Record<string, SqlValue> = {}): Promise<Revisioned<SubnetView>[]> {
    return this.rows('subnets', SUBNET_COLUMNS, (r: SubnetRow) => rowToSubnet(r), where, visibleSubnets(ctx));
  }

  async ports(ctx: RequestContext, where: Record<string, SqlValue> = {}): Promise<Revisioned<PortView>[]> {
    return this.rows('ports', PORT_COLUMNS, (r: PortRow) => rowToPort(r), where, visiblePorts(ctx));
  }

  async network(ctx: RequestContext, id: string): Promise<Revisioned<NetworkView>> {
    const found = (await this.networks(ctx, { id }))[0];
    if (!found) throw new NetworkNotFoundError(id);
    return found;
  }

  async subnet(ctx: RequestContext, id: string): Promise<Revisioned<SubnetView>> {
    const found = (await this.subnets(ctx, { id }))[0];
    if (!found) throw new SubnetNotFoundError(id);
    return found;
  }

  /**
   * The network for a server's port (Nova's boot and attach): undefined when the caller cannot read
   * it (not found, so nothing leaks), ExternalNetworkAttachForbiddenError when it reads it but may not
   * plug into it.
   */
  async attachableNetwork(ctx: RequestContext, id: string): Promise<NetworkView | undefined> {
    const found = (await this.networks(ctx, { id }))[0]?.view;
    if (found) assertAttachable(ctx, found);
    return found;
  }

  /**
   * Nova's candidates when no network is named ('auto', or none before 2.37): the project's own
   * networks and the shared ones, external or not, for an admin too (_get_available_networks in
   * nova/network/neutron.py); the one picked is then checked as a named one is (attachableNetwork).
   */
  async candidateNetworks(ctx: RequestContext): Promise<NetworkView[]> {
    const rows = await this.rows('networks', NETWORK_COLUMNS, (r: NetworkRow) => rowToNetwork(r), {}, { clause: 'project_id = ? OR shared = 1', params: [ctx.projectId] });
    return rows.map((r) => r.view);
  }

  async port(ctx: RequestContext, id: string): Promise<Revisioned<PortView>> {
    const found = (await this.ports(ctx, { id }))[0];
    if (!found) throw new PortNotFoundError(id);
    return found;
  }

  /** Live resources of a project, for its quota usage. */
  async countOf(table: 'networks' | 'subnets' | 'ports', projectId: string): Promise<number> {
    const rows = await this.db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table} WHERE deleted = 0 AND project_id = ?`, [projectId]);
    return Number(rows[0]?.n ?? 0);
  }

  private async rows<R, V>(
    table: string,
    columns: readonly string[],
    toView: (r: R) => V,
    where: Record<string, SqlValue>,
    visibility: SqlCondition | null,
  ): Promise<Revisioned<V>[]> {
    const clauses = ['deleted = 0', ...Object.keys(where).map((column) => `${column} = ?`), ...(visibility ? [`(${visibility.clause})`] : [])];
    const params = [...Object.values(where), ...(visibility?.params ?? [])];
    const rows = await this.db.query<R & { position: unknown }>(`SELECT ${columns.join(', ')} FROM ${table} WHERE ${clauses.join(' AND ')}`, params);
    return rows.map((r) => ({ view: toView(r), revision: Number(r.position) }));
  }
}

/** A condition on a table's rows with its parameters, to AND into a WHERE. */
export interface SqlCondition {
  clause: string;
  params: SqlValue[];
}

// The visibility rules (see NetworkReads) as SQL, the one statement of them for single reads and
// lists alike; null: the caller sees every row.

/** The networks the caller may read: its project's, shared and external ones; admin any. */
export function visibleNetworks(ctx: RequestContext): SqlCondition | null {
  if (ctx.isAdmin) return null;
  return { clause: 'project_id = ? OR shared = 1 OR external = 1', params: [ctx.projectId] };
}

/**
 * Nova's _check_external_network_attach: only an admin (network:attach_external_network) puts a
 * server's port on an external network that is not shared, even one of its own project.
 */
export function assertAttachable(ctx: RequestContext, network: NetworkView): void {
  if (!ctx.isAdmin && network.external && !network.shared) throw new ExternalNetworkAttachForbiddenError(network.id);
}

/** The caller's own subnets and the subnets of the networks the caller sees. */
export function visibleSubnets(ctx: RequestContext): SqlCondition | null {
  const networks = visibleNetworks(ctx);
  if (!networks) return null;
  return {
    clause: `project_id = ? OR network_id IN (SELECT id FROM networks WHERE deleted = 0 AND (${networks.clause}))`,
    params: [ctx.projectId, ...networks.params],
  };
}

export function visiblePorts(ctx: RequestContext): SqlCondition | null {
  return ctx.isAdmin ? null : { clause: 'project_id = ?', params: [ctx.projectId] };
}

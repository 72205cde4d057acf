import type { SqlExecutor } from '../../adapters/sql/sql-database.js';
import type { NetworkCommand } from '../../domain/network/network.commands.js';
import type { NetworkState } from '../../domain/network/network.state.js';
import type { PortState } from '../../domain/port/port.state.js';
import type { SubnetCommand } from '../../domain/subnet/subnet.commands.js';
import type { SubnetState } from '../../domain/subnet/subnet.state.js';
import type { CommandMetadata } from '../shared/command-metadata.js';

/** The streams the sweeper reads and the two release commands it sends. */
export interface SweptStreams {
  loadNetwork(networkId: string): Promise<NetworkState>;
  loadSubnet(subnetId: string): Promise<SubnetState>;
  loadPort(portId: string): Promise<PortState>;
  network(command: NetworkCommand, meta: CommandMetadata): Promise<unknown>;
  subnet(command: SubnetCommand, meta: CommandMetadata): Promise<unknown>;
}

export interface ReservationSweeperOptions {
  db: SqlExecutor;
  streams: SweptStreams;
  /**
   * How long a reservation must be seen without its port before it is freed: longer than a port
   * create takes between its first reservation and CreatePort, so a create in flight keeps its own.
   */
  graceMs: number;
  now(): number;
  meta(): CommandMetadata;
}

export interface SweepResult {
  releasedIps: number;
  releasedMacs: number;
}

/**
 * Frees addresses and MACs that no port will ever release. Port create reserves the MAC on the
 * network and an address on each subnet under the new port's id before the port's stream exists
 * (port-flows.handler.ts); a process that dies in between, with no client retrying, leaves them
 * held by a port id without a stream. A delete cut short after PortDeleted leaves them held by a
 * deleted port. The sweeper walks the live subnets and networks (listed in SQL) and releases both:
 * a deleted port's at once (its delete decided that), a port id without a stream only once it has
 * been seen so for the grace period (a create may be between its reservations and CreatePort).
 * Releases are idempotent per port id, so a sweep racing a delete or a retried create frees
 * nothing twice; a retried create after the sweep simply reserves again.
 */
export class ReservationSweeper {
  /** Orphans seen in earlier sweeps: when first seen. In memory: a restart only makes the wait longer. */
  private readonly seen = new Map<string, number>();

  constructor(private readonly options: ReservationSweeperOptions) {}

  async sweep(): Promise<SweepResult> {
    const { db, streams } = this.options;
    const result: SweepResult = { releasedIps: 0, releasedMacs: 0 };
    const orphansNow = new Set<string>();
    const ports = new Map<string, Promise<PortState>>();
    const port = (portId: string) => {
      let loaded = ports.get(portId);
      if (!loaded) ports.set(portId, (loaded = streams.loadPort(portId)));
      return loaded;
    };

    for (const { id } of await db.query<{ id: string }>('SELECT id FROM subnets WHERE deleted = 0', [])) {
      const subnet = await streams.loadSubnet(id);
      if (!subnet || subnet.deleted) continue;
      for (const [portId, addresses] of subnet.byPort.entries()) {
        if (!(await this.due(`subnet:${id}:${portId}`, await port(portId), orphansNow))) continue;
        for (const ipAddress of addresses) {
          await streams.subnet({ type: 'ReleaseIp', data: { subnetId: id, portId, ipAddress } }, this.options.meta());
          result.releasedIps += 1;
        }
      }
    }
    for (const { id } of await db.query<{ id: string }>('SELECT id FROM networks WHERE deleted = 0', [])) {
      const network = await streams.loadNetwork(id);
      if (!network || network.deleted) continue;
      for (const [macAddress, { portId }] of network.macs.entries()) {
        if (!(await this.due(`network:${id}:${portId}`, await port(portId), orphansNow))) continue;
        await streams.network({ type: 'ReleaseMac', data: { networkId: id, portId, macAddress } }, this.options.meta());
        result.releasedMacs += 1;
      }
    }
    // A reservation no longer orphaned (its create completed, or it was freed) starts over if it comes back.
    for (const key of this.seen.keys()) if (!orphansNow.has(key)) this.seen.delete(key);
    return result;
  }

  /** Whether the reservation `key`, held for a port in state `port`, is to be freed now. */
  private async due(key: string, port: PortState, orphansNow: Set<string>): Promise<boolean> {
    if (port && !port.deleted) return false;
    if (port?.deleted) return true;
    orphansNow.add(key);
    const now = this.options.now();
    const first = this.seen.get(key);
    if (first === undefined) {
      this.seen.set(key, now);
      return this.options.graceMs <= 0;
    }
    if (now - first < this.options.graceMs) return false;
    this.seen.delete(key);
    return true;
  }
}

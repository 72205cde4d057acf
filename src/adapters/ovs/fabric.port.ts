/**
 * The fabric port: OVN northbound (logical switches, logical switch ports with fixed MAC and IPs,
 * the requested chassis) and the node's Open vSwitch, as the sagas see them.
 *
 * Contract:
 * - Every mutation is idempotent. `ensureLogicalSwitch` and `ensurePort` create when absent and
 *   bring an existing one to the spec (a port re-ensured with another MAC or IPs is updated);
 *   deleting what is absent is done.
 * - Addresses are unique per switch: a MAC or IP held by another port on the same switch is refused.
 * - Errors are AdapterErrors. Permanent: 'SwitchNotFound', 'PortNotFound' (setPortChassis on an
 *   absent port), 'MacInUse', 'IpInUse', 'AddressOutsideSubnet', 'PortOnOtherSwitch' (a port id
 *   cannot move between switches), 'SwitchInUse' (deleting a switch that still has ports),
 *   'Invalid' (malformed MAC, IP or CIDR). Transient: connection, timeouts, transaction conflicts.
 */
export interface FabricPort {
  ensureLogicalSwitch(spec: LogicalSwitchSpec): Promise<LogicalSwitch>;
  getLogicalSwitch(id: string): Promise<LogicalSwitch | null>;
  deleteLogicalSwitch(id: string): Promise<void>;
  ensurePort(spec: PortSpec): Promise<PortInfo>;
  getPort(portId: string): Promise<PortInfo | null>;
  deletePort(portId: string): Promise<void>;
  /** Binds the port to a node (OVN requested-chassis), or unbinds it with null; ends a begun migration. */
  setPortChassis(portId: string, chassis: string | null): Promise<void>;
  /**
   * Live migration: binds the port to its current node and `target` at once (OVN requested-chassis
   * "current,target" with activation-strategy=rarp: the target's binding takes the traffic when the
   * migrated guest announces itself there), so the NIC keeps working through the switch-over. Finish
   * with setPortChassis(portId, target), or abort with setPortChassis(portId, current). Errors:
   * 'PortNotFound'; 'Invalid' when the port is unbound or already on `target`.
   */
  beginPortMigration(portId: string, target: string): Promise<void>;
  /** Every port when no switch is given. */
  listPorts(switchId?: string): Promise<PortInfo[]>;
}

export type FabricOperation = keyof FabricPort;

export interface LogicalSwitchSpec {
  /** Our network's id; the switch's external id. */
  id: string;
  name: string;
  /** e.g. ['10.20.0.0/24', 'fd00::/64']. */
  cidrs: string[];
  /** Addresses the switch never hands out: single IPs or 'first..last' ranges, as OVN's exclude_ips. */
  excludeIps: string[];
}

export type LogicalSwitch = LogicalSwitchSpec;

export interface PortSpec {
  /** Our port's id; the logical switch port's name. */
  portId: string;
  switchId: string;
  /** Lower case on the way out. */
  mac: string;
  ips: string[];
  vmId: string | null;
  /** The node the port is bound to, null when unbound. */
  chassis: string | null;
}

export interface PortInfo extends PortSpec {
  /** Present only between beginPortMigration and the setPortChassis that ends it. */
  migratingTo?: string;
}

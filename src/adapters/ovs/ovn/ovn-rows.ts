import { decodeStringMap, decodeStringSet, decodeUuid, decodeUuidSet, ovsdbMap, ovsdbSet, type OvsdbRow } from '../ovsdb/ovsdb-encoding.js';
import type { LogicalSwitch, PortInfo } from '../fabric.port.js';

/**
 * How virtplane's networks and ports are spelled in OVN_Northbound. Like Neutron's OVN driver, a
 * switch is named after our id ("vp-<network id>", so ovn-nbctl can address it) and every row we own
 * carries our ids in external_ids; a logical switch port is named by our port id (the name OVN's
 * Interface external_ids:iface-id binds to on the node).
 */
export const NB = 'OVN_Northbound';
export const EXT_NETWORK_ID = 'virtplane:network-id';
export const EXT_NETWORK_NAME = 'virtplane:network-name';
export const EXT_CIDRS = 'virtplane:cidrs';
export const EXT_PORT_ID = 'virtplane:port-id';
export const EXT_VM_ID = 'virtplane:vm-id';
export const REQUESTED_CHASSIS = 'requested-chassis';
/** With two requested chassis, the second takes the traffic once the guest sends a RARP from it. */
export const ACTIVATION_STRATEGY = 'activation-strategy';
export const BINDING_OPTIONS = [REQUESTED_CHASSIS, ACTIVATION_STRATEGY];

export const switchName = (networkId: string): string => `vp-${networkId}`;

export const SWITCH_COLUMNS = ['_uuid', 'name', 'ports', 'other_config', 'external_ids'];
export const PORT_COLUMNS = ['_uuid', 'name', 'addresses', 'port_security', 'options', 'external_ids'];

export interface SwitchRow {
  uuid: string;
  ports: string[];
  otherConfig: Record<string, string>;
  externalIds: Record<string, string>;
  value: LogicalSwitch;
}

export interface PortRow {
  uuid: string;
  options: Record<string, string>;
  externalIds: Record<string, string>;
  value: PortInfo;
}

export function decodeSwitchRow(row: OvsdbRow): SwitchRow {
  const otherConfig = decodeStringMap(row.other_config);
  const externalIds = decodeStringMap(row.external_ids);
  const cidrs = externalIds[EXT_CIDRS];
  const exclude = otherConfig.exclude_ips;
  return {
    uuid: decodeUuid(row._uuid),
    ports: decodeUuidSet(row.ports),
    otherConfig,
    externalIds,
    value: {
      id: externalIds[EXT_NETWORK_ID] ?? String(row.name),
      name: externalIds[EXT_NETWORK_NAME] ?? String(row.name),
      cidrs: cidrs ? cidrs.split(',') : [],
      excludeIps: exclude ? exclude.split(/\s+/).filter(Boolean) : [],
    },
  };
}

/** The keys of other_config and external_ids we own on a switch; everything else is left alone. */
export function switchConfig(spec: LogicalSwitch): { otherConfig: Record<string, string>; externalIds: Record<string, string> } {
  const otherConfig: Record<string, string> = {};
  const v4 = spec.cidrs.find((c) => !c.includes(':'));
  const v6 = spec.cidrs.find((c) => c.includes(':'));
  if (v4) otherConfig.subnet = v4;
  // OVN takes the IPv6 prefix without its length and assumes /64 (SLAAC-sized) for IPAM.
  if (v6 && v6.endsWith('/64')) otherConfig.ipv6_prefix = v6.slice(0, -3);
  if (spec.excludeIps.length > 0) otherConfig.exclude_ips = spec.excludeIps.join(' ');
  return {
    otherConfig,
    externalIds: { [EXT_NETWORK_ID]: spec.id, [EXT_NETWORK_NAME]: spec.name, [EXT_CIDRS]: spec.cidrs.join(',') },
  };
}

export const OWNED_SWITCH_CONFIG = ['subnet', 'ipv6_prefix', 'exclude_ips'];
export const OWNED_SWITCH_IDS = [EXT_NETWORK_ID, EXT_NETWORK_NAME, EXT_CIDRS];

/** `ours` over `theirs` minus the keys we own (so a key we dropped is removed, others' keys stay). */
export function mergeOwned(theirs: Record<string, string>, owned: string[], ours: Record<string, string>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries(theirs)) if (!owned.includes(k)) merged[k] = v;
  return { ...merged, ...ours };
}

export function decodePortRow(row: OvsdbRow): PortRow {
  const options = decodeStringMap(row.options);
  const externalIds = decodeStringMap(row.external_ids);
  // The first "MAC IP..." entry; OVN also allows "router", "unknown" and "dynamic" entries.
  const entry = decodeStringSet(row.addresses).find((a) => /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}\b/.test(a)) ?? '';
  const [mac = '', ...ips] = entry.split(/\s+/).filter(Boolean);
  return {
    uuid: decodeUuid(row._uuid),
    options,
    externalIds,
    value: {
      portId: String(row.name),
      switchId: externalIds[EXT_NETWORK_ID] ?? '',
      mac: mac.toLowerCase(),
      ips,
      vmId: externalIds[EXT_VM_ID] ?? null,
      ...bindingOf(options),
    },
  };
}

/** requested-chassis "a" is bound to a; "a,b" is migrating from a to b (OVN's multi-chassis binding). */
function bindingOf(options: Record<string, string>): { chassis: string | null; migratingTo?: string } {
  const [chassis, migratingTo] = (options[REQUESTED_CHASSIS] ?? '').split(',').filter(Boolean);
  return migratingTo ? { chassis: chassis ?? null, migratingTo } : { chassis: chassis ?? null };
}

/** The binding options for a port on `chassis`, or migrating from it to `migratingTo`. */
export function bindingOptions(chassis: string | null, migratingTo?: string): Record<string, string> {
  if (!chassis) return {};
  if (!migratingTo) return { [REQUESTED_CHASSIS]: chassis };
  return { [REQUESTED_CHASSIS]: `${chassis},${migratingTo}`, [ACTIVATION_STRATEGY]: 'rarp' };
}

export const OWNED_PORT_IDS = [EXT_PORT_ID, EXT_NETWORK_ID, EXT_VM_ID];

/** The columns of a logical switch port for `port`, keeping options and external ids others set. */
export function portRow(port: PortInfo, existing?: PortRow): OvsdbRow {
  const address = [port.mac, ...port.ips].join(' ');
  const ids: Record<string, string> = { [EXT_PORT_ID]: port.portId, [EXT_NETWORK_ID]: port.switchId };
  if (port.vmId) ids[EXT_VM_ID] = port.vmId;
  const binding = bindingOptions(port.chassis, port.migratingTo);
  return {
    name: port.portId,
    addresses: ovsdbSet([address]),
    // Port security pins the MAC and IPs the VM may send from (OVN drops spoofed traffic).
    port_security: ovsdbSet([address]),
    external_ids: ovsdbMap(mergeOwned(existing?.externalIds ?? {}, OWNED_PORT_IDS, ids)),
    options: ovsdbMap(mergeOwned(existing?.options ?? {}, BINDING_OPTIONS, binding)),
  };
}

import type { PortView } from '../../../projections/networking/port-view.js';
import { isAtLeast, type Microversion } from '../microversion.js';

/** Nova's interfaceAttachment: the port as Neutron shows it, in Nova's field names; tag from 2.70. */
export function interfaceAttachmentJson(port: PortView, version: Microversion): Record<string, unknown> {
  return {
    net_id: port.networkId,
    port_id: port.id,
    mac_addr: port.macAddress,
    port_state: port.status,
    fixed_ips: port.fixedIps.map((ip) => ({ subnet_id: ip.subnetId, ip_address: ip.ipAddress })),
    ...(isAtLeast(version, '2.70') ? { tag: null } : {}),
  };
}

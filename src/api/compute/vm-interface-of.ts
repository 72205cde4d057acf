import type { VmInterface } from '../../domain/virtual-machine/interface-attachment.js';
import type { NetworkView } from '../../projections/networking/network-view.js';
import type { PortView } from '../../projections/networking/port-view.js';

/** A port as the VM's stream records it, at boot or at an attach (its network gone: named by its id). */
export function vmInterfaceOf(port: PortView, network: NetworkView | undefined, autoCreated: boolean): VmInterface {
  return {
    portId: port.id,
    networkId: port.networkId,
    networkName: network?.name || port.networkId,
    macAddress: port.macAddress,
    fixedIps: port.fixedIps.map((ip) => ({ ...ip, version: ip.ipAddress.includes(':') ? 6 : 4 })),
    vnicType: port.vnicType,
    autoCreated,
  };
}

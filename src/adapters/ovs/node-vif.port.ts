/**
 * The node side of a virtplane port: the VM's interface on the node's integration bridge in the
 * node's Open_vSwitch database. ovn-controller binds it to the logical switch port whose name is the
 * Interface's external_ids:iface-id (our port id), so this and FabricPort.ensurePort together make a
 * NIC work; attached-mac and vm-uuid say whose it is (as Neutron and KubeVirt set them).
 *
 * Contract:
 * - Idempotent. `ensureVif` creates the Port and Interface (both named `device`) on `bridge` when the
 *   port id has none, brings its external ids to the spec, and moves it when the device or bridge
 *   changed; `deleteVif` of an absent port id is done.
 * - Errors are AdapterErrors. Permanent: 'Invalid' (malformed MAC or device name), 'InterfaceInUse'
 *   (the device name belongs to another port id). Transient: 'BridgeNotFound' (ovn-controller creates
 *   br-int when it starts, so waiting can help), connection, timeouts, conflicts.
 */
export interface NodeVifPort {
  ensureVif(spec: VifSpec): Promise<VifInfo>;
  getVif(portId: string): Promise<VifInfo | null>;
  deleteVif(portId: string): Promise<void>;
  listVifs(): Promise<VifInfo[]>;
}

export interface VifSpec {
  /** Our port id: the logical switch port's name, set as external_ids:iface-id. */
  portId: string;
  /** The kernel device (at most 15 characters), e.g. vifDeviceName(portId). */
  device: string;
  mac: string;
  vmId: string;
  /** Default 'br-int', OVN's integration bridge. */
  bridge?: string;
}

export type VifInfo = Required<VifSpec>;

export const INTEGRATION_BRIDGE = 'br-int';

/** A tap name derived from the port id, as Neutron does ("tap" + the id's first 11 characters). */
export const vifDeviceName = (portId: string): string => `tap${portId.slice(0, 11)}`;

import { PermanentAdapterError, TransientAdapterError } from '../adapter-errors.js';
import { checkDeviceName, normalizeMac } from './address-checks.js';
import { INTEGRATION_BRIDGE, type NodeVifPort, type VifInfo, type VifSpec } from './node-vif.port.js';

/** A node's Open_vSwitch database in process: bridges (br-int by default) and VM interfaces. */
export class SimulatedNodeVif implements NodeVifPort {
  private readonly bridges: Set<string>;
  private readonly vifs = new Map<string, VifInfo>();

  constructor(options: { bridges?: string[] } = {}) {
    this.bridges = new Set(options.bridges ?? [INTEGRATION_BRIDGE]);
  }

  async ensureVif(spec: VifSpec): Promise<VifInfo> {
    checkDeviceName(spec.device);
    const wanted: VifInfo = { portId: spec.portId, device: spec.device, mac: normalizeMac(spec.mac), vmId: spec.vmId, bridge: spec.bridge ?? INTEGRATION_BRIDGE };
    if (!this.bridges.has(wanted.bridge)) throw new TransientAdapterError('BridgeNotFound', `bridge ${wanted.bridge} not found`);
    const holder = [...this.vifs.values()].find((v) => v.device === wanted.device && v.portId !== wanted.portId);
    if (holder) throw new PermanentAdapterError('InterfaceInUse', `interface ${wanted.device} belongs to port ${holder.portId}`);
    this.vifs.set(wanted.portId, wanted);
    return { ...wanted };
  }

  async getVif(portId: string): Promise<VifInfo | null> {
    const vif = this.vifs.get(portId);
    return vif ? { ...vif } : null;
  }

  async deleteVif(portId: string): Promise<void> {
    this.vifs.delete(portId);
  }

  async listVifs(): Promise<VifInfo[]> {
    return [...this.vifs.values()].map((v) => ({ ...v }));
  }
}

import { PermanentAdapterError } from '../adapter-errors.js';
import { CallCounter } from '../simulation/call-counter.js';
import { FaultInjector } from '../simulation/fault-injector.js';
import { delay, latencyOf, type Latency } from '../simulation/latency.js';
import { StateFile } from '../simulation/state-file.js';
import { checkExcludeIps, inSubnets, normalizeIp, normalizeMac, subnetsOf } from './address-checks.js';
import type { FabricOperation, FabricPort, LogicalSwitch, LogicalSwitchSpec, PortInfo, PortSpec } from './fabric.port.js';

export interface SimulatedFabricOptions {
  /** Each call's round trip in milliseconds; default 0. */
  latency?: Latency<'api'>;
  /** Saves switches and ports (JSON) after every change and loads them at construction. */
  stateFile?: string;
}

interface SimulatedFabricState {
  switches: LogicalSwitch[];
  ports: PortInfo[];
  calls: Record<string, number>;
  effects: Record<string, number>;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * OVN northbound in process: logical switches and their ports, with the uniqueness OVN's
 * port security and IPAM rely on. `calls` counts per operation and per switch or port id;
 * `effects` counts changes made ('createSwitch', 'updateSwitch', 'deleteSwitch', 'createPort',
 * 'updatePort', 'deletePort', 'bindPort', 'migratePort') per switch or port id.
 */
export class SimulatedFabric implements FabricPort {
  readonly faults = new FaultInjector<FabricOperation>();
  readonly calls: CallCounter;
  readonly effects: CallCounter;
  private readonly switches = new Map<string, LogicalSwitch>();
  private readonly ports = new Map<string, PortInfo>();
  private readonly stateFile: StateFile<SimulatedFabricState> | undefined;

  constructor(private readonly options: SimulatedFabricOptions = {}) {
    this.stateFile = options.stateFile ? new StateFile(options.stateFile) : undefined;
    const saved = this.stateFile?.load();
    for (const s of saved?.switches ?? []) this.switches.set(s.id, s);
    for (const p of saved?.ports ?? []) this.ports.set(p.portId, p);
    this.calls = new CallCounter(saved?.calls);
    this.effects = new CallCounter(saved?.effects);
  }

  ensureLogicalSwitch(spec: LogicalSwitchSpec): Promise<LogicalSwitch> {
    return this.call('ensureLogicalSwitch', spec.id, () => {
      subnetsOf(spec.cidrs);
      checkExcludeIps(spec.excludeIps);
      const wanted: LogicalSwitch = { id: spec.id, name: spec.name, cidrs: [...spec.cidrs], excludeIps: [...spec.excludeIps] };
      const existing = this.switches.get(spec.id);
      if (existing && same(existing, wanted)) return { ...existing };
      this.switches.set(spec.id, wanted);
      this.effects.record(existing ? 'updateSwitch' : 'createSwitch', spec.id);
      this.save();
      return structuredClone(wanted);
    });
  }

  getLogicalSwitch(id: string): Promise<LogicalSwitch | null> {
    return this.call('getLogicalSwitch', id, () => {
      const found = this.switches.get(id);
      return found ? structuredClone(found) : null;
    });
  }

  deleteLogicalSwitch(id: string): Promise<void> {
    return this.call('deleteLogicalSwitch', id, () => {
      if (!this.switches.has(id)) return;
      const inUse = [...this.ports.values()].filter((p) => p.switchId === id).length;
      if (inUse > 0) throw new PermanentAdapterError('SwitchInUse', `logical switch ${id} still has ${inUse} port(s)`);
      this.switches.delete(id);
      this.effects.record('deleteSwitch', id);
      this.save();
    });
  }

  ensurePort(spec: PortSpec): Promise<PortInfo> {
    return this.call('ensurePort', spec.portId, () => {
      const wanted: PortInfo = {
        portId: spec.portId,
        switchId: spec.switchId,
        mac: normalizeMac(spec.mac),
        ips: spec.ips.map(normalizeIp),
        vmId: spec.vmId,
        chassis: spec.chassis,
      };
      const logicalSwitch = this.switches.get(spec.switchId);
      if (!logicalSwitch) throw new PermanentAdapterError('SwitchNotFound', `logical switch ${spec.switchId} not found`);
      const existing = this.ports.get(spec.portId);
      if (existing && existing.switchId !== spec.switchId) {
        throw new PermanentAdapterError('PortOnOtherSwitch', `port ${spec.portId} is on switch ${existing.switchId}, not ${spec.switchId}`);
      }
      this.checkAddresses(wanted, logicalSwitch);
      if (existing && same(existing, wanted)) return { ...existing, ips: [...existing.ips] };
      this.ports.set(spec.portId, wanted);
      this.effects.record(existing ? 'updatePort' : 'createPort', spec.portId);
      this.save();
      return { ...wanted, ips: [...wanted.ips] };
    });
  }

  getPort(portId: string): Promise<PortInfo | null> {
    return this.call('getPort', portId, () => {
      const port = this.ports.get(portId);
      return port ? { ...port, ips: [...port.ips] } : null;
    });
  }

  deletePort(portId: string): Promise<void> {
    return this.call('deletePort', portId, () => {
      if (!this.ports.delete(portId)) return;
      this.effects.record('deletePort', portId);
      this.save();
    });
  }

  setPortChassis(portId: string, chassis: string | null): Promise<void> {
    return this.call('setPortChassis', portId, () => {
      const port = this.ports.get(portId);
      if (!port) throw new PermanentAdapterError('PortNotFound', `logical switch port ${portId} not found`);
      if (port.chassis === chassis && port.migratingTo === undefined) return;
      port.chassis = chassis;
      delete port.migratingTo;
      this.effects.record('bindPort', portId);
      this.save();
    });
  }

  beginPortMigration(portId: string, target: string): Promise<void> {
    return this.call('beginPortMigration', portId, () => {
      const port = this.ports.get(portId);
      if (!port) throw new PermanentAdapterError('PortNotFound', `logical switch port ${portId} not found`);
      if (!port.chassis) throw new PermanentAdapterError('Invalid', `port ${portId} is not bound to a node, so it cannot migrate`);
      if (port.chassis === target) throw new PermanentAdapterError('Invalid', `port ${portId} is already on ${target}`);
      if (port.migratingTo === target) return;
      port.migratingTo = target;
      this.effects.record('migratePort', portId);
      this.save();
    });
  }

  listPorts(switchId?: string): Promise<PortInfo[]> {
    return this.call('listPorts', switchId, () =>
      [...this.ports.values()].filter((p) => switchId === undefined || p.switchId === switchId).map((p) => ({ ...p, ips: [...p.ips] })),
    );
  }

  close(): void {
    this.faults.clear();
  }

  private checkAddresses(port: PortInfo, logicalSwitch: LogicalSwitch): void {
    const subnets = subnetsOf(logicalSwitch.cidrs);
    for (const ip of port.ips) {
      if (!inSubnets(subnets, ip)) throw new PermanentAdapterError('AddressOutsideSubnet', `${ip} is outside ${logicalSwitch.cidrs.join(', ')}`);
    }
    for (const other of this.ports.values()) {
      if (other.portId === port.portId || other.switchId !== port.switchId) continue;
      if (other.mac === port.mac) throw new PermanentAdapterError('MacInUse', `MAC ${port.mac} is used by port ${other.portId}`);
      const shared = other.ips.find((ip) => port.ips.includes(ip));
      if (shared) throw new PermanentAdapterError('IpInUse', `IP ${shared} is used by port ${other.portId}`);
    }
  }

  private async call<T>(operation: FabricOperation, key: string | undefined, run: () => T): Promise<T> {
    this.calls.record(operation, key);
    return this.faults.intercept(operation, key, async () => {
      await delay(latencyOf(this.options.latency, 'api'));
      return run();
    });
  }

  private save(): void {
    this.stateFile?.save({ switches: [...this.switches.values()], ports: [...this.ports.values()], calls: this.calls.toJSON(), effects: this.effects.toJSON() });
  }
}

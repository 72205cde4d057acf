import type { FabricOperation, FabricPort, LogicalSwitchSpec, PortSpec } from '../../../src/adapters/ovs/fabric.port.js';
import { FaultInjector } from '../../../src/adapters/simulation/fault-injector.js';

/**
 * Puts the contract's injected faults (fail before, fail after taking effect, hang) in front of a real
 * adapter at the port boundary. What the real server does when the connection drops or the server
 * restarts is tested against the real server in test/integration/ovs.
 */
export class FaultInjectingFabric implements FabricPort {
  readonly faults = new FaultInjector<FabricOperation>();

  constructor(private readonly inner: FabricPort) {}

  ensureLogicalSwitch = (spec: LogicalSwitchSpec) => this.faults.intercept('ensureLogicalSwitch', spec.id, () => this.inner.ensureLogicalSwitch(spec));
  getLogicalSwitch = (id: string) => this.faults.intercept('getLogicalSwitch', id, () => this.inner.getLogicalSwitch(id));
  deleteLogicalSwitch = (id: string) => this.faults.intercept('deleteLogicalSwitch', id, () => this.inner.deleteLogicalSwitch(id));
  ensurePort = (spec: PortSpec) => this.faults.intercept('ensurePort', spec.portId, () => this.inner.ensurePort(spec));
  getPort = (portId: string) => this.faults.intercept('getPort', portId, () => this.inner.getPort(portId));
  deletePort = (portId: string) => this.faults.intercept('deletePort', portId, () => this.inner.deletePort(portId));
  setPortChassis = (portId: string, chassis: string | null) => this.faults.intercept('setPortChassis', portId, () => this.inner.setPortChassis(portId, chassis));
  beginPortMigration = (portId: string, target: string) => this.faults.intercept('beginPortMigration', portId, () => this.inner.beginPortMigration(portId, target));
  listPorts = (switchId?: string) => this.faults.intercept('listPorts', switchId, () => this.inner.listPorts(switchId));
}

import { DomainError } from '../shared/domain-error.js';
import { PowerState, type TaskState } from './nova-states.js';
import type { TaskStarted, VirtualMachineEvent } from './virtual-machine.events.js';
import { InstanceInvalidStateError } from './virtual-machine.errors.js';
import { currentTaskState, type VirtualMachine } from './virtual-machine.state.js';

/**
 * A NIC (a port) hot-plugged into a VM, as the VM's stream records it: enough for the saga's steps
 * (the fabric port's MAC and IPs, the cluster's interface) and for the server's `addresses`, without
 * reading the port's stream.
 */
export interface VmInterface {
  portId: string;
  networkId: string;
  /** The key of Nova's `addresses` (the network's name when attached). */
  networkName: string;
  macAddress: string;
  fixedIps: { subnetId: string; ipAddress: string; version: 4 | 6 }[];
  vnicType: string;
  /** Made by this attach (Nova's net_id): deleted when detached, or when the attach fails. */
  autoCreated: boolean;
}

/** Nova's PortNotFound on detach: "Port <id> is not attached". */
export class PortNotAttachedError extends DomainError {
  readonly kind = 'not_found';
  readonly code = 'PortNotAttached';
  constructor(readonly vmId: string, readonly portId: string) {
    super(`Port ${portId} is not attached`);
  }
}

/** Attaching a port the VM already has (Nova's PortInUse, 409). */
export class PortAlreadyAttachedError extends DomainError {
  readonly kind = 'conflict';
  readonly code = 'PortInUse';
  constructor(readonly vmId: string, readonly portId: string) {
    super(`Port ${portId} is still in use.`);
  }
}

/** vm_states Nova attaches and detaches interfaces in (we leave PAUSED out: KubeVirt plugs into a running or a stopped VM). */
const INTERFACE_VM_STATES = ['active', 'stopped'] as const;

/**
 * AttachNic: bind the port, make its fabric port on the VM's node, add the interface in the cluster,
 * wait until the running VM shows it, then the port is bound. A stopped VM gets the interface in its
 * template only (it shows at the next boot), so there is nothing to wait for.
 */
export function decideAttachInterface(vm: VirtualMachine, taskId: string, nic: VmInterface): VirtualMachineEvent[] {
  assertCanChangeInterfaces(vm, 'attach_interface');
  if (vm.interfaces.some((i) => i.portId === nic.portId)) throw new PortAlreadyAttachedError(vm.id, nic.portId);
  return [{ type: 'VMInterfaceAttachRequested', data: { vmId: vm.id, task: planAttachInterface(taskId, running(vm)), interface: nic } }];
}

/**
 * DetachNic: the interface leaves the cluster first (state absent; a running VM until its VMI no
 * longer lists it), and only then is the port unbound, its fabric port removed and the port free
 * again. A failure before the port is unbound leaves it bound to the VM, which still may have it.
 */
export function decideDetachInterface(vm: VirtualMachine, taskId: string, portId: string): VirtualMachineEvent[] {
  assertCanChangeInterfaces(vm, 'detach_interface');
  const nic = vm.interfaces.find((i) => i.portId === portId);
  if (!nic) throw new PortNotAttachedError(vm.id, portId);
  return [{ type: 'VMInterfaceDetachRequested', data: { vmId: vm.id, task: planDetachInterface(taskId, running(vm)), interface: nic } }];
}

export function planAttachInterface(taskId: string, running: boolean): TaskStarted {
  const state: TaskState = 'interface_attaching';
  const steps = ['bind-port', 'create-fabric-port', 'attach-nic', ...(running ? ['await-nic'] : []), 'confirm-port-binding'];
  return { taskId, action: 'attach_interface', steps, taskStates: steps.map(() => state) };
}

export function planDetachInterface(taskId: string, running: boolean): TaskStarted {
  const state: TaskState = 'interface_detaching';
  const steps = ['detach-nic', ...(running ? ['await-nic-gone'] : []), 'unbind-port', 'delete-fabric-port', 'confirm-port-unbinding'];
  return { taskId, action: 'detach_interface', steps, taskStates: steps.map(() => state) };
}

/** The interfaces after an attach or a detach finished. */
export function withInterface(interfaces: readonly VmInterface[], nic: VmInterface): VmInterface[] {
  return [...interfaces.filter((i) => i.portId !== nic.portId), nic];
}

export function withoutInterface(interfaces: readonly VmInterface[], portId: string): VmInterface[] {
  return interfaces.filter((i) => i.portId !== portId);
}

function running(vm: VirtualMachine): boolean {
  return vm.vmState === 'active' && vm.powerState === PowerState.RUNNING;
}

function assertCanChangeInterfaces(vm: VirtualMachine, method: string): void {
  if (!(INTERFACE_VM_STATES as readonly string[]).includes(vm.vmState)) throw new InstanceInvalidStateError(method, vm.id, 'vm_state', vm.vmState);
  if (vm.task) throw new InstanceInvalidStateError(method, vm.id, 'task_state', currentTaskState(vm));
}

/**
 * A server deleted with ports plugged releases them after its VM object is gone (Nova unbinds them,
 * and deletes those it made): the delete's plan gets a 'release-ports' step. A VM without ports
 * keeps the plain plan.
 */
export function withPortRelease(task: TaskStarted, vm: VirtualMachine): TaskStarted {
  if (vm.interfaces.length === 0 && !vm.nic) return task;
  return { ...task, steps: [...task.steps, 'release-ports'], taskStates: [...task.taskStates, 'deleting'] };
}

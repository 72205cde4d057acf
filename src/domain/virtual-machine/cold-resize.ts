import type { FlavorSnapshot } from '../flavor/flavor-snapshot.js';
import { planResize, planRevertResize } from './task-plans.js';
import { InstanceInvalidStateError, InvalidResizeError } from './virtual-machine.errors.js';
import type { VirtualMachineEvent } from './virtual-machine.events.js';
import { currentTaskState, type VirtualMachine } from './virtual-machine.state.js';
import { PowerState } from './nova-states.js';

/**
 * Nova's cold resize: an active or stopped VM gets another flavor by a restart (a stopped one just
 * gets the new size), then waits in VERIFY_RESIZE for confirmResize or revertResize.
 */
export function decideResize(vm: VirtualMachine, taskId: string, flavor: FlavorSnapshot): VirtualMachineEvent[] {
  if (vm.vmState !== 'active' && vm.vmState !== 'stopped') throw new InstanceInvalidStateError('resize', vm.id, 'vm_state', vm.vmState);
  if (vm.task) throw new InstanceInvalidStateError('resize', vm.id, 'task_state', currentTaskState(vm));
  if (flavor.id === vm.flavor.id) throw new InvalidResizeError('When resizing, instances must change flavor!');
  if (flavor.diskGb < vm.flavor.diskGb) throw new InvalidResizeError('Resize error: Unable to resize disk down.');
  return [
    {
      type: 'VMResizeRequested',
      data: { vmId: vm.id, task: planResize(taskId, vm.vmState === 'active'), oldFlavor: vm.flavor, newFlavor: flavor },
    },
  ];
}

export function decideConfirmResize(vm: VirtualMachine): VirtualMachineEvent[] {
  assertResized(vm, 'confirm_resize');
  return [{ type: 'VMResizeConfirmed', data: { vmId: vm.id, flavorId: vm.flavor.id } }];
}

export function decideRevertResize(vm: VirtualMachine, taskId: string): VirtualMachineEvent[] {
  assertResized(vm, 'revert_resize');
  return [{ type: 'VMResizeRevertRequested', data: { vmId: vm.id, task: planRevertResize(taskId, vm.powerState === PowerState.RUNNING) } }];
}

function assertResized(vm: VirtualMachine, method: string): void {
  if (vm.vmState !== 'resized' || !vm.resize) throw new InstanceInvalidStateError(method, vm.id, 'vm_state', vm.vmState);
  if (vm.task) throw new InstanceInvalidStateError(method, vm.id, 'task_state', currentTaskState(vm));
}

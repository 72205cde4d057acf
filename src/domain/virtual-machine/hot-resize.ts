import { planHotResize } from './task-plans.js';
import { HotResizeBeyondHeadroomError, HotResizeNoChangeError, HotResizeShrinkError, InstanceInvalidStateError, InvalidServerInputError } from './virtual-machine.errors.js';
import type { VirtualMachineEvent } from './virtual-machine.events.js';
import { currentTaskState, type VirtualMachine } from './virtual-machine.state.js';

/**
 * Hot resize in place: a running VM with no task, within the headroom it booted with (its flavor's
 * maxVcpus / maxRamMb became KubeVirt's maxSockets / maxGuest). Memory only grows: a balloon could
 * take it back, but the launcher pod's memory limit cannot shrink on most clusters. vCPUs only grow
 * too: the in-place strategy does not unplug them yet.
 */
export function decideHotResize(vm: VirtualMachine, taskId: string, wanted: { vcpus?: number; ramMb?: number }): VirtualMachineEvent[] {
  if (wanted.vcpus === undefined && wanted.ramMb === undefined) {
    throw new InvalidServerInputError('Invalid input for field/attribute os-hotResize. Give vcpus, ram or both.');
  }
  assertPositiveInteger('vcpus', wanted.vcpus);
  assertPositiveInteger('ram', wanted.ramMb);
  if (vm.vmState !== 'active') throw new InstanceInvalidStateError('hot_resize', vm.id, 'vm_state', vm.vmState);
  if (vm.task) throw new InstanceInvalidStateError('hot_resize', vm.id, 'task_state', currentTaskState(vm));

  const from = { vcpus: vm.flavor.vcpus, ramMb: vm.flavor.ramMb };
  const to = { vcpus: wanted.vcpus ?? from.vcpus, ramMb: wanted.ramMb ?? from.ramMb };
  if (to.ramMb < from.ramMb) throw new HotResizeShrinkError(vm.id, 'ram', from.ramMb, to.ramMb);
  if (to.vcpus < from.vcpus) throw new HotResizeShrinkError(vm.id, 'vcpus', from.vcpus, to.vcpus);
  if (to.vcpus > vm.flavor.maxVcpus) throw new HotResizeBeyondHeadroomError(vm.id, 'vcpus', to.vcpus, vm.flavor.maxVcpus);
  if (to.ramMb > vm.flavor.maxRamMb) throw new HotResizeBeyondHeadroomError(vm.id, 'ram', to.ramMb, vm.flavor.maxRamMb);
  if (to.vcpus === from.vcpus && to.ramMb === from.ramMb) throw new HotResizeNoChangeError(vm.id, from.vcpus, from.ramMb);

  const task = planHotResize(taskId, { vcpus: to.vcpus !== from.vcpus, memory: to.ramMb !== from.ramMb });
  return [{ type: 'VMHotResizeRequested', data: { vmId: vm.id, task, from, to } }];
}

function assertPositiveInteger(field: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidServerInputError(`Invalid input for field/attribute ${field}. Value must be a positive integer.`);
  }
}

import { migrationBlocker } from './live-migration.js';
import { planHotResize } from './task-plans.js';
import { HotResizeBeyondHeadroomError, HotResizeNoChangeError, HotResizeShrinkError, InstanceInvalidStateError, InvalidServerInputError } from './virtual-machine.errors.js';
import type { HotResizeStrategy, VirtualMachineEvent } from './virtual-machine.events.js';
import { currentTaskState, type VirtualMachine } from './virtual-machine.state.js';

/**
 * Hot resize: a running VM with no task, within the headroom it booted with (its flavor's
 * maxVcpus / maxRamMb became KubeVirt's maxSockets / maxGuest).
 *
 * The strategy is the cluster's, except that a VM that cannot migrate always goes in place:
 * KubeVirt's live update hot-plugs by migrating to a bigger pod, which such a VM cannot do.
 * Memory only grows: the guest cannot be trusted to give memory back and a launcher pod's memory
 * limit cannot shrink on most clusters, so shrinking it is a cold resize. vCPUs shrink in place
 * (libvirt unplugs them, then the pod shrinks), never under live update (KubeVirt: "Reduction of
 * CPU socket count requires a restart").
 */
export function decideHotResize(
  vm: VirtualMachine,
  taskId: string,
  wanted: { vcpus?: number; ramMb?: number },
  clusterStrategy: HotResizeStrategy,
): VirtualMachineEvent[] {
  if (wanted.vcpus === undefined && wanted.ramMb === undefined) {
    throw new InvalidServerInputError('Invalid input for field/attribute os-hotResize. Give vcpus, ram or both.');
  }
  assertPositiveInteger('vcpus', wanted.vcpus);
  assertPositiveInteger('ram', wanted.ramMb);
  if (vm.vmState !== 'active') throw new InstanceInvalidStateError('hot_resize', vm.id, 'vm_state', vm.vmState);
  if (vm.task) throw new InstanceInvalidStateError('hot_resize', vm.id, 'task_state', currentTaskState(vm));

  const strategy = hotResizeStrategyFor(vm, clusterStrategy);
  const from = { vcpus: vm.flavor.vcpus, ramMb: vm.flavor.ramMb };
  const to = { vcpus: wanted.vcpus ?? from.vcpus, ramMb: wanted.ramMb ?? from.ramMb };
  if (to.ramMb < from.ramMb) throw new HotResizeShrinkError(vm.id, 'ram', from.ramMb, to.ramMb);
  if (to.vcpus < from.vcpus && strategy === 'live-update') throw new HotResizeShrinkError(vm.id, 'vcpus', from.vcpus, to.vcpus);
  if (to.vcpus > vm.flavor.maxVcpus) throw new HotResizeBeyondHeadroomError(vm.id, 'vcpus', to.vcpus, vm.flavor.maxVcpus);
  if (to.ramMb > vm.flavor.maxRamMb) throw new HotResizeBeyondHeadroomError(vm.id, 'ram', to.ramMb, vm.flavor.maxRamMb);
  if (to.vcpus === from.vcpus && to.ramMb === from.ramMb) throw new HotResizeNoChangeError(vm.id, from.vcpus, from.ramMb);

  const task = planHotResize(taskId, strategy, from, to);
  return [{ type: 'VMHotResizeRequested', data: { vmId: vm.id, task, from, to, strategy } }];
}

/** The cluster's strategy, or in-place for a VM that cannot migrate. */
export function hotResizeStrategyFor(vm: VirtualMachine, clusterStrategy: HotResizeStrategy): HotResizeStrategy {
  return clusterStrategy === 'live-update' && migrationBlocker(vm) === null ? 'live-update' : 'in-place';
}

function assertPositiveInteger(field: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidServerInputError(`Invalid input for field/attribute ${field}. Value must be a positive integer.`);
  }
}

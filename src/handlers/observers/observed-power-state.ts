import type { VmObservation } from '../../adapters/kubernetes/cluster.port.js';
import type { ObservedPowerState } from '../../domain/virtual-machine/virtual-machine.events.js';

/**
 * What a cluster observation means for Nova's power state; null while the VM is between states
 * (starting, stopping, migrating...), when there is nothing settled to record.
 */
export function observedPowerState(vm: VmObservation | null): ObservedPowerState | null {
  if (!vm) return 'missing';
  if (vm.vmiPhase === 'Failed' || vm.printableStatus === 'CrashLoopBackOff') return 'crashed';
  if (vm.paused) return 'paused';
  if (vm.printableStatus === 'Running' && vm.vmiPhase === 'Running') return 'running';
  if (vm.printableStatus === 'Stopped') return 'stopped';
  return null;
}

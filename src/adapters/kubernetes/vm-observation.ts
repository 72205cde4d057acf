import type { PrintableStatus, VmCondition, VmObservation } from './cluster.port.js';
import { isFinal, type VmRecord } from './simulated-cluster-state.js';

/** The VM as the API would show it: printableStatus and conditions derived as KubeVirt does. */
export function observeVm(vm: VmRecord): VmObservation {
  const vmi = vm.vmi;
  return {
    ref: { ...vm.spec.ref },
    vmId: vm.spec.vmId,
    exists: true,
    uid: vm.uid,
    runStrategy: vm.runStrategy,
    labels: { ...vm.spec.labels },
    printableStatus: printableStatus(vm),
    vmiPhase: vmi?.phase ?? null,
    vmiUid: vmi?.uid ?? null,
    node: vmi?.node ?? null,
    paused: vmi?.paused ?? false,
    conditions: conditions(vm),
  };
}

function printableStatus(vm: VmRecord): PrintableStatus {
  const vmi = vm.vmi;
  if (vm.deleting) return 'Terminating';
  if (!vmi) return vm.runStrategy === 'Always' ? 'Starting' : 'Stopped';
  if (vm.runStrategy === 'Halted' || vm.restartOf === vmi.uid) return 'Stopping';
  if (isFinal(vmi.phase)) return 'Stopped';
  if (vmi.unschedulable) return 'ErrorUnschedulable';
  if (vmi.phase === 'Running') return vmi.paused ? 'Paused' : 'Running';
  return 'Starting';
}

function conditions(vm: VmRecord): VmCondition[] {
  const vmi = vm.vmi;
  const ready = vmi?.phase === 'Running' && !vmi.paused && !vm.deleting;
  const result: VmCondition[] = [
    ready ? { type: 'Ready', status: 'True' } : { type: 'Ready', status: 'False', reason: vmi ? (vmi.paused ? 'Paused' : 'NotReady') : 'VMINotExists' },
  ];
  if (vmi?.unschedulable) {
    result.push({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: vmi.unschedulable });
  } else if (vmi?.node) {
    result.push({ type: 'PodScheduled', status: 'True' });
  }
  if (vmi?.paused) {
    result.push({ type: 'Paused', status: 'True', reason: 'PausedByUser', message: 'VMI was paused by user' });
  }
  return result;
}

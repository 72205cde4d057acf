import { compensationFor, planLiveMigration } from './task-plans.js';
import {
  InstanceInvalidStateError,
  InvalidMigrationStateError,
  MigrationPreCheckError,
  MigrationToSameHostError,
} from './virtual-machine.errors.js';
import type { MigrationMemory, VirtualMachineEvent } from './virtual-machine.events.js';
import { currentTaskState, pendingStep, type VirtualMachine } from './virtual-machine.state.js';

/** Flavor extra specs that tie a VM to its host's hardware (Nova's PCI passthrough and vGPU). */
const HOST_BOUND_SPECS = ['pci_passthrough:alias', 'resources:VGPU', 'resources:PGPU'];

/**
 * Why the VM cannot live-migrate, from what its history knows (host devices and GPUs), or null.
 * Its disks cannot block it: every persistent disk this service makes is ReadWriteMany, and
 * container and cloud-init disks are copied (KubeVirt's block migration).
 */
export function migrationBlocker(vm: VirtualMachine): string | null {
  const bound = HOST_BOUND_SPECS.find((key) => vm.flavor.extraSpecs[key] !== undefined);
  return bound ? `it uses host devices (${bound}=${vm.flavor.extraSpecs[bound]})` : null;
}

/**
 * Live migration: a running VM with no task; the target (if named) is not where it runs. Whether
 * the target exists and has room is the API's check against the cluster's nodes; the domain refuses
 * what it can know from its own history: host devices and GPUs do not move.
 */
export function decideLiveMigrate(vm: VirtualMachine, taskId: string, targetHost: string | null): VirtualMachineEvent[] {
  if (vm.vmState !== 'active') throw new InstanceInvalidStateError('live_migrate', vm.id, 'vm_state', vm.vmState);
  if (vm.task) throw new InstanceInvalidStateError('live_migrate', vm.id, 'task_state', currentTaskState(vm));
  const blocker = migrationBlocker(vm);
  if (blocker) throw new MigrationPreCheckError(`Migration pre-check error: instance ${vm.id} cannot be live-migrated: ${blocker}.`);
  if (targetHost !== null && targetHost === vm.host) throw new MigrationToSameHostError(vm.id, targetHost);
  return [
    {
      type: 'VMLiveMigrationRequested',
      data: { vmId: vm.id, task: planLiveMigration(taskId), sourceHost: vm.host, targetHost },
    },
  ];
}

/**
 * Nova's live_migration_abort: undo what the migration started (delete the migration, which is
 * KubeVirt's abort). Asking again while the abort runs changes nothing; a migration that ended
 * cannot be aborted.
 */
export function decideAbortLiveMigration(vm: VirtualMachine, taskId: string): VirtualMachineEvent[] {
  const task = vm.task;
  if (!task || task.taskId !== taskId || task.action !== 'live-migration') {
    throw new InvalidMigrationStateError(vm.id, taskId, vm.endedTaskIds.includes(taskId) ? 'completed' : 'unknown');
  }
  if (task.compensation) return [];
  const step = pendingStep(task)!;
  const error = { code: 'MigrationCancelled', message: `The live migration of instance ${vm.id} was cancelled on request.` };
  return [
    { type: 'VMLiveMigrationAbortRequested', data: { vmId: vm.id, taskId } },
    {
      type: 'TaskCompensationStarted',
      data: { vmId: vm.id, taskId, failedStepId: step, error, undoSteps: compensationFor(task.done, step) },
    },
  ];
}

/**
 * Progress of the running migration, recorded when it moved forward: a report for a task that
 * ended, one being aborted, or one that repeats or goes back (a redelivery, a late poll) is dropped.
 * The memory figures, when the hypervisor gave them, go with it; figures that are not whole
 * non-negative byte counts are left out rather than recorded wrong.
 */
export function decideMigrationProgress(vm: VirtualMachine, taskId: string, percent: number, memory?: MigrationMemory): VirtualMachineEvent[] {
  const m = vm.migration;
  if (!m || m.taskId !== taskId || vm.task?.compensation) return [];
  const p = Math.max(0, Math.min(100, Math.floor(percent)));
  if (!Number.isFinite(percent) || (m.progressPercent !== null && p <= m.progressPercent)) return [];
  const bytes = memory ? [memory.totalBytes, memory.processedBytes, memory.remainingBytes] : [];
  const valid = memory !== undefined && bytes.every((b) => Number.isSafeInteger(b) && b >= 0);
  const figures = valid ? { memory: { totalBytes: memory.totalBytes, processedBytes: memory.processedBytes, remainingBytes: memory.remainingBytes } } : {};
  return [{ type: 'VMLiveMigrationProgressed', data: { vmId: vm.id, taskId, percent: p, ...figures } }];
}

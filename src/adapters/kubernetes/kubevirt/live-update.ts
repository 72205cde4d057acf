import type { MigrationObservation, VmRef } from '../cluster.port.js';
import type { LiveUpdateObservation } from '../live-update-cluster.port.js';
import type { CustomObject, KubeApi } from './kube-api.js';
import { observeMigration } from './kubevirt-observations.js';
import { quantityMiB } from './quantities.js';

type Json = Record<string, unknown>;
type RawCondition = { type?: string; status?: string; message?: string; reason?: string; lastTransitionTime?: string };

const conditions = (o: CustomObject | null): RawCondition[] => (((o?.status as Json | undefined)?.conditions ?? []) as RawCondition[]);
const condition = (o: CustomObject | null, type: string) => conditions(o).find((c) => c.type === type);

/**
 * The VMI's migrationState is this migration's only while no other one replaced it; the VMIM's own
 * status.migrationState (KubeVirt keeps one there too) still says how it ended, reason included. The
 * two are separate objects written one after the other, so a read may catch the VMI's copy before
 * it has the reason: the VMIM's reason fills that gap.
 */
function withOwnState(observed: MigrationObservation, migration: CustomObject): MigrationObservation {
  const own = (migration.status as Json | undefined)?.migrationState as Json | undefined;
  if (!own) return observed;
  if (observed.migrationState) {
    if (observed.migrationState.failureReason !== undefined || typeof own.failureReason !== 'string') return observed;
    return { ...observed, migrationState: { ...observed.migrationState, failed: observed.migrationState.failed || own.failed === true, failureReason: own.failureReason } };
  }
  return {
    ...observed,
    migrationState: {
      completed: own.completed === true,
      failed: own.failed === true,
      abortRequested: own.abortRequested === true,
      ...(typeof own.failureReason === 'string' ? { failureReason: own.failureReason } : {}),
      ...(typeof own.targetNode === 'string' ? { targetNode: own.targetNode } : {}),
      ...(typeof own.sourceNode === 'string' ? { sourceNode: own.sourceNode } : {}),
    },
  };
}

/**
 * Reads the VM, its VMI and the VMI's migrations into a LiveUpdateObservation. The migration that
 * carries the change is the newest one made no earlier than the HotVCPUChange / HotMemoryChange
 * condition appeared (both are in whole seconds, so an equal time counts as after).
 *
 * Read right after a template write, the VM's RestartRequired, the VMI's HotMemoryChange=False and
 * the migration those conditions lead to may still be virt-controller's answer to the template
 * before (a RestartRequired an undo is about to clear, the failed hotplug of an earlier request).
 * virt-controller writes status.desiredGeneration = metadata.generation with every status it
 * computes while a VMI exists, so a desiredGeneration behind the generation says so: no verdict yet.
 */
export async function getLiveUpdate(api: KubeApi, ref: VmRef): Promise<LiveUpdateObservation | null> {
  const vm = await api.getCustom('virtualmachines', ref.namespace, ref.name);
  const vmi = await api.getCustom('virtualmachineinstances', ref.namespace, ref.name);
  if (!vm || !vmi || (vmi.status as Json | undefined)?.phase !== 'Running') return null;
  const cpuChange = condition(vmi, 'HotVCPUChange');
  const memoryChange = condition(vmi, 'HotMemoryChange');
  const restart = condition(vm, 'RestartRequired');
  const migratable = condition(vmi, 'LiveMigratable');
  const awaitingController = !controllerSynced(vm);
  const since = [cpuChange, memoryChange]
    .filter((c) => c?.status === 'True' && c.lastTransitionTime)
    .map((c) => Date.parse(c!.lastTransitionTime!))
    .sort((a, b) => a - b)[0];
  let migration: LiveUpdateObservation['migration'] = null;
  if (since !== undefined && !awaitingController) {
    const { items } = await api.listCustom('virtualmachineinstancemigrations', ref.namespace);
    const newest = items
      .filter((m) => (m.spec as Json | undefined)?.vmiName === ref.name && Date.parse(String(m.metadata.creationTimestamp ?? '')) >= since)
      .sort((a, b) => Date.parse(String(b.metadata.creationTimestamp ?? '')) - Date.parse(String(a.metadata.creationTimestamp ?? '')) || (b.metadata.name < a.metadata.name ? -1 : 1))[0];
    migration = newest ? withOwnState(observeMigration(newest, vmi), newest) : null;
  }
  const status = (vmi.status ?? {}) as Json;
  const topology = status.currentCPUTopology as { sockets?: number; cores?: number; threads?: number } | undefined;
  const memory = status.memory as { guestCurrent?: string } | undefined;
  return {
    awaitingController,
    restartRequired: restart?.status === 'True' && !awaitingController ? (restart.message ?? 'RestartRequired') : null,
    pending: { vcpus: cpuChange?.status === 'True', memory: memoryChange?.status === 'True' },
    memoryFailed: memoryChange?.status === 'False' && !awaitingController ? (memoryChange.message ?? memoryChange.reason ?? 'memory hotplug failed') : null,
    notMigratable: migratable?.status === 'False' ? `${migratable.reason ?? 'NotMigratable'}: ${migratable.message ?? ''}` : null,
    running: {
      vcpus: topology ? (topology.sockets ?? 1) * (topology.cores ?? 1) * (topology.threads ?? 1) : null,
      memoryMiB: memory?.guestCurrent !== undefined ? quantityMiB(memory.guestCurrent) : null,
    },
    node: typeof status.nodeName === 'string' ? status.nodeName : null,
    migration,
  };
}

/** Whether virt-controller's status is for the VM's current spec (a cluster that reports no generations counts as yes). */
function controllerSynced(vm: CustomObject): boolean {
  const generation = vm.metadata.generation;
  const desired = (vm.status as Json | undefined)?.desiredGeneration;
  return typeof generation !== 'number' || typeof desired !== 'number' || desired >= generation;
}

import type { MigrationObservation, VmRef } from './cluster.port.js';
import type { VmSizeClusterPort } from './vm-size-cluster.port.js';

/**
 * How far KubeVirt's live update of a running VM's size has got (kubevirt-api.md §5): the VM's
 * RestartRequired, the VMI's HotVCPUChange / HotMemoryChange, the size the VMI runs with, and the
 * migration KubeVirt started for the change.
 */
export interface LiveUpdateObservation {
  /**
   * virt-controller has not synced the VM's latest template yet (status.desiredGeneration behind
   * metadata.generation): its verdicts are about the template before, so restartRequired,
   * memoryFailed and migration are null until it has.
   */
  awaitingController: boolean;
  /** RestartRequired=True on the VM: the change cannot be applied live (its message says why). */
  restartRequired: string | null;
  /** HotVCPUChange / HotMemoryChange still True on the VMI. */
  pending: { vcpus: boolean; memory: boolean };
  /** HotMemoryChange=False: the memory hotplug failed (its message). */
  memoryFailed: string | null;
  /** The VMI's LiveMigratable condition: False with the reason KubeVirt gives. */
  notMigratable: string | null;
  /** What the VMI runs with: currentCPUTopology's vCPUs and status.memory.guestCurrent; null while unknown. */
  running: { vcpus: number | null; memoryMiB: number | null };
  node: string | null;
  /** The newest migration of the VMI made since the pending change was asked (none once it is done). */
  migration: MigrationObservation | null;
}

/**
 * The cluster side of the live-update hot resize. `updateVmTemplateSize` writes the template's
 * sockets and guest memory of a running VM (the maxima stay: changing them live is RestartRequired),
 * idempotent and guarded by the resourceVersion; 'VmNotFound' for an absent VM. `getLiveUpdate` is
 * null when the VM has no running VMI.
 */
export interface LiveUpdateClusterPort extends VmSizeClusterPort {
  updateVmTemplateSize(ref: VmRef, size: { vcpus: number; memoryMiB: number }): Promise<void>;
  getLiveUpdate(ref: VmRef): Promise<LiveUpdateObservation | null>;
}

export function supportsLiveUpdate(cluster: object): cluster is LiveUpdateClusterPort {
  const c = cluster as Record<string, unknown>;
  return typeof c.updateVmTemplateSize === 'function' && typeof c.getLiveUpdate === 'function';
}

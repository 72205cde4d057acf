import type { LiveChangeClusterPort, MigrationObservation, VmRef } from './cluster.port.js';

/**
 * What the hot resize, cold resize and live migration sagas need of the cluster beyond
 * LiveChangeClusterPort. Not implemented by an adapter yet (see the steps that use it).
 *
 * Contract, in addition to LiveChangeClusterPort's:
 * - `setVmSize` writes the VM template's CPU sockets / maxSockets and guest memory / maxGuest (what
 *   the next boot gets), guarded by the VM's resourceVersion and retried on a conflict; idempotent.
 *   On a cluster running vmRolloutStrategy Stage a running VMI is left alone (no KubeVirt migration,
 *   no RestartRequired), which is what the in-place hot resize needs. 'VmNotFound' for an absent VM.
 * - `startMigration` with `targetNode` narrows the migration to that node (the VMIM's
 *   addedNodeSelector kubernetes.io/hostname); without it KubeVirt's scheduler chooses.
 */
export interface VmSizeClusterPort extends LiveChangeClusterPort {
  setVmSize(ref: VmRef, size: VmTemplateSize): Promise<void>;
  startMigration(ref: VmRef, options: { name: string; targetNode?: string }): Promise<MigrationObservation>;
}

export interface VmTemplateSize {
  vcpus: number;
  maxVcpus: number;
  memoryMiB: number;
  maxMemoryMiB: number;
}

const OPERATIONS = ['setVmSize', 'resizeLauncherPod', 'getPodResize', 'startMigration', 'getMigration', 'abortMigration', 'getVmi'] as const;

/** Whether a cluster adapter can run the live-change steps (the KubeVirt adapter can; a bare ClusterPort test double cannot). */
export function supportsLiveChanges(cluster: object): cluster is VmSizeClusterPort {
  return OPERATIONS.every((op) => typeof (cluster as Record<string, unknown>)[op] === 'function');
}

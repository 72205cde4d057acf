import type { LiveChangeClusterPort, MigrationObservation, VmRef } from './cluster.port.js';

/**
 * What the hot resize, cold resize and live migration sagas need of the cluster beyond
 * LiveChangeClusterPort; the KubeVirt adapter implements it.
 *
 * Contract, in addition to LiveChangeClusterPort's:
 * - `setVmSize` records what the next boot gets (CPU sockets / maxSockets, guest memory / maxGuest),
 *   guarded by the VM's resourceVersion and retried on a conflict; idempotent. A running VMI is left
 *   alone: the cluster runs vmRolloutStrategy LiveUpdate (NIC hotplug needs it), under which a template
 *   size edit would start KubeVirt's own migration-based hotplug, so while a VMI runs the size waits
 *   beside the template and goes into it when the adapter next starts or restarts the VM (the KubeVirt
 *   adapter: kubevirt/vm-size.ts). That is what the in-place hot resize needs. 'VmNotFound' for an absent VM.
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

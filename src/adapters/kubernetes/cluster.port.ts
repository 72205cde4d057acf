/**
 * The cluster port: Kubernetes with KubeVirt as the sagas see it.
 *
 * Contract:
 * - Every mutation is idempotent ("ensure"), because a job worker retries after a timeout without
 *   knowing whether the first call took effect. `ensureVm` creates the VirtualMachine when absent
 *   and returns the existing one when it carries the same vmId label (it never updates it);
 *   `deleteVm` of an absent VM is done; starting a running VM, stopping a stopped one, pausing a
 *   paused one, unpausing a running one are done.
 * - Actions are asynchronous as in KubeVirt: a resolved `startVm` means "asked", not "running".
 *   Follow progress with `getVm` or `watchVms`; there is no wait in the port.
 * - Failures are AdapterErrors: TransientAdapterError (connection, timeout, 5xx, a conflict that
 *   persists after re-reading) is retried; PermanentAdapterError fails the step. Codes used here:
 *   'AlreadyExists' (the name is taken by another VM), 'VmNotFound' (an action on an absent VM),
 *   'VmNotRunning' (pause/unpause/restart with no live VMI, KubeVirt's 409), 'VmNotRunningYet'
 *   (transient: the VMI exists but is not Running yet), 'Invalid' (422).
 * - Scheduling failures are not errors: the VM shows printableStatus 'ErrorUnschedulable' and the
 *   condition PodScheduled=False reason Unschedulable, and starts once a node has room.
 */
export interface ClusterPort {
  ensureVm(spec: VmSpec): Promise<VmObservation>;
  getVm(ref: VmRef): Promise<VmObservation | null>;
  /** Starts deletion (printableStatus 'Terminating'); a DELETED change follows. Absent is fine. */
  deleteVm(ref: VmRef): Promise<void>;
  /** runStrategy Always. */
  startVm(ref: VmRef): Promise<void>;
  /** runStrategy Halted; the VMI goes away (printableStatus 'Stopping' then 'Stopped'). */
  stopVm(ref: VmRef): Promise<void>;
  /**
   * Replaces the running VMI with a new one (a new vmiUid). Not idempotent by itself: pass the
   * vmiUid seen before the first attempt, and a retry after that VMI is gone is done.
   */
  restartVm(ref: VmRef, options?: { vmiUid?: string }): Promise<void>;
  pauseVm(ref: VmRef): Promise<void>;
  unpauseVm(ref: VmRef): Promise<void>;
  /** Every namespace when none is given. */
  listVms(namespace?: string): Promise<VmObservation[]>;
  /**
   * Like an informer: first an ADDED for each VM that exists, then every change, including the
   * ones nobody here asked for (a guest that died, a VM stopped with virtctl).
   */
  watchVms(listener: (change: VmChange) => void): { stop(): void };
  listNodes(): Promise<NodeInfo[]>;
}

/** Operation names for fault injection and call counts. */
export type ClusterOperation = Exclude<keyof ClusterPort, 'watchVms'>;

export interface VmRef {
  namespace: string;
  name: string;
}

export type RunStrategy = 'Always' | 'Halted';

export interface VmSpec {
  ref: VmRef;
  /** Our id for the VM, kept as the label VM_ID_LABEL; it is what makes ensureVm idempotent. */
  vmId: string;
  projectId: string;
  /** One core, one thread per socket: sockets are the vCPU count, maxSockets the hotplug headroom. */
  cpu: { sockets: number; maxSockets: number };
  memory: { guestMiB: number; maxGuestMiB: number };
  /** Container disk reference, e.g. docker://quay.io/containerdisks/fedora:41. */
  image: string;
  userData: string | null;
  runStrategy: RunStrategy;
  labels: Record<string, string>;
}

export const VM_ID_LABEL = 'virtplane.io/vm-id';
export const PROJECT_ID_LABEL = 'virtplane.io/project-id';

/** VirtualMachine status.printableStatus, as KubeVirt spells it. */
export type PrintableStatus =
  | 'Stopped'
  | 'Provisioning'
  | 'Starting'
  | 'Running'
  | 'Paused'
  | 'Stopping'
  | 'Terminating'
  | 'Migrating'
  | 'Unknown'
  | 'WaitingForVolumeBinding'
  | 'ErrorUnschedulable'
  | 'ErrImagePull'
  | 'ImagePullBackOff'
  | 'ErrorPvcNotFound'
  | 'DataVolumeError'
  | 'CrashLoopBackOff';

/** VirtualMachineInstance status.phase. */
export type VmiPhase = 'Pending' | 'Scheduling' | 'Scheduled' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface VmCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface VmObservation {
  ref: VmRef;
  vmId: string;
  exists: true;
  /** metadata.uid of the VirtualMachine: one per created object, so a second create shows. */
  uid: string;
  runStrategy: RunStrategy;
  labels: Record<string, string>;
  printableStatus: PrintableStatus;
  /** null when there is no VMI (stopped). */
  vmiPhase: VmiPhase | null;
  /** The VMI's uid; a restart replaces it. */
  vmiUid: string | null;
  node: string | null;
  paused: boolean;
  /** VM and VMI conditions: Ready, Paused (PausedByUser), PodScheduled (Unschedulable), ... */
  conditions: VmCondition[];
}

export interface VmChange {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** For DELETED, the last observation before the object went away. */
  vm: VmObservation;
}

export interface NodeInfo {
  name: string;
  cpu: { capacity: number; allocated: number };
  memoryMiB: { capacity: number; allocated: number };
  ready: boolean;
}

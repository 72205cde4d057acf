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
  /**
   * A persistent root disk of this size (GiB): the image is imported by CDI into a DataVolume
   * (ReadWriteMany, so the VM stays live-migratable). Without it a docker:// image boots as an
   * ephemeral containerDisk; an oci-archive:// image always needs it.
   */
  rootDiskGiB?: number;
  /** Fixed IP/MAC on the pod network (Kube-OVN). */
  podNetwork?: PodNetworkSpec;
  /** Secondary NICs at boot (Multus). */
  nics?: NicSpec[];
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

/**
 * What the live-change sagas (hot resize, NIC hotplug, live migration) need of the cluster on top of
 * ClusterPort. The KubeVirt adapter implements it; a ClusterPort without it (a test double) cannot run those sagas.
 *
 * Contract, in addition to ClusterPort's:
 * - `resizeLauncherPod` asks the kubelet for new compute-container resources through the pod's
 *   `resize` subresource: the requests become the given vCPUs and MiB (the caller adds KubeVirt's
 *   memory overhead), and so do the limits the container already has (never new ones: the pod's
 *   QoS class cannot change). Guarded by the pod's resourceVersion, retried on a conflict;
 *   idempotent (asking for the size already asked is done); an invalid size is 'Invalid'. It
 *   resolves with the pod's resize state right after the request. It never waits for the kubelet: follow `getPodResize`. A
 *   state of 'Infeasible' (can never fit on the node) is final; 'Deferred' may still change once
 *   room appears; the caller decides how long to wait. 'VmNotRunning' when there is no launcher pod.
 * - `getPodResize` reads that state: 'Done' once the container's applied resources equal the
 *   spec and neither PodResizePending nor PodResizeInProgress is present; null with no launcher pod.
 * - `attachNic` adds the interface (bridge binding) and its Multus network to the VM template;
 *   `detachNic` marks the interface `state: absent` (KubeVirt's unplug) and keeps the network.
 *   Both are idempotent (already attached, already absent or gone: done), guarded by the VM's
 *   resourceVersion and retried on a conflict. The NIC is in the guest once its
 *   `getVmi(...).interfaces` entry is `inDomain`, and out of it once the entry is gone or no longer
 *   `inDomain`. 'VmNotFound' for an absent VM.
 * - `startMigration` creates a VirtualMachineInstanceMigration named `name` for the VM's VMI
 *   (idempotent by that name: an existing one for the same VMI is returned); 'VmNotRunning' with
 *   no running VMI, 'MigrationRefused' when KubeVirt's webhook refuses it (not migratable, one
 *   already running). `getMigration` follows it (null once gone); `abortMigration` deletes it,
 *   which asks KubeVirt to abort a running migration (absent: done).
 * - `getVmi` reads the VMI: phase, conditions, interfaces, migration state, CPU topology and
 *   memory; null when there is none (stopped).
 */
export interface LiveChangeClusterPort extends ClusterPort {
  resizeLauncherPod(ref: VmRef, resources: { vcpus: number; memoryMiB: number }): Promise<PodResizeObservation>;
  getPodResize(ref: VmRef): Promise<PodResizeObservation | null>;
  attachNic(ref: VmRef, nic: NicSpec): Promise<void>;
  detachNic(ref: VmRef, nicName: string): Promise<void>;
  startMigration(ref: VmRef, options: { name: string }): Promise<MigrationObservation>;
  getMigration(ref: MigrationRef): Promise<MigrationObservation | null>;
  abortMigration(ref: MigrationRef): Promise<void>;
  getVmi(ref: VmRef): Promise<VmiObservation | null>;
}

/** A secondary NIC: a Multus network (a NetworkAttachmentDefinition) with bridge binding. */
export interface NicSpec {
  /** The interface and network name in the VM spec (a DNS-1123 label). */
  name: string;
  /**
   * The network's NetworkAttachmentDefinition, in the port's namespaces (the adapter maps them onto
   * the cluster's, as for VMs); its Kube-OVN provider follows from where it is in the cluster.
   */
  network: NetworkAttachmentRef;
  /** The guest MAC; KubeVirt forwards it as the Multus `mac` request. */
  macAddress?: string;
  /**
   * Fixed IP through Kube-OVN ("v4,v6" when dual stack): the template (and, on hotplug, the live
   * launcher pod) annotation `<provider>.kubernetes.io/ip_address`.
   */
  ipAddress?: string;
}

/** The pod network's fixed address (Kube-OVN's `ovn.kubernetes.io/*` annotations on the template). */
export interface PodNetworkSpec {
  logicalSwitch?: string;
  ipAddress?: string;
  macAddress?: string;
}

export type PodResizeState = 'Done' | 'Pending' | 'Deferred' | 'Infeasible' | 'InProgress' | 'Error';

export interface PodResizeObservation {
  pod: string;
  state: PodResizeState;
  /** The condition's reason/message (why Deferred, Infeasible or Error). */
  message?: string;
  desired: { vcpus: number; memoryMiB: number } | null;
  applied: { vcpus: number; memoryMiB: number } | null;
}

export interface MigrationRef {
  namespace: string;
  name: string;
}

/** VirtualMachineInstanceMigration status.phase. */
export type MigrationPhase =
  | 'Pending'
  | 'Scheduling'
  | 'Scheduled'
  | 'PreparingTarget'
  | 'TargetReady'
  | 'Running'
  | 'Succeeded'
  | 'Failed'
  | 'Unknown';

export interface MigrationState {
  sourceNode?: string;
  targetNode?: string;
  completed: boolean;
  failed: boolean;
  failureReason?: string;
  abortRequested: boolean;
  abortStatus?: string;
  mode?: string;
  startTimestamp?: string;
  endTimestamp?: string;
}

export interface MigrationObservation {
  ref: MigrationRef;
  vmiName: string;
  uid: string;
  phase: MigrationPhase;
  /** The VMI's status.migrationState while it belongs to this migration. */
  migrationState: MigrationState | null;
  /** Deletion asked (abort in progress). */
  deleting: boolean;
}

export interface VmiInterface {
  name: string;
  ipAddress?: string;
  ipAddresses: string[];
  mac?: string;
  podInterfaceName?: string;
  infoSource?: string;
  /**
   * The interface is in the guest: its infoSource lists `domain`. An entry listed from
   * `multus-status` alone is attached to the launcher pod but not (yet, or any more) to the domain:
   * a hotplug still under way, or an unplug that has left the guest.
   */
  inDomain: boolean;
}

export interface VmiObservation {
  ref: VmRef;
  uid: string;
  phase: VmiPhase;
  node: string | null;
  conditions: VmCondition[];
  interfaces: VmiInterface[];
  migrationState: (MigrationState & { migrationUid?: string }) | null;
  /** status.currentCPUTopology. */
  cpu: { sockets: number; cores: number; threads: number } | null;
  /** status.memory, in MiB. */
  memoryMiB: { guestAtBoot: number | null; guestRequested: number | null; guestCurrent: number | null } | null;
}

/**
 * What a Neutron network needs in the cluster for NICs on it (kubevirt-api.md §1, §7): a Multus
 * NetworkAttachmentDefinition of type kube-ovn, provider `<nad>.<namespace>.ovn`, and the cluster-scoped
 * Kube-OVN Subnet with that provider holding the network's CIDRs (IPv4, IPv6 or both), gateways and
 * excluded addresses. Only the KubeVirt adapter implements it.
 *
 * Contract: both calls are idempotent. `ensureNetworkAttachment` creates what is missing and replaces
 * what differs from the spec (a subnet added later widens the Kube-OVN Subnet to dual stack); a spec
 * without subnets removes the Kube-OVN Subnet and keeps the NAD. `deleteNetworkAttachment` removes
 * both (absent: done). Objects not labelled as ours are never replaced or deleted ('AlreadyExists').
 */
export interface NetworkAttachmentClusterPort {
  ensureNetworkAttachment(spec: NetworkAttachmentSpec): Promise<void>;
  deleteNetworkAttachment(ref: NetworkAttachmentRef): Promise<void>;
}

/** The NAD's namespace and name; the Kube-OVN Subnet (cluster-scoped) has the same name. */
export interface NetworkAttachmentRef {
  namespace: string;
  name: string;
}

export interface NetworkAttachmentSpec {
  ref: NetworkAttachmentRef;
  /** Our network id, kept as a label on both objects. */
  networkId: string;
  /** One entry per IP family (Neutron subnet); none: no Kube-OVN Subnet yet. */
  subnets: { cidr: string; gatewayIp: string | null; excludeIps: string[] }[];
}

/** Whether a cluster adapter can make networks' attachments (the KubeVirt adapter can). */
export function supportsNetworkAttachments(cluster: object): cluster is NetworkAttachmentClusterPort {
  const c = cluster as Record<string, unknown>;
  return typeof c.ensureNetworkAttachment === 'function' && typeof c.deleteNetworkAttachment === 'function';
}

/** The Kube-OVN provider of a NAD of type kube-ovn (kubevirt-api.md §1, "Kube-OVN annotations, precisely"). */
export const kubeOvnProvider = (ref: NetworkAttachmentRef): string => `${ref.name}.${ref.namespace}.ovn`;

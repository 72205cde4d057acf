import type { FlavorSnapshot } from '../flavor/flavor-snapshot.js';
import type { VmInterface } from './interface-attachment.js';
import type { InstanceActionName, LockedBy, PowerState, RebootType, TaskState, VmState } from './nova-states.js';

/** The task a command starts: Nova's task_state plus the steps a saga must report before it ends. */
export interface TaskStarted {
  taskId: string;
  action: InstanceActionName;
  /** Step ids in the order the saga runs them. */
  steps: string[];
  /** task_state while each step (same index) is pending. */
  taskStates: TaskState[];
}

/**
 * How a hot resize reaches the guest: 'in-place' grows the launcher pod (pods/resize) and hot-adds
 * through libvirt; 'live-update' edits the VM template and KubeVirt migrates to a bigger pod.
 */
export type HotResizeStrategy = 'in-place' | 'live-update';

/** A VM's size: what a hot resize changes, within the headroom its flavor gave it at boot. */
export interface VmSize {
  vcpus: number;
  ramMb: number;
}

/** A live migration's memory as the source's hypervisor counts it, in bytes (processed counts pages sent again). */
export interface MigrationMemory {
  totalBytes: number;
  processedBytes: number;
  remainingBytes: number;
}

export interface StepError {
  /** Machine-readable reason (adapter error code, 'TIMEOUT', ...). */
  code: string;
  message: string;
  /** Extra detail for operators (Nova's fault "details"); never secrets. */
  details?: string;
}

export type VirtualMachineEvent =
  | {
      type: 'VMCreated';
      data: {
        vmId: string;
        name: string;
        projectId: string;
        userId: string;
        flavor: FlavorSnapshot;
        imageRef: string;
        /**
         * The disk the VM boots from, snapshotted at create as the flavor is (the image may be deleted
         * later). Absent in events written before it existed: imageRef was the reference itself then.
         */
        imageSource?: string;
        keyName: string | null;
        metadata: Record<string, string>;
        availabilityZone: string | null;
        /** user data is a secret: only its SHA-256 is kept. */
        userDataSha256: string | null;
        /** The ports it boots with (absent in events before boot networks, and when it has none). */
        interfaces?: VmInterface[];
        createdAt: string;
        task: TaskStarted;
      };
    }
  | { type: 'VMStartRequested'; data: { vmId: string; task: TaskStarted } }
  | { type: 'VMStopRequested'; data: { vmId: string; task: TaskStarted } }
  | { type: 'VMRebootRequested'; data: { vmId: string; rebootType: RebootType; task: TaskStarted } }
  | { type: 'VMPauseRequested'; data: { vmId: string; task: TaskStarted } }
  | { type: 'VMUnpauseRequested'; data: { vmId: string; task: TaskStarted } }
  | {
      type: 'VMDeleteRequested';
      /** Delete is allowed while another task runs (as in Nova); that task is then abandoned. */
      data: { vmId: string; task: TaskStarted; supersededTaskId: string | null };
    }
  /** Hot resize: from is the size when asked, to the size wanted (one or both differ); `strategy` absent (events before it existed): in-place. */
  | { type: 'VMHotResizeRequested'; data: { vmId: string; task: TaskStarted; from: VmSize; to: VmSize; strategy?: HotResizeStrategy } }
  /** targetHost null: the scheduler (KubeVirt) chooses. sourceHost is where the VM ran when asked. */
  | { type: 'VMLiveMigrationRequested'; data: { vmId: string; task: TaskStarted; sourceHost: string | null; targetHost: string | null } }
  /** Nova's live_migration_abort: the migration is cancelled, the VM stays on its source (compensation follows). */
  | { type: 'VMLiveMigrationAbortRequested'; data: { vmId: string; taskId: string } }
  /**
   * Percent of the guest's memory copied so far (Nova's migration progress); only ever grows.
   * `memory`: libvirt's figures behind it (Nova's memory_*_bytes); absent in events before it existed.
   */
  | { type: 'VMLiveMigrationProgressed'; data: { vmId: string; taskId: string; percent: number; memory?: MigrationMemory } }
  /** Nova's cold resize: the flavor changes once the VM runs (or would run) with it, pending confirmation. */
  | { type: 'VMResizeRequested'; data: { vmId: string; task: TaskStarted; oldFlavor: FlavorSnapshot; newFlavor: FlavorSnapshot } }
  | { type: 'VMResizeRevertRequested'; data: { vmId: string; task: TaskStarted } }
  /** Nova's os-interface attach (AttachNic) and detach (DetachNic): the port the task plugs or unplugs. */
  | { type: 'VMInterfaceAttachRequested'; data: { vmId: string; task: TaskStarted; interface: VmInterface } }
  | { type: 'VMInterfaceDetachRequested'; data: { vmId: string; task: TaskStarted; interface: VmInterface } }
  /** confirmResize: the new flavor stays; there is nothing to clean up in the cluster, so no task. */
  | { type: 'VMResizeConfirmed'; data: { vmId: string; flavorId: string } }
  | { type: 'VMRenamed'; data: { vmId: string; name: string; previousName: string } }
  | { type: 'VMLocked'; data: { vmId: string; reason: string | null; lockedBy: LockedBy } }
  | { type: 'VMUnlocked'; data: { vmId: string } }
  | {
      type: 'TaskStepSucceeded';
      data: { vmId: string; taskId: string; stepId: string; startedAt: string; finishedAt: string; host?: string };
    }
  | {
      type: 'TaskStepFailed';
      data: { vmId: string; taskId: string; stepId: string; startedAt: string; finishedAt: string; error: StepError };
    }
  /** Terminal events of a task: the VM's new state. */
  | { type: 'VMBuilt'; data: { vmId: string; taskId: string; launchedAt: string; host: string | null } }
  | { type: 'VMStarted'; data: { vmId: string; taskId: string } }
  | { type: 'VMStopped'; data: { vmId: string; taskId: string } }
  | { type: 'VMRebooted'; data: { vmId: string; taskId: string } }
  | { type: 'VMPaused'; data: { vmId: string; taskId: string } }
  | { type: 'VMUnpaused'; data: { vmId: string; taskId: string } }
  | { type: 'VMDeleted'; data: { vmId: string; taskId: string; deletedAt: string } }
  | { type: 'VMHotResized'; data: { vmId: string; taskId: string; vcpus: number; ramMb: number } }
  | { type: 'VMLiveMigrated'; data: { vmId: string; taskId: string; sourceHost: string | null; host: string | null } }
  /** The cold resize ran: the VM has the new flavor and waits in VERIFY_RESIZE. */
  | { type: 'VMResized'; data: { vmId: string; taskId: string; flavor: FlavorSnapshot } }
  /** flavor: the one the VM has again. */
  | { type: 'VMResizeReverted'; data: { vmId: string; taskId: string; flavor: FlavorSnapshot } }
  | { type: 'VMInterfaceAttached'; data: { vmId: string; taskId: string; interface: VmInterface } }
  | { type: 'VMInterfaceDetached'; data: { vmId: string; taskId: string; interface: VmInterface } }
  /** A step failed and what was done must be undone first; the undo steps run newest first. */
  | {
      type: 'TaskCompensationStarted';
      data: { vmId: string; taskId: string; failedStepId: string; error: StepError; undoSteps: string[] };
    }
  /**
   * A task that failed: a build goes to ERROR with this fault, an action returns to the state before
   * it. cleanupError is set when an undo step failed too (the VM then goes to ERROR whatever the action).
   */
  | {
      type: 'TaskFailed';
      data: {
        vmId: string;
        taskId: string;
        action: InstanceActionName;
        stepId: string;
        error: StepError;
        failedAt: string;
        cleanupError?: StepError;
      };
    }
  /**
   * What the cluster showed differed from what we recorded while no task ran (Nova's power-state
   * sync): the VM died, was stopped or paused outside our control, or came back.
   */
  | {
      type: 'PowerStateSynced';
      data: { vmId: string; observed: ObservedPowerState; vmState: VmState; powerState: PowerState; observedAt: string };
    };

/** What the cluster says about a VM, reduced to what the power-state sync needs. */
export type ObservedPowerState = 'running' | 'paused' | 'stopped' | 'crashed' | 'missing';

export type VirtualMachineEventType = VirtualMachineEvent['type'];

/** Current schema version of each event type; bump it together with an upcaster for the old one. */
export const VIRTUAL_MACHINE_EVENT_VERSIONS: Record<VirtualMachineEventType, number> = {
  VMCreated: 2,
  VMStartRequested: 1,
  VMStopRequested: 1,
  VMRebootRequested: 1,
  VMPauseRequested: 1,
  VMUnpauseRequested: 1,
  VMDeleteRequested: 1,
  VMRenamed: 1,
  VMHotResizeRequested: 1,
  VMLiveMigrationRequested: 1,
  VMLiveMigrationAbortRequested: 1,
  VMLiveMigrationProgressed: 1,
  VMResizeRequested: 1,
  VMResizeRevertRequested: 1,
  VMResizeConfirmed: 1,
  VMInterfaceAttachRequested: 1,
  VMInterfaceDetachRequested: 1,
  VMInterfaceAttached: 1,
  VMInterfaceDetached: 1,
  VMHotResized: 1,
  VMLiveMigrated: 1,
  VMResized: 1,
  VMResizeReverted: 1,
  VMLocked: 1,
  VMUnlocked: 1,
  TaskStepSucceeded: 1,
  TaskStepFailed: 1,
  VMBuilt: 1,
  VMStarted: 1,
  VMStopped: 1,
  VMRebooted: 1,
  VMPaused: 1,
  VMUnpaused: 1,
  VMDeleted: 1,
  TaskCompensationStarted: 1,
  TaskFailed: 1,
  PowerStateSynced: 1,
};

export const vmStreamId = (vmId: string): string => `vm-${vmId}`;

/** The events that start a task (they carry `task`). */
export const TASK_START_EVENTS: ReadonlySet<VirtualMachineEventType> = new Set<VirtualMachineEventType>([
  'VMCreated',
  'VMStartRequested',
  'VMStopRequested',
  'VMRebootRequested',
  'VMPauseRequested',
  'VMUnpauseRequested',
  'VMDeleteRequested',
  'VMHotResizeRequested',
  'VMLiveMigrationRequested',
  'VMResizeRequested',
  'VMResizeRevertRequested',
  'VMInterfaceAttachRequested',
  'VMInterfaceDetachRequested',
]);

/** The events that end a task, successfully or not. */
export const TASK_END_EVENTS: ReadonlySet<VirtualMachineEventType> = new Set<VirtualMachineEventType>([
  'VMBuilt',
  'VMStarted',
  'VMStopped',
  'VMRebooted',
  'VMPaused',
  'VMUnpaused',
  'VMDeleted',
  'VMHotResized',
  'VMLiveMigrated',
  'VMResized',
  'VMResizeReverted',
  'VMInterfaceAttached',
  'VMInterfaceDetached',
  'TaskFailed',
]);

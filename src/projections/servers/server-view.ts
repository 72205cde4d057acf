import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import type { VmInterface } from '../../domain/virtual-machine/interface-attachment.js';
import type { FlavorSnapshot } from '../../domain/flavor/flavor-snapshot.js';
import { novaStatus, type NovaStatus } from '../../domain/virtual-machine/nova-status.js';
import { PowerState, type InstanceActionName, type LockedBy, type TaskState, type VmState } from '../../domain/virtual-machine/nova-states.js';
import { TASK_TIMEOUT } from '../../domain/virtual-machine/task-results.js';
import type { VirtualMachineEvent } from '../../domain/virtual-machine/virtual-machine.events.js';

/** Nova's server fault: shown on a server in ERROR. */
export interface ServerFault {
  code: number;
  message: string;
  details: string | null;
  created: string;
}

/**
 * The task a server is running, kept so a later step knows the next task_state and a failed action
 * can put the server back where it was.
 */
export interface PendingTask {
  taskId: string;
  action: InstanceActionName;
  requestId: string;
  steps: string[];
  taskStates: TaskState[];
  stepsDone: number;
  /** Set once a step failed and its undo steps run: they are clean-up, not progress. */
  compensating?: boolean;
  /** occurredAt of the event that started the task: its deadline counts from here. */
  startedAt?: string;
  /** Set once the deadline failed the task: what it started (undoing) runs however long it takes. */
  timedOut?: boolean;
  vmStateBefore: VmState;
  powerStateBefore: number;
}

/** Everything Nova's server detail shows that the events let us know. */
export interface ServerView {
  id: string;
  name: string;
  /** Nova's tenant_id. */
  projectId: string;
  userId: string;
  status: NovaStatus;
  vmState: VmState;
  taskState: TaskState | null;
  powerState: number;
  flavor: FlavorSnapshot;
  imageRef: string;
  keyName: string | null;
  metadata: Record<string, string>;
  availabilityZone: string | null;
  host: string | null;
  /** Network name -> addresses; NICs are not projected yet. */
  addresses: Record<string, unknown[]>;
  created: string;
  /** occurredAt of the last event of the server's stream. */
  updated: string;
  launchedAt: string | null;
  terminatedAt: string | null;
  progress: number;
  fault: ServerFault | null;
  locked: boolean;
  /** Nova's locked_reason (2.73+) and who locked it. */
  lockedReason: string | null;
  lockedBy: LockedBy | null;
  deleted: boolean;
  /** Nova's config drive/user data: we only know whether user data was given (its hash is kept, never the data). */
  userDataPresent: boolean;
  task: PendingTask | null;
}

/** Where each successful terminal event leaves the server (resizes and interface changes derive it from the state before the task). */
const TERMINAL: Partial<Record<VirtualMachineEvent['type'], { vmState: VmState; powerState: number }>> = {
  VMHotResized: { vmState: 'active', powerState: PowerState.RUNNING },
  VMLiveMigrated: { vmState: 'active', powerState: PowerState.RUNNING },
  VMBuilt: { vmState: 'active', powerState: PowerState.RUNNING },
  VMStarted: { vmState: 'active', powerState: PowerState.RUNNING },
  VMRebooted: { vmState: 'active', powerState: PowerState.RUNNING },
  VMUnpaused: { vmState: 'active', powerState: PowerState.RUNNING },
  VMStopped: { vmState: 'stopped', powerState: PowerState.SHUTDOWN },
  VMPaused: { vmState: 'paused', powerState: PowerState.PAUSED },
  VMDeleted: { vmState: 'deleted', powerState: PowerState.NOSTATE },
};

/**
 * Folds one event of a server's stream into its view. Pure: the SQL projection and "state at time T"
 * share it, so a read model and a point-in-time answer cannot disagree. Events of other streams and
 * events before VMCreated leave the view as it is.
 */
export function evolveServerView(view: ServerView | undefined, event: RecordedEvent): ServerView | undefined {
  const e = event as unknown as VirtualMachineEvent & RecordedEvent;
  if (e.type === 'VMCreated') {
    if (view) return view;
    const d = e.data;
    return withStatus({
      id: d.vmId,
      name: d.name,
      projectId: d.projectId,
      userId: d.userId,
      status: 'BUILD',
      vmState: 'building',
      taskState: d.task.taskStates[0] ?? null,
      powerState: PowerState.NOSTATE,
      flavor: d.flavor,
      imageRef: d.imageRef,
      keyName: d.keyName,
      metadata: d.metadata,
      availabilityZone: d.availabilityZone,
      host: null,
      // Ports it boots with show from the start, as Nova's network info once they are allocated.
      addresses: (d.interfaces ?? []).reduce(withPortAddresses, {} as Record<string, unknown[]>),
      created: d.createdAt,
      updated: event.occurredAt,
      launchedAt: null,
      terminatedAt: null,
      progress: 0,
      fault: null,
      locked: false,
      lockedReason: null,
      lockedBy: null,
      deleted: false,
      userDataPresent: d.userDataSha256 !== null,
      task: startTask(d.task, event, 'building', PowerState.NOSTATE),
    });
  }
  if (!view) return undefined;
  // The one copy per event: each case below changes this fresh object in place rather than copying
  // it again, which a replay of millions of events notices.
  const touched: ServerView = { ...view, updated: event.occurredAt };

  switch (e.type) {
    case 'VMStartRequested':
    case 'VMStopRequested':
    case 'VMRebootRequested':
    case 'VMPauseRequested':
    case 'VMUnpauseRequested':
    case 'VMDeleteRequested':
    case 'VMHotResizeRequested':
    case 'VMLiveMigrationRequested':
    case 'VMResizeRequested':
    case 'VMResizeRevertRequested':
    case 'VMInterfaceAttachRequested':
    case 'VMInterfaceDetachRequested':
      touched.taskState = e.data.task.taskStates[0] ?? null;
      touched.progress = 0;
      touched.task = startTask(e.data.task, event, view.vmState, view.powerState);
      return withStatus(touched);
    case 'VMRenamed':
      touched.name = e.data.name;
      return withStatus(touched);
    case 'VMHotResized':
      // The server keeps its flavor's name; its size is what the guest now has.
      endTask(touched, e.type);
      touched.flavor = { ...view.flavor, vcpus: e.data.vcpus, ramMb: e.data.ramMb };
      return withStatus(touched);
    case 'VMLiveMigrated':
      endTask(touched, e.type);
      touched.host = e.data.host ?? view.host;
      return withStatus(touched);
    case 'VMResized':
    case 'VMResizeReverted': {
      // A resize keeps the power state it had before the task.
      const powerState = view.task?.powerStateBefore ?? view.powerState;
      clearTask(touched);
      touched.powerState = powerState;
      touched.vmState = e.type === 'VMResized' ? 'resized' : powerState === PowerState.RUNNING ? 'active' : 'stopped';
      touched.flavor = e.data.flavor;
      return withStatus(touched);
    }
    case 'VMInterfaceAttached':
    case 'VMInterfaceDetached':
      // An interface change leaves the server as it was before the task.
      clearTask(touched);
      touched.vmState = view.task?.vmStateBefore ?? view.vmState;
      touched.powerState = view.task?.powerStateBefore ?? view.powerState;
      touched.addresses = e.type === 'VMInterfaceAttached' ? withPortAddresses(view.addresses, e.data.interface) : withoutPortAddresses(view.addresses, e.data.interface);
      return withStatus(touched);
    case 'VMLiveMigrationProgressed':
      // Nova's libvirt driver shows a live migration's progress on the server, too.
      if (view.task?.taskId === e.data.taskId) touched.progress = e.data.percent;
      return touched;
    case 'VMResizeConfirmed':
      touched.vmState = view.powerState === PowerState.RUNNING ? 'active' : 'stopped';
      return withStatus(touched);
    case 'VMLocked':
      touched.locked = true;
      touched.lockedReason = e.data.reason;
      touched.lockedBy = e.data.lockedBy;
      return touched;
    case 'VMUnlocked':
      touched.locked = false;
      touched.lockedReason = null;
      touched.lockedBy = null;
      return touched;
    case 'TaskStepSucceeded': {
      const task = view.task;
      if (!task || task.taskId !== e.data.taskId || task.compensating) return touched;
      const stepsDone = task.stepsDone + 1;
      touched.host = e.data.host ?? view.host;
      touched.taskState = task.taskStates[stepsDone] ?? view.taskState;
      touched.progress = task.steps.length > 0 ? Math.floor((100 * stepsDone) / task.steps.length) : 0;
      touched.task = { ...task, stepsDone };
      return withStatus(touched);
    }
    case 'TaskStepFailed':
      // The saga follows with compensation or TaskFailed; the step alone does not move the server.
      return touched;
    case 'TaskCompensationStarted':
      if (view.task?.taskId === e.data.taskId) {
        touched.task = { ...view.task, compensating: true, ...(e.data.error.code === TASK_TIMEOUT ? { timedOut: true } : {}) };
      }
      return touched;
    case 'PowerStateSynced':
      touched.vmState = e.data.vmState;
      touched.powerState = e.data.powerState;
      return withStatus(touched);
    case 'VMBuilt':
      endTask(touched, e.type);
      touched.launchedAt = e.data.launchedAt;
      touched.host = e.data.host ?? view.host;
      return withStatus(touched);
    case 'VMDeleted':
      endTask(touched, e.type);
      touched.deleted = true;
      touched.terminatedAt = e.data.deletedAt;
      return withStatus(touched);
    case 'VMStarted':
    case 'VMStopped':
    case 'VMRebooted':
    case 'VMPaused':
    case 'VMUnpaused':
      return withStatus(endTask(touched, e.type));
    case 'TaskFailed': {
      touched.taskState = null;
      touched.progress = 0;
      touched.task = null;
      // A failed build, or a failure whose clean-up failed too, leaves the server in ERROR (as the decider says).
      if (e.data.action === 'create' || e.data.cleanupError) {
        touched.vmState = 'error';
        if (e.data.action === 'create') touched.powerState = PowerState.NOSTATE;
        // A failed build let its ports go (Nova deallocates its network): no addresses, unless that failed too.
        if (e.data.action === 'create' && !e.data.cleanupError) touched.addresses = {};
        const cleanup = e.data.cleanupError ? `Clean-up failed too: ${e.data.cleanupError.message}` : null;
        const details = [e.data.error.details, cleanup].filter(Boolean).join('\n') || null;
        touched.fault = { code: 500, message: e.data.error.message, details, created: e.data.failedAt };
      } else {
        touched.vmState = view.task?.vmStateBefore ?? view.vmState;
        touched.powerState = view.task?.powerStateBefore ?? view.powerState;
      }
      return withStatus(touched);
    }
    default:
      return touched;
  }
}

/**
 * Nova's addresses: per network name, each fixed IP with its version, its MAC and type "fixed". The
 * port id is kept beside them (clients ignore unknown keys) so a detach removes exactly its own.
 */
function withPortAddresses(addresses: Record<string, unknown[]>, nic: VmInterface): Record<string, unknown[]> {
  const rest = withoutPortAddresses(addresses, nic);
  const entries = nic.fixedIps.map((ip) => ({
    version: ip.version,
    addr: ip.ipAddress,
    'OS-EXT-IPS:type': 'fixed',
    'OS-EXT-IPS-MAC:mac_addr': nic.macAddress,
    port_id: nic.portId,
  }));
  return { ...rest, [nic.networkName]: [...(rest[nic.networkName] ?? []), ...entries] };
}

function withoutPortAddresses(addresses: Record<string, unknown[]>, nic: VmInterface): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [network, entries] of Object.entries(addresses)) {
    const kept = entries.filter((entry) => (entry as { port_id?: string }).port_id !== nic.portId);
    if (kept.length > 0) out[network] = kept;
  }
  return out;
}

/** Folds a whole stream (in revision order) from nothing. */
export function foldServerView(events: readonly RecordedEvent[]): ServerView | undefined {
  let view: ServerView | undefined;
  for (const event of events) view = evolveServerView(view, event);
  return view;
}

function startTask(
  task: { taskId: string; action: InstanceActionName; steps: string[]; taskStates: TaskState[] },
  event: RecordedEvent,
  vmStateBefore: VmState,
  powerStateBefore: number,
): PendingTask {
  return {
    taskId: task.taskId,
    action: task.action,
    requestId: event.metadata.requestId,
    steps: task.steps,
    taskStates: task.taskStates,
    stepsDone: 0,
    startedAt: event.occurredAt,
    vmStateBefore,
    powerStateBefore,
  };
}

/** Ends the task on a view evolveServerView has just copied. */
function endTask(view: ServerView, terminal: VirtualMachineEvent['type']): ServerView {
  const outcome = TERMINAL[terminal]!;
  view.vmState = outcome.vmState;
  view.powerState = outcome.powerState;
  return clearTask(view);
}

/** The task's end without TERMINAL's outcome: for the events whose caller sets the states itself. */
function clearTask(view: ServerView): ServerView {
  view.taskState = null;
  view.progress = 0;
  view.task = null;
  return view;
}

/** Sets status on a view evolveServerView has just built (never one already handed out). */
function withStatus(view: ServerView): ServerView {
  view.status = novaStatus(view.vmState, view.taskState);
  return view;
}

import type { DecisionContext, Decider } from '../shared/decider.js';
import { PowerState, type InstanceActionName, type VmState } from './nova-states.js';
import { assertValidServerName } from './server-name.js';
import { planCreate, planTask } from './task-plans.js';
import type { VirtualMachineCommand } from './virtual-machine.commands.js';
import { syncPowerState } from './power-state-sync.js';
import { decideHotResize } from './hot-resize.js';
import { decideAttachInterface, decideDetachInterface, PortAlreadyAttachedError, withInterface, withoutInterface, withPortRelease } from './interface-attachment.js';
import { decideAbortLiveMigration, decideLiveMigrate, decideMigrationProgress } from './live-migration.js';
import { decideConfirmResize, decideResize, decideRevertResize } from './cold-resize.js';
import { expireTask, stepFailed, stepSucceeded } from './task-results.js';
import { InstanceExistsError, InstanceInvalidStateError, InstanceNotFoundError, InvalidServerInputError, LockedByAdminError } from './virtual-machine.errors.js';
import type { TaskStarted, VirtualMachineEvent } from './virtual-machine.events.js';
import { currentTaskState, type VirtualMachine, type VirtualMachineState } from './virtual-machine.state.js';

type Event = VirtualMachineEvent;

/** vm_states a task-starting action may begin from (nova/compute/api.py check_instance_state). */
const ALLOWED_VM_STATES: Record<
  Exclude<InstanceActionName, 'create' | 'delete' | 'hotResize' | 'resize' | 'revertResize' | 'live-migration' | 'attach_interface' | 'detach_interface'>,
  readonly VmState[]
> = {
  start: ['stopped'],
  stop: ['active', 'error'],
  reboot: ['active'],
  pause: ['active'],
  unpause: ['paused'],
};
const HARD_REBOOT_VM_STATES: readonly VmState[] = ['active', 'stopped', 'paused', 'error'];

export function decide(command: VirtualMachineCommand, state: VirtualMachineState, context: DecisionContext): Event[] {
  switch (command.type) {
    case 'CreateVM': {
      const d = command.data;
      if (state) throw new InstanceExistsError(d.vmId);
      assertValidServerName(d.name);
      assertValidMetadata(d.metadata);
      assertDistinctPorts(d.interfaces ?? []);
      const { taskId, ...rest } = d;
      return [{ type: 'VMCreated', data: { ...rest, createdAt: context.now, task: planCreate(taskId, (d.interfaces ?? []).length > 0) } }];
    }
    case 'StartVM':
      return startTask(state, command.data, 'start', ALLOWED_VM_STATES.start, 'VMStartRequested');
    case 'StopVM':
      return startTask(state, command.data, 'stop', ALLOWED_VM_STATES.stop, 'VMStopRequested');
    case 'PauseVM':
      return startTask(state, command.data, 'pause', ALLOWED_VM_STATES.pause, 'VMPauseRequested');
    case 'UnpauseVM':
      return startTask(state, command.data, 'unpause', ALLOWED_VM_STATES.unpause, 'VMUnpauseRequested');
    case 'RebootVM': {
      const { rebootType, vmId, taskId } = command.data;
      const vm = existing(state, vmId);
      const allowed = rebootType === 'HARD' ? HARD_REBOOT_VM_STATES : ALLOWED_VM_STATES.reboot;
      assertCanStart(vm, 'reboot', allowed);
      return [{ type: 'VMRebootRequested', data: { vmId, rebootType, task: planTask(taskId, 'reboot', rebootType) } }];
    }
    case 'DeleteVM': {
      const vm = existing(state, command.data.vmId);
      if (vm.task?.action === 'delete') return [];
      return [
        {
          type: 'VMDeleteRequested',
          data: { vmId: vm.id, task: withPortRelease(planTask(command.data.taskId, 'delete'), vm), supersededTaskId: vm.task?.taskId ?? null },
        },
      ];
    }
    case 'HotResizeVM': {
      const { vmId, taskId, strategy, ...wanted } = command.data;
      return decideHotResize(existing(state, vmId), taskId, wanted, strategy ?? 'in-place');
    }
    case 'LiveMigrateVM':
      return decideLiveMigrate(existing(state, command.data.vmId), command.data.taskId, command.data.targetHost);
    case 'AbortLiveMigration':
      return decideAbortLiveMigration(existing(state, command.data.vmId), command.data.taskId);
    case 'RecordMigrationProgress':
      return decideMigrationProgress(existing(state, command.data.vmId), command.data.taskId, command.data.percent, command.data.memory);
    case 'ResizeVM':
      return decideResize(existing(state, command.data.vmId), command.data.taskId, command.data.flavor);
    case 'ConfirmResize':
      return decideConfirmResize(existing(state, command.data.vmId));
    case 'RevertResize':
      return decideRevertResize(existing(state, command.data.vmId), command.data.taskId);
    case 'AttachInterface':
      return decideAttachInterface(existing(state, command.data.vmId), command.data.taskId, command.data.interface);
    case 'DetachInterface':
      return decideDetachInterface(existing(state, command.data.vmId), command.data.taskId, command.data.portId);
    case 'LockVM': {
      const vm = existing(state, command.data.vmId);
      if (vm.lock) return [];
      return [{ type: 'VMLocked', data: { vmId: vm.id, reason: command.data.reason, lockedBy: command.data.lockedBy } }];
    }
    case 'UnlockVM': {
      const vm = existing(state, command.data.vmId);
      if (!vm.lock) return [];
      if (vm.lock.lockedBy === 'admin' && !command.data.byAdmin) throw new LockedByAdminError(vm.id);
      return [{ type: 'VMUnlocked', data: { vmId: vm.id } }];
    }
    case 'RenameVM': {
      const vm = existing(state, command.data.vmId);
      assertValidServerName(command.data.name);
      if (vm.name === command.data.name) return [];
      return [{ type: 'VMRenamed', data: { vmId: vm.id, name: command.data.name, previousName: vm.name } }];
    }
    case 'RecordStepSucceeded':
      return stepSucceeded(state, command.data, context.now);
    case 'RecordStepFailed':
      return stepFailed(state, command.data, context.now);
    case 'ExpireTask':
      return expireTask(state, command.data.taskId, command.data.deadlineMs, context.now);
    case 'RecordObservedPowerState':
      return syncPowerState(state, command.data.observed, context.now);
    default: {
      const exhaustive: never = command;
      throw new Error(`Unknown command ${(exhaustive as { type: string }).type}`);
    }
  }
}

export function evolve(state: VirtualMachineState, event: Event): VirtualMachineState {
  if (event.type === 'VMCreated') {
    const d = event.data;
    return {
      id: d.vmId,
      name: d.name,
      projectId: d.projectId,
      userId: d.userId,
      flavor: d.flavor,
      imageRef: d.imageRef,
      imageSource: d.imageSource ?? d.imageRef,
      keyName: d.keyName,
      vmState: 'building',
      powerState: PowerState.NOSTATE,
      host: null,
      task: { ...d.task, done: [], compensation: null, previousVmState: 'building', previousPowerState: PowerState.NOSTATE },
      endedTaskIds: [],
      fault: null,
      lock: null,
      hotResize: null,
      resize: null,
      migration: null,
      interfaces: d.interfaces ?? [],
      nic: null,
    };
  }
  if (!state) return state;
  switch (event.type) {
    case 'VMStartRequested':
    case 'VMStopRequested':
    case 'VMRebootRequested':
    case 'VMPauseRequested':
    case 'VMUnpauseRequested':
      return withTask(state, event.data.task);
    case 'VMDeleteRequested': {
      const superseded = event.data.supersededTaskId;
      const next = withTask(state, event.data.task);
      return superseded ? { ...next, endedTaskIds: [...next.endedTaskIds, superseded] } : next;
    }
    case 'VMHotResizeRequested':
      return { ...withTask(state, event.data.task), hotResize: { from: event.data.from, to: event.data.to, strategy: event.data.strategy ?? 'in-place' } };
    case 'VMLiveMigrationRequested': {
      const { task, sourceHost, targetHost } = event.data;
      return { ...withTask(state, task), migration: { taskId: task.taskId, sourceHost, targetHost, abortRequested: false, progressPercent: null } };
    }
    case 'VMLiveMigrationAbortRequested':
      return state.migration ? { ...state, migration: { ...state.migration, abortRequested: true } } : state;
    case 'VMLiveMigrationProgressed':
      return state.migration ? { ...state, migration: { ...state.migration, progressPercent: event.data.percent } } : state;
    case 'VMResizeRequested':
      return { ...withTask(state, event.data.task), resize: { oldFlavor: event.data.oldFlavor, newFlavor: event.data.newFlavor } };
    case 'VMResizeRevertRequested':
      return withTask(state, event.data.task);
    case 'VMInterfaceAttachRequested':
    case 'VMInterfaceDetachRequested':
      return { ...withTask(state, event.data.task), nic: event.data.interface };
    case 'VMInterfaceAttached':
      return endTask(state, state.vmState, state.powerState, { interfaces: withInterface(state.interfaces ?? [], event.data.interface) });
    case 'VMInterfaceDetached':
      return endTask(state, state.vmState, state.powerState, { interfaces: withoutInterface(state.interfaces ?? [], event.data.interface.portId) });
    case 'VMResizeConfirmed':
      return { ...state, vmState: state.powerState === PowerState.RUNNING ? 'active' : 'stopped', resize: null };
    case 'VMHotResized':
      return endTask(state, 'active', PowerState.RUNNING, { flavor: { ...state.flavor, vcpus: event.data.vcpus, ramMb: event.data.ramMb } });
    case 'VMLiveMigrated':
      return endTask(state, 'active', PowerState.RUNNING, { host: event.data.host ?? state.host });
    case 'VMResized':
      return endTask(state, 'resized', state.task?.previousPowerState ?? state.powerState, { flavor: event.data.flavor });
    case 'VMResizeReverted': {
      const powerState = state.task?.previousPowerState ?? state.powerState;
      const vmState = powerState === PowerState.RUNNING ? 'active' : 'stopped';
      return endTask(state, vmState, powerState, { flavor: event.data.flavor, resize: null });
    }
    case 'VMRenamed':
      return { ...state, name: event.data.name };
    case 'VMLocked':
      return { ...state, lock: { reason: event.data.reason, lockedBy: event.data.lockedBy } };
    case 'VMUnlocked':
      return { ...state, lock: null };
    case 'TaskStepSucceeded': {
      const task = state.task;
      if (!task) return state;
      const c = task.compensation;
      // An undo step may report the host too (an aborted migration that switched over anyway).
      const host = event.data.host ?? state.host;
      if (c) return { ...state, host, task: { ...task, compensation: { ...c, done: [...c.done, event.data.stepId] } } };
      return { ...state, host, task: { ...task, done: [...task.done, event.data.stepId] } };
    }
    case 'TaskStepFailed': {
      const c = state.task?.compensation;
      if (!c) return state;
      const compensation = { ...c, done: [...c.done, event.data.stepId], cleanupError: c.cleanupError ?? event.data.error };
      return { ...state, task: { ...state.task!, compensation } };
    }
    case 'TaskCompensationStarted': {
      if (!state.task) return state;
      const { failedStepId, error, undoSteps } = event.data;
      return { ...state, task: { ...state.task, compensation: { failedStepId, error, undoSteps, done: [], cleanupError: null } } };
    }
    case 'PowerStateSynced':
      return { ...state, vmState: event.data.vmState, powerState: event.data.powerState };
    case 'VMBuilt':
      return endTask(state, 'active', PowerState.RUNNING, { host: event.data.host ?? state.host });
    case 'VMStarted':
    case 'VMRebooted':
    case 'VMUnpaused':
      return endTask(state, 'active', PowerState.RUNNING);
    case 'VMStopped':
      return endTask(state, 'stopped', PowerState.SHUTDOWN);
    case 'VMPaused':
      return endTask(state, 'paused', PowerState.PAUSED);
    case 'VMDeleted':
      return endTask(state, 'deleted', PowerState.NOSTATE);
    case 'TaskFailed': {
      const task = state.task;
      if (!task) return state;
      // A failed build, or a failure whose clean-up failed too, leaves the VM in ERROR (as Nova does).
      if (event.data.action === 'create' || event.data.cleanupError) {
        const powerState = event.data.action === 'create' ? PowerState.NOSTATE : state.powerState;
        // A failed build released its ports (release-boot-ports); if that failed too, the delete's release-ports tries again.
        const released = event.data.action === 'create' && !event.data.cleanupError ? { interfaces: [] } : {};
        return endTask(state, 'error', powerState, { fault: event.data.error, ...released, ...(event.data.action === 'resize' ? { resize: null } : {}) });
      }
      // A failed cold resize forgets the new flavor; a failed revert stays in VERIFY_RESIZE to be tried again.
      return endTask(state, task.previousVmState, task.previousPowerState, event.data.action === 'resize' ? { resize: null } : {});
    }
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

export const initialState = (): VirtualMachineState => null;

export const virtualMachineDecider: Decider<VirtualMachineCommand, Event, VirtualMachineState> = {
  decide,
  evolve,
  initialState,
};

function existing(state: VirtualMachineState, vmId: string): VirtualMachine {
  if (!state || state.vmState === 'deleted') throw new InstanceNotFoundError(vmId);
  return state;
}

/** Nova checks vm_state first, then that no other task runs. */
function assertCanStart(vm: VirtualMachine, method: string, allowedVmStates: readonly VmState[]): void {
  if (!allowedVmStates.includes(vm.vmState)) throw new InstanceInvalidStateError(method, vm.id, 'vm_state', vm.vmState);
  if (vm.task) throw new InstanceInvalidStateError(method, vm.id, 'task_state', currentTaskState(vm));
}

function startTask(
  state: VirtualMachineState,
  data: { vmId: string; taskId: string },
  action: 'start' | 'stop' | 'pause' | 'unpause',
  allowed: readonly VmState[],
  type: 'VMStartRequested' | 'VMStopRequested' | 'VMPauseRequested' | 'VMUnpauseRequested',
): Event[] {
  const vm = existing(state, data.vmId);
  assertCanStart(vm, action, allowed);
  return [{ type, data: { vmId: vm.id, task: planTask(data.taskId, action) } }];
}

function withTask(vm: VirtualMachine, task: TaskStarted): VirtualMachine {
  return {
    ...vm,
    task: { ...task, done: [], compensation: null, previousVmState: vm.vmState, previousPowerState: vm.powerState },
  };
}

function endTask(vm: VirtualMachine, vmState: VmState, powerState: PowerState, extra: Partial<VirtualMachine> = {}): VirtualMachine {
  return {
    ...vm,
    ...extra,
    vmState,
    powerState,
    task: null,
    hotResize: null,
    migration: null,
    nic: null,
    endedTaskIds: vm.task ? [...vm.endedTaskIds, vm.task.taskId] : vm.endedTaskIds,
    fault: extra.fault ?? (vmState === 'error' ? vm.fault : null),
  };
}

/** Nova's server metadata: string keys of 1 to 255 characters and string values up to 255. */
function assertValidMetadata(metadata: Record<string, string>): void {
  for (const [key, value] of Object.entries(metadata)) {
    if (key.length === 0 || key.length > 255) {
      throw new InvalidServerInputError('Invalid input for field/attribute metadata. Keys must be 1 to 255 characters long.');
    }
    if (typeof value !== 'string' || value.length > 255) {
      throw new InvalidServerInputError(`Invalid input for field/attribute metadata. Value of ${key} must be a string of at most 255 characters.`);
    }
  }
}

/** A port given twice at create (Nova's 409 PortInUse on the second). */
function assertDistinctPorts(interfaces: readonly { portId: string }[]): void {
  const seen = new Set<string>();
  for (const { portId } of interfaces) {
    if (seen.has(portId)) throw new PortAlreadyAttachedError('', portId);
    seen.add(portId);
  }
}

import { compensationFor } from './task-plans.js';
import { InstanceNotFoundError, StepNotInTaskError, TaskNotFoundError } from './virtual-machine.errors.js';
import type { StepError, VirtualMachineEvent } from './virtual-machine.events.js';
import { pendingStep, type RunningTask, type VirtualMachine, type VirtualMachineState } from './virtual-machine.state.js';

type Event = VirtualMachineEvent;

/** The error code of a step failed by its task's deadline. */
export const TASK_TIMEOUT = 'TaskTimeout';

interface StepResult {
  vmId: string;
  taskId: string;
  stepId: string;
  startedAt: string;
}

/**
 * A step of the running task (or of its compensation) succeeded. A result the task no longer waits
 * for (already recorded, a task that ended, a forward step arriving while compensating) changes
 * nothing: at-least-once delivery makes duplicates normal.
 */
export function stepSucceeded(state: VirtualMachineState, result: StepResult & { host?: string }, now: string): Event[] {
  const task = runningTaskFor(state, result.vmId, result.taskId, result.stepId);
  if (!task || !awaits(task, result.stepId)) return [];
  const vm = state as VirtualMachine;
  const succeeded: Event = {
    type: 'TaskStepSucceeded',
    data: {
      vmId: result.vmId,
      taskId: result.taskId,
      stepId: result.stepId,
      startedAt: result.startedAt,
      finishedAt: now,
      ...(result.host ? { host: result.host } : {}),
    },
  };
  const c = task.compensation;
  if (c) {
    const left = c.undoSteps.filter((s) => s !== result.stepId && !c.done.includes(s));
    return left.length > 0 ? [succeeded] : [succeeded, taskFailed(vm, task, c.failedStepId, c.error, now, c.cleanupError)];
  }
  const left = task.steps.filter((s) => s !== result.stepId && !task.done.includes(s));
  return left.length > 0 ? [succeeded] : [succeeded, completion(vm, task, result.host, now)];
}

/** A step failed: undo what was done (newest first) before the task fails, or fail it now if nothing needs undoing. */
export function stepFailed(state: VirtualMachineState, result: StepResult & { error: StepError }, now: string): Event[] {
  const task = runningTaskFor(state, result.vmId, result.taskId, result.stepId);
  if (!task || !awaits(task, result.stepId)) return [];
  return failStep(state as VirtualMachine, task, result.stepId, result.startedAt, result.error, now);
}

/**
 * The deadline passed: the pending step fails with a timeout; a compensation in progress is cut short.
 * Once per task: the deadline is found by a sweep that may see the task again before its read model
 * has the timeout, so a compensation the timeout itself started is left to run.
 */
export function expireTask(state: VirtualMachineState, taskId: string, deadlineMs: number, now: string): Event[] {
  if (!state || state.task?.taskId !== taskId) return [];
  const task = state.task;
  if (task.compensation?.error.code === TASK_TIMEOUT) return [];
  const error: StepError = {
    code: TASK_TIMEOUT,
    message: `The ${task.action} task did not finish within its deadline of ${Math.round(deadlineMs / 1000)} s.`,
  };
  if (task.compensation) {
    const c = task.compensation;
    return [taskFailed(state, task, c.failedStepId, c.error, now, c.cleanupError ?? error)];
  }
  const step = pendingStep(task) ?? task.steps[task.steps.length - 1]!;
  return failStep(state, task, step, now, error, now);
}

function failStep(vm: VirtualMachine, task: RunningTask, stepId: string, startedAt: string, error: StepError, now: string): Event[] {
  const failed: Event = {
    type: 'TaskStepFailed',
    data: { vmId: vm.id, taskId: task.taskId, stepId, startedAt, finishedAt: now, error },
  };
  const c = task.compensation;
  if (c) {
    // An undo step failed: note it and go on undoing the rest; the task fails when all have run.
    const left = c.undoSteps.filter((s) => s !== stepId && !c.done.includes(s));
    return left.length > 0 ? [failed] : [failed, taskFailed(vm, task, c.failedStepId, c.error, now, c.cleanupError ?? error)];
  }
  const undoSteps = compensationFor(task.done, stepId);
  if (undoSteps.length === 0) return [failed, taskFailed(vm, task, stepId, error, now, null)];
  return [failed, { type: 'TaskCompensationStarted', data: { vmId: vm.id, taskId: task.taskId, failedStepId: stepId, error, undoSteps } }];
}

function taskFailed(vm: VirtualMachine, task: RunningTask, stepId: string, error: StepError, now: string, cleanupError: StepError | null): Event {
  return {
    type: 'TaskFailed',
    data: { vmId: vm.id, taskId: task.taskId, action: task.action, stepId, error, failedAt: now, ...(cleanupError ? { cleanupError } : {}) },
  };
}

/** Whether the task still waits for this step's result. */
function awaits(task: RunningTask, stepId: string): boolean {
  if (task.compensation) return task.compensation.undoSteps.includes(stepId) && !task.compensation.done.includes(stepId);
  return !task.done.includes(stepId);
}

/**
 * The running task a step result belongs to, or null when the result is a late duplicate for a task
 * that already ended (ignored, not an error).
 */
function runningTaskFor(state: VirtualMachineState, vmId: string, taskId: string, stepId: string): RunningTask | null {
  if (!state) throw new InstanceNotFoundError(vmId);
  if (state.task?.taskId === taskId) {
    const known = state.task.steps.includes(stepId) || (state.task.compensation?.undoSteps.includes(stepId) ?? false);
    if (!known) throw new StepNotInTaskError(taskId, stepId);
    return state.task;
  }
  if (state.endedTaskIds.includes(taskId)) return null;
  throw new TaskNotFoundError(vmId, taskId);
}

function completion(vm: VirtualMachine, task: RunningTask, host: string | undefined, now: string): Event {
  const ids = { vmId: vm.id, taskId: task.taskId };
  switch (task.action) {
    case 'create':
      return { type: 'VMBuilt', data: { ...ids, launchedAt: now, host: host ?? vm.host } };
    case 'start':
      return { type: 'VMStarted', data: ids };
    case 'stop':
      return { type: 'VMStopped', data: ids };
    case 'reboot':
      return { type: 'VMRebooted', data: ids };
    case 'pause':
      return { type: 'VMPaused', data: ids };
    case 'unpause':
      return { type: 'VMUnpaused', data: ids };
    case 'delete':
      return { type: 'VMDeleted', data: { ...ids, deletedAt: now } };
    case 'hotResize': {
      const to = vm.hotResize?.to ?? { vcpus: vm.flavor.vcpus, ramMb: vm.flavor.ramMb };
      return { type: 'VMHotResized', data: { ...ids, vcpus: to.vcpus, ramMb: to.ramMb } };
    }
    case 'live-migration':
      return { type: 'VMLiveMigrated', data: { ...ids, sourceHost: vm.migration?.sourceHost ?? null, host: host ?? vm.host } };
    case 'resize':
      return { type: 'VMResized', data: { ...ids, flavor: vm.resize?.newFlavor ?? vm.flavor } };
    case 'revertResize':
      return { type: 'VMResizeReverted', data: { ...ids, flavor: vm.resize?.oldFlavor ?? vm.flavor } };
    case 'attach_interface':
      if (!vm.nic) throw new Error(`Task ${task.taskId} attaches no interface`);
      return { type: 'VMInterfaceAttached', data: { ...ids, interface: vm.nic } };
    case 'detach_interface':
      if (!vm.nic) throw new Error(`Task ${task.taskId} detaches no interface`);
      return { type: 'VMInterfaceDetached', data: { ...ids, interface: vm.nic } };
    default: {
      const exhaustive: never = task.action;
      throw new Error(`No completion for ${String(exhaustive)}`);
    }
  }
}

import type { InstanceActionName, RebootType, TaskState } from './nova-states.js';
import type { TaskStarted } from './virtual-machine.events.js';

interface PlannedStep {
  id: string;
  /** Nova's task_state while this step is pending. */
  taskState: TaskState;
}

/**
 * The step that undoes a step, run when a later step (or the step itself, which may have half
 * happened) fails. Undo steps are idempotent like every step: undoing what never happened is a no-op.
 */
const UNDO: Readonly<Record<string, string>> = {
  'create-vm-object': 'delete-vm-object',
};

/** Undo steps for a failed task, newest first: each done step's undo, and the failed step's own. */
export function compensationFor(done: readonly string[], failedStep: string | null): string[] {
  const touched = failedStep ? [...done, failedStep] : [...done];
  const undo: string[] = [];
  for (const step of touched.reverse()) {
    const u = UNDO[step];
    if (u && !undo.includes(u)) undo.push(u);
  }
  return undo;
}

/**
 * The steps each task runs, in order. The saga runs one job per step and reports each result back;
 * the task ends when every step has succeeded. Later operations add their own plans here.
 */
const PLANS: Record<Exclude<InstanceActionName, 'reboot'>, PlannedStep[]> = {
  create: [
    { id: 'create-vm-object', taskState: 'scheduling' },
    { id: 'await-running', taskState: 'spawning' },
  ],
  start: [{ id: 'start-vm', taskState: 'powering-on' }],
  stop: [{ id: 'stop-vm', taskState: 'powering-off' }],
  pause: [{ id: 'pause-vm', taskState: 'pausing' }],
  unpause: [{ id: 'unpause-vm', taskState: 'unpausing' }],
  delete: [{ id: 'delete-vm-object', taskState: 'deleting' }],
};

const REBOOT_PLANS: Record<RebootType, PlannedStep[]> = {
  SOFT: [{ id: 'restart-vm', taskState: 'rebooting' }],
  HARD: [{ id: 'restart-vm', taskState: 'rebooting_hard' }],
};

export function planTask(taskId: string, action: InstanceActionName, rebootType: RebootType = 'SOFT'): TaskStarted {
  const steps = action === 'reboot' ? REBOOT_PLANS[rebootType] : PLANS[action];
  return {
    taskId,
    action,
    steps: steps.map((s) => s.id),
    taskStates: steps.map((s) => s.taskState),
  };
}

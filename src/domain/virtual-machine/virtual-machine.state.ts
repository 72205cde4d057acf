import type { FlavorSnapshot } from '../flavor/flavor-snapshot.js';
import type { LockedBy, PowerState, TaskState, VmState } from './nova-states.js';
import type { VmInterface } from './interface-attachment.js';
import type { HotResizeStrategy, StepError, TaskStarted, VmSize } from './virtual-machine.events.js';

export interface Compensation {
  failedStepId: string;
  error: StepError;
  undoSteps: string[];
  /** Undo steps that finished (succeeded, or failed: recorded in cleanupError). */
  done: string[];
  cleanupError: StepError | null;
}

export interface RunningTask extends TaskStarted {
  /** Step ids that succeeded so far. */
  done: string[];
  /** Set once a step failed and undo steps run. */
  compensation: Compensation | null;
  /** Where the VM returns when the task fails (Nova puts a failed action's VM back). */
  previousVmState: VmState;
  previousPowerState: PowerState;
}

export interface VirtualMachine {
  id: string;
  name: string;
  projectId: string;
  userId: string;
  flavor: FlavorSnapshot;
  imageRef: string;
  imageSource: string;
  keyName: string | null;
  vmState: VmState;
  powerState: PowerState;
  host: string | null;
  task: RunningTask | null;
  /** Ids of tasks that ended (or were superseded), so a late duplicate step result is recognised. */
  endedTaskIds: string[];
  fault: StepError | null;
  lock: { reason: string | null; lockedBy: LockedBy } | null;
  /** While a hot resize runs: the size it started from and the size it goes to. */
  hotResize: { from: VmSize; to: VmSize; strategy: HotResizeStrategy } | null;
  /** From a cold resize's request until it is confirmed or reverted (or fails). */
  resize: { oldFlavor: FlavorSnapshot; newFlavor: FlavorSnapshot } | null;
  /** While a live migration runs. */
  migration: { taskId: string; sourceHost: string | null; targetHost: string | null; abortRequested: boolean; progressPercent: number | null } | null;
  /** Ports hot-plugged into the VM (os-interface attach), in attach order. */
  interfaces: VmInterface[];
  /** While an interface attach or detach runs: the port it plugs or unplugs. */
  nic: VmInterface | null;
}

/** null until the VM is created. A deleted VM stays, with vmState 'deleted'. */
export type VirtualMachineState = VirtualMachine | null;

/** The step the saga runs next: the first undone undo step while compensating, else the first planned step not done. */
export function pendingStep(task: RunningTask): string | null {
  if (task.compensation) return task.compensation.undoSteps.find((s) => !task.compensation!.done.includes(s)) ?? null;
  return task.steps.find((s) => !task.done.includes(s)) ?? null;
}

export function currentTaskState(vm: VirtualMachine): TaskState | null {
  if (!vm.task) return null;
  return vm.task.taskStates[vm.task.done.length] ?? vm.task.taskStates[vm.task.taskStates.length - 1] ?? null;
}

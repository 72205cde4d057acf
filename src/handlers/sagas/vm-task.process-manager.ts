import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import { TASK_START_EVENTS, type VirtualMachineEvent } from '../../domain/virtual-machine/virtual-machine.events.js';
import { evolve } from '../../domain/virtual-machine/virtual-machine.decider.js';
import { pendingStep, type VirtualMachine, type VirtualMachineState } from '../../domain/virtual-machine/virtual-machine.state.js';
import type { ProcessManager } from './process-manager-runner.js';
import type { SagaJob } from './saga-job.js';
import { queueForStep } from './step-queues.js';

const TASK_STARTS: ReadonlySet<string> = TASK_START_EVENTS;

/**
 * The VM task process manager, as a pure decision: an event and the VM's state right after it in,
 * the jobs to enqueue out. Each job id is derived from the causing event's id (and step), so a
 * redelivered event enqueues nothing new.
 *
 * - A task starts: run its first step (its deadline is the TaskDeadlineSweeper's, from the read model).
 * - A step succeeded, or an undo step finished, or compensation started: run the step now pending.
 * - A forward step failed: nothing yet; the TaskCompensationStarted or TaskFailed in the same append decides.
 */
export function jobsForEvent(event: RecordedEvent, vm: VirtualMachine | null): SagaJob[] {
  const e = event as unknown as RecordedEvent & VirtualMachineEvent;
  const task = vm?.task;
  if (!vm || !task) return [];
  const taskId = taskIdOf(e);
  if (taskId !== task.taskId) return [];
  if (e.type === 'TaskStepFailed' && !task.compensation) return [];
  if (!TASK_STARTS.has(e.type) && !['TaskStepSucceeded', 'TaskStepFailed', 'TaskCompensationStarted'].includes(e.type)) return [];

  const context = {
    serverId: vm.id,
    taskId,
    requestId: event.metadata.requestId,
    correlationId: event.metadata.correlationId,
    causationEventId: event.id,
  };
  const step = pendingStep(task);
  return step ? [{ id: `${event.id}.${step}`, queue: queueForStep(step), name: step, data: { ...context, kind: 'step', stepId: step } }] : [];
}

function taskIdOf(e: VirtualMachineEvent): string | undefined {
  const data = e.data as { taskId?: string; task?: { taskId: string } };
  return data.task?.taskId ?? data.taskId;
}

/** The VM task process manager for the runner: the decider's evolve, the pure decision above, and reconciliation. */
export class VmTaskProcessManager implements ProcessManager<VirtualMachineState> {
  readonly name = 'saga:vm-tasks';

  handlesStream(streamId: string): boolean {
    return streamId.startsWith('vm-');
  }

  initialState(): VirtualMachineState {
    return null;
  }

  evolve(state: VirtualMachineState, event: RecordedEvent): VirtualMachineState {
    return evolve(state, event as unknown as VirtualMachineEvent);
  }

  jobsFor(event: RecordedEvent, stateAfter: VirtualMachineState): SagaJob[] {
    return jobsForEvent(event, stateAfter);
  }

  /** The running task's pending step, as the event that decided it named it. */
  pendingJobs(stream: readonly RecordedEvent[]): SagaJob[] {
    let state: VirtualMachineState = null;
    const decided = new Map<string, SagaJob>();
    for (const event of stream) {
      state = this.evolve(state, event);
      for (const job of this.jobsFor(event, state)) decided.set(`${job.data.taskId}/${job.name}`, job);
    }
    const task = state?.task;
    const step = task && pendingStep(task);
    const job = step && decided.get(`${task.taskId}/${step}`);
    return job ? [job] : [];
  }
}

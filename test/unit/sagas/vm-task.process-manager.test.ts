import type { RecordedEvent } from '../../../src/adapters/event-store/event-envelope.js';
import { evolve } from '../../../src/domain/virtual-machine/virtual-machine.decider.js';
import type { VirtualMachineEvent } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import type { VirtualMachineState } from '../../../src/domain/virtual-machine/virtual-machine.state.js';
import { jobsForEvent } from '../../../src/handlers/sagas/vm-task.process-manager.js';
import { NOW, VM_ID, events } from '../domain/vm-fixtures.js';

const meta = { requestId: 'req-1', correlationId: 'req-1', causationId: 'req-1', actor: { userId: 'u', projectId: 'p', roles: [] } };
const error = { code: 'Boom', message: 'boom' };

/** Given a history, when its last event is delivered, then these jobs: the process manager as a specification. */
function jobsAfter(history: VirtualMachineEvent[]) {
  let state: VirtualMachineState = null;
  let last: RecordedEvent | undefined;
  history.forEach((event, i) => {
    state = evolve(state, event);
    last = { ...event, id: `evt-${i}`, schemaVersion: 1, metadata: meta, occurredAt: NOW, streamId: `vm-${VM_ID}`, revision: i, position: i + 1, recordedAt: NOW };
  });
  return jobsForEvent(last!, state);
}

describe('VM task process manager', () => {
  it('given a VM was created, then its first step runs on the cluster queue (and no job for its deadline: the sweep has it)', () => {
    const context = { serverId: VM_ID, taskId: 'task-create', requestId: 'req-1', correlationId: 'req-1', causationEventId: 'evt-0' };
    expect(jobsAfter([events.created()])).toEqual([
      { id: 'evt-0.create-vm-object', queue: 'cluster', name: 'create-vm-object', data: { ...context, kind: 'step', stepId: 'create-vm-object' } },
    ]);
  });

  it('given a step succeeded, then the next step runs, keyed by the step-result event', () => {
    const jobs = jobsAfter([events.created(), events.stepSucceeded('task-create', 'create-vm-object', 'node-1')]);
    expect(jobs.map((j) => j.id)).toEqual(['evt-1.await-running']);
  });

  it('given the last step succeeded, then no job (the terminal event ends the task)', () => {
    const history = events.built();
    expect(jobsAfter(history.slice(0, 3))).toEqual([]);
    expect(jobsAfter(history)).toEqual([]);
  });

  it('given a forward step failed, then nothing until the compensation decision', () => {
    const failed: VirtualMachineEvent = { type: 'TaskStepFailed', data: { vmId: VM_ID, taskId: 'task-create', stepId: 'await-running', startedAt: NOW, finishedAt: NOW, error } };
    expect(jobsAfter([events.created(), events.stepSucceeded('task-create', 'create-vm-object'), failed])).toEqual([]);
  });

  it('given compensation started, then the first undo step runs', () => {
    const jobs = jobsAfter(events.compensatingBuild(error));
    expect(jobs.map((j) => [j.id, j.queue])).toEqual([['evt-3.delete-vm-object', 'cluster']]);
  });

  it('given the last undo step finished, then no more jobs', () => {
    expect(jobsAfter([...events.compensatingBuild(error), events.stepSucceeded('task-create', 'delete-vm-object')])).toEqual([]);
  });

  it('given an event of a task that is no longer current, then no job', () => {
    expect(jobsAfter([...events.built(), { type: 'VMRenamed', data: { vmId: VM_ID, name: 'x', previousName: 'db-1' } }])).toEqual([]);
  });

  it('given a stop was requested, then stop-vm runs', () => {
    expect(jobsAfter(events.stopRequested()).map((j) => j.name)).toEqual(['stop-vm']);
  });
});

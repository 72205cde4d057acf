import type { RecordedEvent } from '../../../src/adapters/event-store/event-envelope.js';
import { PowerState } from '../../../src/domain/virtual-machine/nova-states.js';
import type { VirtualMachineEvent } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import { foldServerView } from '../../../src/projections/servers/server-view.js';
import { NOW, VM_ID, events } from '../domain/vm-fixtures.js';

const meta = { requestId: 'req-1', correlationId: 'req-1', causationId: 'req-1', actor: { userId: 'user-a', projectId: 'project-a', roles: [] } };
const recorded = (history: VirtualMachineEvent[]): RecordedEvent[] =>
  history.map((e, i) => ({ ...e, id: `evt-${i}`, schemaVersion: 1, metadata: meta, occurredAt: NOW, streamId: `vm-${VM_ID}`, revision: i, position: i + 1, recordedAt: NOW }));
const error = { code: 'Invalid', message: 'admission webhook denied the request' };

describe('server view: compensation and power-state sync', () => {
  it('given a build compensating, when its undo step succeeds, then progress does not move and the server stays BUILD', () => {
    const view = foldServerView(recorded([...events.compensatingBuild(error), events.stepSucceeded('task-create', 'delete-vm-object')]));
    expect(view).toMatchObject({ status: 'BUILD', progress: 50 });
  });

  it('given a compensated build, when the task fails, then ERROR with the fault', () => {
    const view = foldServerView(
      recorded([
        ...events.compensatingBuild(error),
        events.stepSucceeded('task-create', 'delete-vm-object'),
        { type: 'TaskFailed', data: { vmId: VM_ID, taskId: 'task-create', action: 'create', stepId: 'await-running', error, failedAt: NOW } },
      ]),
    );
    expect(view).toMatchObject({ status: 'ERROR', taskState: null, fault: { code: 500, message: error.message, details: null, created: NOW } });
  });

  it('given a stop whose clean-up failed too, when the task fails, then ERROR naming both', () => {
    const view = foldServerView(
      recorded([
        ...events.stopRequested(),
        {
          type: 'TaskFailed',
          data: { vmId: VM_ID, taskId: 'task-stop', action: 'stop', stepId: 'stop-vm', error, failedAt: NOW, cleanupError: { code: 'Timeout', message: 'undo timed out' } },
        },
      ]),
    );
    expect(view?.status).toBe('ERROR');
    expect(view?.powerState).toBe(PowerState.RUNNING);
    expect(view?.fault?.details).toBe('Clean-up failed too: undo timed out');
  });

  it('given an active server, when the cluster showed it stopped, then SHUTOFF', () => {
    const view = foldServerView(
      recorded([
        ...events.built(),
        { type: 'PowerStateSynced', data: { vmId: VM_ID, observed: 'stopped', vmState: 'stopped', powerState: PowerState.SHUTDOWN, observedAt: NOW } },
      ]),
    );
    expect(view).toMatchObject({ status: 'SHUTOFF', vmState: 'stopped', powerState: PowerState.SHUTDOWN });
  });
});

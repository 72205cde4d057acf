import { v7 as uuidv7 } from 'uuid';
import type { NewEvent } from '../../src/adapters/event-store/event-envelope.js';
import { DEFAULT_FLAVORS } from '../../src/domain/flavor/default-flavors.js';
import type { VirtualMachineCommand } from '../../src/domain/virtual-machine/virtual-machine.commands.js';
import { decide, evolve } from '../../src/domain/virtual-machine/virtual-machine.decider.js';
import { VIRTUAL_MACHINE_EVENT_VERSIONS } from '../../src/domain/virtual-machine/virtual-machine.events.js';
import type { VirtualMachineState } from '../../src/domain/virtual-machine/virtual-machine.state.js';

const { isPublic: _p, description: _d, ...flavor } = DEFAULT_FLAVORS[1]!;

/**
 * One VM's realistic history, decided by the real decider (so every event is one the domain would
 * emit): build, stop, start, rename, soft reboot, pause, unpause, a failed stop. 18 events.
 */
export function vmHistory(i: number, startMs: number): NewEvent[] {
  const vmId = uuidv7();
  const projectId = `project-${i % 50}`;
  const userId = `user-${i % 200}`;
  const meta = { requestId: `req-${uuidv7()}`, correlationId: '', causationId: '', actor: { userId, projectId, roles: ['member'] } };
  let state: VirtualMachineState = null;
  let clock = startMs;
  const out: NewEvent[] = [];
  const run = (command: VirtualMachineCommand) => {
    clock += 1_000;
    const now = new Date(clock).toISOString();
    for (const event of decide(command, state, { now })) {
      state = evolve(state, event);
      out.push({
        id: uuidv7(),
        type: event.type,
        schemaVersion: VIRTUAL_MACHINE_EVENT_VERSIONS[event.type],
        data: event.data,
        metadata: { ...meta, correlationId: meta.requestId, causationId: meta.requestId },
        occurredAt: now,
      });
    }
  };
  const task = (make: (taskId: string) => VirtualMachineCommand, steps: string[], fail = false) => {
    const taskId = uuidv7();
    run(make(taskId));
    steps.forEach((stepId, n) => {
      const startedAt = new Date(clock).toISOString();
      if (fail && n === steps.length - 1) {
        run({ type: 'RecordStepFailed', data: { vmId, taskId, stepId, startedAt, error: { code: 'Timeout', message: 'the guest did not shut down' } } });
      } else {
        run({ type: 'RecordStepSucceeded', data: { vmId, taskId, stepId, startedAt, host: `node-${i % 8}` } });
      }
    });
  };
  task(
    (taskId) => ({
      type: 'CreateVM',
      data: { vmId, taskId, name: `vm-${i}`, projectId, userId, flavor, imageRef: 'docker://quay.io/containerdisks/fedora:41', imageSource: 'docker://quay.io/containerdisks/fedora:41', keyName: null, metadata: { tier: 'bench' }, availabilityZone: null, userDataSha256: null },
    }),
    ['create-vm-object', 'await-running'],
  );
  task((taskId) => ({ type: 'StopVM', data: { vmId, taskId } }), ['stop-vm']);
  task((taskId) => ({ type: 'StartVM', data: { vmId, taskId } }), ['start-vm']);
  run({ type: 'RenameVM', data: { vmId, name: `vm-${i}-renamed` } });
  task((taskId) => ({ type: 'RebootVM', data: { vmId, taskId, rebootType: 'SOFT' } }), ['restart-vm']);
  task((taskId) => ({ type: 'PauseVM', data: { vmId, taskId } }), ['pause-vm']);
  task((taskId) => ({ type: 'UnpauseVM', data: { vmId, taskId } }), ['unpause-vm']);
  task((taskId) => ({ type: 'StopVM', data: { vmId, taskId } }), ['stop-vm'], true);
  return out;
}

export const vmStream = (events: NewEvent[]): string => `vm-${(events[0]!.data as { vmId: string }).vmId}`;

import { PowerState } from '../../../src/domain/virtual-machine/nova-states.js';
import { planTask } from '../../../src/domain/virtual-machine/task-plans.js';
import { virtualMachineDecider } from '../../../src/domain/virtual-machine/virtual-machine.decider.js';
import {
  InstanceExistsError,
  InstanceInvalidStateError,
  InstanceNotFoundError,
  InvalidServerInputError,
  LockedByAdminError,
  StepNotInTaskError,
  TaskNotFoundError,
} from '../../../src/domain/virtual-machine/virtual-machine.errors.js';
import type { VirtualMachineEvent } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import { currentTaskState } from '../../../src/domain/virtual-machine/virtual-machine.state.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { NOW, VM_ID, createData, events } from './vm-fixtures.js';

const spec = deciderSpec(virtualMachineDecider, { now: NOW });
const error = { code: 'ClusterUnavailable', message: 'the API server did not answer' };

describe('VirtualMachine decider', () => {
  describe('CreateVM', () => {
    it('given no VM, when created, then VMCreated starts the create task with the flavor snapshot', () => {
      spec.given([]).when({ type: 'CreateVM', data: createData }).then([events.created()]);
    });

    it('given no VM, when created, then it is building and scheduling', () => {
      spec
        .given([])
        .when({ type: 'CreateVM', data: createData })
        .thenState((vm) => {
          expect(vm?.vmState).toBe('building');
          expect(vm && currentTaskState(vm)).toBe('scheduling');
        });
    });

    it('given a VM, when created again with its id, then InstanceExists', () => {
      spec.given([events.created()]).when({ type: 'CreateVM', data: createData }).thenThrows(InstanceExistsError);
    });

    it.each(['', ' padded', 'x'.repeat(256)])('given no VM, when created with name %j, then invalid input', (name) => {
      spec.given([]).when({ type: 'CreateVM', data: { ...createData, name } }).thenThrows(InvalidServerInputError);
    });

    it('given no VM, when created with a metadata value over 255 characters, then invalid input', () => {
      spec
        .given([])
        .when({ type: 'CreateVM', data: { ...createData, metadata: { role: 'x'.repeat(256) } } })
        .thenThrows(InvalidServerInputError, /metadata/);
    });
  });

  describe('step results', () => {
    it('given a create task, when its first step succeeds, then the step is recorded and the task goes on spawning', () => {
      spec
        .given([events.created()])
        .when({ type: 'RecordStepSucceeded', data: { vmId: VM_ID, taskId: 'task-create', stepId: 'create-vm-object', startedAt: NOW, host: 'node-1' } })
        .thenState((vm) => {
          expect(vm && currentTaskState(vm)).toBe('spawning');
          expect(vm?.host).toBe('node-1');
        });
    });

    it('given a create task with one step left, when it succeeds, then the VM is built on the reported host', () => {
      spec
        .given([events.created(), events.stepSucceeded('task-create', 'create-vm-object', 'node-1')])
        .when({ type: 'RecordStepSucceeded', data: { vmId: VM_ID, taskId: 'task-create', stepId: 'await-running', startedAt: NOW } })
        .then([
          events.stepSucceeded('task-create', 'await-running'),
          { type: 'VMBuilt', data: { vmId: VM_ID, taskId: 'task-create', launchedAt: NOW, host: 'node-1' } },
        ]);
    });

    it('given a step already recorded, when its result arrives again, then nothing happens (idempotent by step id)', () => {
      spec
        .given([events.created(), events.stepSucceeded('task-create', 'create-vm-object')])
        .when({ type: 'RecordStepSucceeded', data: { vmId: VM_ID, taskId: 'task-create', stepId: 'create-vm-object', startedAt: NOW } })
        .thenNothing();
    });

    it('given a finished task, when a late duplicate result arrives, then nothing happens', () => {
      spec
        .given(events.built())
        .when({ type: 'RecordStepSucceeded', data: { vmId: VM_ID, taskId: 'task-create', stepId: 'await-running', startedAt: NOW } })
        .thenNothing();
    });

    it('given a finished task, when a late failure arrives, then nothing happens', () => {
      spec
        .given(events.built())
        .when({ type: 'RecordStepFailed', data: { vmId: VM_ID, taskId: 'task-create', stepId: 'await-running', startedAt: NOW, error } })
        .thenNothing();
    });

    it('given a task, when a step it does not have reports, then StepNotInTask', () => {
      spec
        .given([events.created()])
        .when({ type: 'RecordStepSucceeded', data: { vmId: VM_ID, taskId: 'task-create', stepId: 'stop-vm', startedAt: NOW } })
        .thenThrows(StepNotInTaskError);
    });

    it('given a VM, when a result names a task it never ran, then TaskNotFound', () => {
      spec
        .given(events.built())
        .when({ type: 'RecordStepSucceeded', data: { vmId: VM_ID, taskId: 'nope', stepId: 'stop-vm', startedAt: NOW } })
        .thenThrows(TaskNotFoundError);
    });

    it('given no VM, when a step result arrives, then InstanceNotFound', () => {
      spec
        .given([])
        .when({ type: 'RecordStepSucceeded', data: { vmId: VM_ID, taskId: 't', stepId: 's', startedAt: NOW } })
        .thenThrows(InstanceNotFoundError);
    });

    it('given a create task, when its first step fails, then the half-done step is undone first (compensation)', () => {
      spec
        .given([events.created()])
        .when({ type: 'RecordStepFailed', data: { vmId: VM_ID, taskId: 'task-create', stepId: 'create-vm-object', startedAt: NOW, error } })
        .then([
          { type: 'TaskStepFailed', data: { vmId: VM_ID, taskId: 'task-create', stepId: 'create-vm-object', startedAt: NOW, finishedAt: NOW, error } },
          { type: 'TaskCompensationStarted', data: { vmId: VM_ID, taskId: 'task-create', failedStepId: 'create-vm-object', error, undoSteps: ['delete-vm-object'] } },
        ]);
    });

    it('given a failed build compensating, when the undo step succeeds, then the task fails and the VM is in ERROR with the original fault', () => {
      spec
        .given(events.compensatingBuild(error))
        .when({ type: 'RecordStepSucceeded', data: { vmId: VM_ID, taskId: 'task-create', stepId: 'delete-vm-object', startedAt: NOW } })
        .then([
          events.stepSucceeded('task-create', 'delete-vm-object'),
          { type: 'TaskFailed', data: { vmId: VM_ID, taskId: 'task-create', action: 'create', stepId: 'await-running', error, failedAt: NOW } },
        ]);
      spec
        .given(events.compensatingBuild(error))
        .when({ type: 'RecordStepSucceeded', data: { vmId: VM_ID, taskId: 'task-create', stepId: 'delete-vm-object', startedAt: NOW } })
        .thenState((vm) => {
          expect(vm?.vmState).toBe('error');
          expect(vm?.task).toBeNull();
          expect(vm?.fault).toEqual(error);
        });
    });

    it('given a failed build compensating, when the undo step fails too, then the task fails with the cleanup error recorded', () => {
      const cleanup = { code: 'ClusterUnavailable', message: 'delete timed out' };
      spec
        .given(events.compensatingBuild(error))
        .when({ type: 'RecordStepFailed', data: { vmId: VM_ID, taskId: 'task-create', stepId: 'delete-vm-object', startedAt: NOW, error: cleanup } })
        .then([
          { type: 'TaskStepFailed', data: { vmId: VM_ID, taskId: 'task-create', stepId: 'delete-vm-object', startedAt: NOW, finishedAt: NOW, error: cleanup } },
          { type: 'TaskFailed', data: { vmId: VM_ID, taskId: 'task-create', action: 'create', stepId: 'await-running', error, failedAt: NOW, cleanupError: cleanup } },
        ]);
    });

    it('given a build compensating, when a late forward step result arrives, then nothing happens', () => {
      spec
        .given(events.compensatingBuild(error))
        .when({ type: 'RecordStepSucceeded', data: { vmId: VM_ID, taskId: 'task-create', stepId: 'await-running', startedAt: NOW } })
        .thenNothing();
    });

    it('given a build compensating, when the undo result arrives twice, then the second changes nothing', () => {
      spec
        .given([...events.compensatingBuild(error), events.stepSucceeded('task-create', 'delete-vm-object')])
        .when({ type: 'RecordStepSucceeded', data: { vmId: VM_ID, taskId: 'task-create', stepId: 'delete-vm-object', startedAt: NOW } })
        .thenNothing();
    });

    it('given a running stop task, when its step fails, then the VM is back ACTIVE and running', () => {
      spec
        .given(events.stopRequested())
        .when({ type: 'RecordStepFailed', data: { vmId: VM_ID, taskId: 'task-stop', stepId: 'stop-vm', startedAt: NOW, error } })
        .thenState((vm) => {
          expect(vm?.vmState).toBe('active');
          expect(vm?.powerState).toBe(PowerState.RUNNING);
          expect(vm?.task).toBeNull();
          expect(vm?.fault).toBeNull();
        });
    });
  });

  describe('lifecycle actions', () => {
    it('given an active VM, when stopped, then the stop task starts powering-off', () => {
      spec
        .given(events.built())
        .when({ type: 'StopVM', data: { vmId: VM_ID, taskId: 'task-stop' } })
        .then([{ type: 'VMStopRequested', data: { vmId: VM_ID, task: planTask('task-stop', 'stop') } }]);
    });

    it('given a stop completes, then the VM is stopped and shut down', () => {
      spec
        .given(events.stopRequested())
        .when({ type: 'RecordStepSucceeded', data: { vmId: VM_ID, taskId: 'task-stop', stepId: 'stop-vm', startedAt: NOW } })
        .thenState((vm) => {
          expect(vm?.vmState).toBe('stopped');
          expect(vm?.powerState).toBe(PowerState.SHUTDOWN);
        });
    });

    it("given a stopped VM, when stopped, then Nova's message names the vm_state", () => {
      spec
        .given(events.stopped())
        .when({ type: 'StopVM', data: { vmId: VM_ID, taskId: 't2' } })
        .thenThrows(InstanceInvalidStateError, `Cannot 'stop' instance ${VM_ID} while it is in vm_state stopped`);
    });

    it("given a VM powering off, when rebooted, then the message names the task_state", () => {
      spec
        .given(events.stopRequested())
        .when({ type: 'RebootVM', data: { vmId: VM_ID, taskId: 't2', rebootType: 'SOFT' } })
        .thenThrows(InstanceInvalidStateError, `Cannot 'reboot' instance ${VM_ID} while it is in task_state powering-off`);
    });

    it('given a building VM, when started, then refused by vm_state building', () => {
      spec
        .given([events.created()])
        .when({ type: 'StartVM', data: { vmId: VM_ID, taskId: 't2' } })
        .thenThrows(InstanceInvalidStateError, 'vm_state building');
    });

    it('given a stopped VM, when started, then the start task begins', () => {
      spec
        .given(events.stopped())
        .when({ type: 'StartVM', data: { vmId: VM_ID, taskId: 'task-start' } })
        .then([{ type: 'VMStartRequested', data: { vmId: VM_ID, task: planTask('task-start', 'start') } }]);
    });

    it('given an active VM, when started, then refused', () => {
      spec.given(events.built()).when({ type: 'StartVM', data: { vmId: VM_ID, taskId: 't' } }).thenThrows(InstanceInvalidStateError, 'vm_state active');
    });

    it('given a stopped VM, when soft rebooted, then refused; when hard rebooted, then rebooting_hard', () => {
      spec
        .given(events.stopped())
        .when({ type: 'RebootVM', data: { vmId: VM_ID, taskId: 't', rebootType: 'SOFT' } })
        .thenThrows(InstanceInvalidStateError, 'vm_state stopped');
      spec
        .given(events.stopped())
        .when({ type: 'RebootVM', data: { vmId: VM_ID, taskId: 't', rebootType: 'HARD' } })
        .thenState((vm) => expect(vm && currentTaskState(vm)).toBe('rebooting_hard'));
    });

    it('given a hard reboot of a stopped VM completes, then the VM is active', () => {
      spec
        .given([
          ...events.stopped(),
          { type: 'VMRebootRequested', data: { vmId: VM_ID, rebootType: 'HARD', task: planTask('t', 'reboot', 'HARD') } },
        ])
        .when({ type: 'RecordStepSucceeded', data: { vmId: VM_ID, taskId: 't', stepId: 'restart-vm', startedAt: NOW } })
        .then([events.stepSucceeded('t', 'restart-vm'), { type: 'VMRebooted', data: { vmId: VM_ID, taskId: 't' } }]);
    });

    it('given an active VM, when paused, then the pause task starts; given a paused VM, when unpaused, then the unpause task starts', () => {
      spec
        .given(events.built())
        .when({ type: 'PauseVM', data: { vmId: VM_ID, taskId: 'task-pause' } })
        .then([{ type: 'VMPauseRequested', data: { vmId: VM_ID, task: planTask('task-pause', 'pause') } }]);
      spec
        .given(events.paused())
        .when({ type: 'UnpauseVM', data: { vmId: VM_ID, taskId: 'task-unpause' } })
        .then([{ type: 'VMUnpauseRequested', data: { vmId: VM_ID, task: planTask('task-unpause', 'unpause') } }]);
    });

    it('given a paused VM, when paused again, then refused', () => {
      spec.given(events.paused()).when({ type: 'PauseVM', data: { vmId: VM_ID, taskId: 't' } }).thenThrows(InstanceInvalidStateError, 'vm_state paused');
    });

    it('given an active VM, when unpaused, then refused', () => {
      spec.given(events.built()).when({ type: 'UnpauseVM', data: { vmId: VM_ID, taskId: 't' } }).thenThrows(InstanceInvalidStateError, 'vm_state active');
    });
  });

  describe('ExpireTask (deadline)', () => {
    it('given a stop task past its deadline, when expired, then the pending step fails with a timeout and the VM is back ACTIVE', () => {
      const timeout = { code: 'TaskTimeout', message: 'The stop task did not finish within its deadline of 300 s.' };
      spec
        .given(events.stopRequested())
        .when({ type: 'ExpireTask', data: { vmId: VM_ID, taskId: 'task-stop', deadlineMs: 300_000 } })
        .then([
          { type: 'TaskStepFailed', data: { vmId: VM_ID, taskId: 'task-stop', stepId: 'stop-vm', startedAt: NOW, finishedAt: NOW, error: timeout } },
          { type: 'TaskFailed', data: { vmId: VM_ID, taskId: 'task-stop', action: 'stop', stepId: 'stop-vm', error: timeout, failedAt: NOW } },
        ]);
      spec
        .given(events.stopRequested())
        .when({ type: 'ExpireTask', data: { vmId: VM_ID, taskId: 'task-stop', deadlineMs: 300_000 } })
        .thenState((vm) => expect(vm?.vmState).toBe('active'));
    });

    it('given a build waiting to run past its deadline, when expired, then the VM object is undone before the build fails', () => {
      spec
        .given([events.created(), events.stepSucceeded('task-create', 'create-vm-object', 'node-1')])
        .when({ type: 'ExpireTask', data: { vmId: VM_ID, taskId: 'task-create', deadlineMs: 600_000 } })
        .thenState((vm) => {
          expect(vm?.task?.compensation).toMatchObject({ failedStepId: 'await-running', undoSteps: ['delete-vm-object'] });
          expect(vm?.task?.compensation?.error.code).toBe('TaskTimeout');
        });
    });

    it('given a compensation that hangs past the deadline, when expired, then the task fails at once with the timeout as cleanup error', () => {
      spec
        .given(events.compensatingBuild(error))
        .when({ type: 'ExpireTask', data: { vmId: VM_ID, taskId: 'task-create', deadlineMs: 600_000 } })
        .thenState((vm) => {
          expect(vm?.vmState).toBe('error');
          expect(vm?.task).toBeNull();
        });
    });

    it('given a compensation the deadline itself started, when the deadline fires again, then nothing happens and the undo runs on', () => {
      const built = [events.created(), events.stepSucceeded('task-create', 'create-vm-object', 'node-1')];
      const expire = { type: 'ExpireTask', data: { vmId: VM_ID, taskId: 'task-create', deadlineMs: 600_000 } } as const;
      const state = built.reduce(virtualMachineDecider.evolve, virtualMachineDecider.initialState());
      const timedOut = virtualMachineDecider.decide(expire, state, { now: NOW });
      expect(timedOut.map((e) => e.type)).toEqual(['TaskStepFailed', 'TaskCompensationStarted']);
      spec.given([...built, ...timedOut]).when(expire).thenNothing();
    });

    it('given a task that already ended, when its deadline fires, then nothing happens', () => {
      spec.given(events.built()).when({ type: 'ExpireTask', data: { vmId: VM_ID, taskId: 'task-create', deadlineMs: 1 } }).thenNothing();
    });
  });

  describe('RecordObservedPowerState (power-state sync)', () => {
    it('given an active VM, when the cluster shows it stopped, then it is recorded stopped and shut down', () => {
      spec
        .given(events.built())
        .when({ type: 'RecordObservedPowerState', data: { vmId: VM_ID, observed: 'stopped' } })
        .then([{ type: 'PowerStateSynced', data: { vmId: VM_ID, observed: 'stopped', vmState: 'stopped', powerState: PowerState.SHUTDOWN, observedAt: NOW } }]);
    });

    it('given an active VM, when the cluster shows it crashed, then stopped with power state CRASHED', () => {
      spec
        .given(events.built())
        .when({ type: 'RecordObservedPowerState', data: { vmId: VM_ID, observed: 'crashed' } })
        .thenState((vm) => expect([vm?.vmState, vm?.powerState]).toEqual(['stopped', PowerState.CRASHED]));
    });

    it('given a stopped VM, when the cluster shows it running, then active again', () => {
      spec
        .given(events.stopped())
        .when({ type: 'RecordObservedPowerState', data: { vmId: VM_ID, observed: 'running' } })
        .thenState((vm) => expect([vm?.vmState, vm?.powerState]).toEqual(['active', PowerState.RUNNING]));
    });

    it('given an active VM, when the cluster agrees, then nothing is recorded', () => {
      spec.given(events.built()).when({ type: 'RecordObservedPowerState', data: { vmId: VM_ID, observed: 'running' } }).thenNothing();
    });

    it('given a VM in a task, when the cluster differs, then nothing is recorded (the task owns the state)', () => {
      spec.given(events.stopRequested()).when({ type: 'RecordObservedPowerState', data: { vmId: VM_ID, observed: 'stopped' } }).thenNothing();
    });

    it('given a building or deleted VM, when observed, then nothing is recorded', () => {
      spec.given([events.created()]).when({ type: 'RecordObservedPowerState', data: { vmId: VM_ID, observed: 'missing' } }).thenNothing();
      spec.given(events.deleted()).when({ type: 'RecordObservedPowerState', data: { vmId: VM_ID, observed: 'missing' } }).thenNothing();
    });
  });

  describe('LockVM / UnlockVM', () => {
    it('given an active VM, when locked with a reason, then VMLocked; locking again changes nothing', () => {
      const locked: VirtualMachineEvent = { type: 'VMLocked', data: { vmId: VM_ID, reason: 'maintenance', lockedBy: 'owner' } };
      spec.given(events.built()).when({ type: 'LockVM', data: { vmId: VM_ID, reason: 'maintenance', lockedBy: 'owner' } }).then([locked]);
      spec.given([...events.built(), locked]).when({ type: 'LockVM', data: { vmId: VM_ID, reason: null, lockedBy: 'admin' } }).thenNothing();
    });

    it("given an owner's lock, when the owner unlocks, then VMUnlocked; unlocking an unlocked VM changes nothing", () => {
      const locked: VirtualMachineEvent = { type: 'VMLocked', data: { vmId: VM_ID, reason: null, lockedBy: 'owner' } };
      spec.given([...events.built(), locked]).when({ type: 'UnlockVM', data: { vmId: VM_ID, byAdmin: false } }).then([{ type: 'VMUnlocked', data: { vmId: VM_ID } }]);
      spec.given(events.built()).when({ type: 'UnlockVM', data: { vmId: VM_ID, byAdmin: false } }).thenNothing();
    });

    it("given an admin's lock, when a non-admin unlocks, then LockedByAdmin; an admin may", () => {
      const locked: VirtualMachineEvent = { type: 'VMLocked', data: { vmId: VM_ID, reason: null, lockedBy: 'admin' } };
      spec.given([...events.built(), locked]).when({ type: 'UnlockVM', data: { vmId: VM_ID, byAdmin: false } }).thenThrows(LockedByAdminError);
      spec.given([...events.built(), locked]).when({ type: 'UnlockVM', data: { vmId: VM_ID, byAdmin: true } }).then([{ type: 'VMUnlocked', data: { vmId: VM_ID } }]);
    });
  });

  describe('RenameVM', () => {
    it('given a VM, when renamed, then VMRenamed with the previous name', () => {
      spec
        .given(events.built())
        .when({ type: 'RenameVM', data: { vmId: VM_ID, name: 'db-2' } })
        .then([{ type: 'VMRenamed', data: { vmId: VM_ID, name: 'db-2', previousName: 'db-1' } }]);
    });

    it('given a VM, when renamed to its own name, then nothing happens', () => {
      spec.given(events.built()).when({ type: 'RenameVM', data: { vmId: VM_ID, name: 'db-1' } }).thenNothing();
    });

    it('given a VM in a task, when renamed, then allowed (Nova renames in any state)', () => {
      spec.given(events.stopRequested()).when({ type: 'RenameVM', data: { vmId: VM_ID, name: 'x' } }).thenState((vm) => expect(vm?.name).toBe('x'));
    });
  });

  describe('DeleteVM', () => {
    it('given an active VM, when deleted, then the delete task starts', () => {
      spec
        .given(events.built())
        .when({ type: 'DeleteVM', data: { vmId: VM_ID, taskId: 'task-del' } })
        .then([{ type: 'VMDeleteRequested', data: { vmId: VM_ID, task: planTask('task-del', 'delete'), supersededTaskId: null } }]);
    });

    it('given a VM stuck building, when deleted, then the build task is superseded and its late results ignored', () => {
      spec
        .given([events.created()])
        .when({ type: 'DeleteVM', data: { vmId: VM_ID, taskId: 'task-del' } })
        .then([{ type: 'VMDeleteRequested', data: { vmId: VM_ID, task: planTask('task-del', 'delete'), supersededTaskId: 'task-create' } }]);
      spec
        .given([events.created(), { type: 'VMDeleteRequested', data: { vmId: VM_ID, task: planTask('task-del', 'delete'), supersededTaskId: 'task-create' } }])
        .when({ type: 'RecordStepSucceeded', data: { vmId: VM_ID, taskId: 'task-create', stepId: 'create-vm-object', startedAt: NOW } })
        .thenNothing();
    });

    it('given a VM being deleted, when deleted again, then nothing happens', () => {
      spec
        .given([...events.built(), { type: 'VMDeleteRequested', data: { vmId: VM_ID, task: planTask('task-del', 'delete'), supersededTaskId: null } }])
        .when({ type: 'DeleteVM', data: { vmId: VM_ID, taskId: 'again' } })
        .thenNothing();
    });

    it('given a deleted VM, when any action, then InstanceNotFound', () => {
      spec.given(events.deleted()).when({ type: 'StopVM', data: { vmId: VM_ID, taskId: 't' } }).thenThrows(InstanceNotFoundError);
      spec.given(events.deleted()).when({ type: 'DeleteVM', data: { vmId: VM_ID, taskId: 't' } }).thenThrows(InstanceNotFoundError);
      spec.given(events.deleted()).when({ type: 'RenameVM', data: { vmId: VM_ID, name: 'n' } }).thenThrows(InstanceNotFoundError);
    });

    it('given no VM, when stopped, then InstanceNotFound', () => {
      spec.given([]).when({ type: 'StopVM', data: { vmId: VM_ID, taskId: 't' } }).thenThrows(InstanceNotFoundError, `Instance ${VM_ID} could not be found.`);
    });
  });
});

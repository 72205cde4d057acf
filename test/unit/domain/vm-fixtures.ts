import type { FlavorSnapshot } from '../../../src/domain/flavor/flavor-snapshot.js';
import { planTask } from '../../../src/domain/virtual-machine/task-plans.js';
import type { VirtualMachineEvent } from '../../../src/domain/virtual-machine/virtual-machine.events.js';

export const NOW = '2026-11-22T10:00:00.000Z';
export const VM_ID = '0190f5f4-0000-7000-8000-000000000001';

export const TINY: FlavorSnapshot = {
  id: '1',
  name: 'm1.tiny',
  vcpus: 1,
  ramMb: 512,
  diskGb: 1,
  ephemeralGb: 0,
  swapMb: 0,
  maxVcpus: 4,
  maxRamMb: 2048,
  extraSpecs: {},
};

export const createData = {
  vmId: VM_ID,
  taskId: 'task-create',
  name: 'db-1',
  projectId: 'project-a',
  userId: 'user-a',
  flavor: TINY,
  imageRef: 'docker://quay.io/containerdisks/fedora:41',
  imageSource: 'docker://quay.io/containerdisks/fedora:41',
  keyName: null,
  metadata: {},
  availabilityZone: null,
  userDataSha256: null,
};

/** Event builders for the usual histories. */
export const events = {
  created(): VirtualMachineEvent {
    const { taskId, ...rest } = createData;
    return { type: 'VMCreated', data: { ...rest, createdAt: NOW, task: planTask(taskId, 'create') } };
  },
  stepSucceeded(taskId: string, stepId: string, host?: string): VirtualMachineEvent {
    return {
      type: 'TaskStepSucceeded',
      data: { vmId: VM_ID, taskId, stepId, startedAt: NOW, finishedAt: NOW, ...(host ? { host } : {}) },
    };
  },
  built(): VirtualMachineEvent[] {
    return [
      events.created(),
      events.stepSucceeded('task-create', 'create-vm-object', 'node-1'),
      events.stepSucceeded('task-create', 'await-running'),
      { type: 'VMBuilt', data: { vmId: VM_ID, taskId: 'task-create', launchedAt: NOW, host: 'node-1' } },
    ];
  },
  /** A build whose await-running step failed, now undoing its VM object. */
  compensatingBuild(error: { code: string; message: string }): VirtualMachineEvent[] {
    return [
      events.created(),
      events.stepSucceeded('task-create', 'create-vm-object', 'node-1'),
      { type: 'TaskStepFailed', data: { vmId: VM_ID, taskId: 'task-create', stepId: 'await-running', startedAt: NOW, finishedAt: NOW, error } },
      { type: 'TaskCompensationStarted', data: { vmId: VM_ID, taskId: 'task-create', failedStepId: 'await-running', error, undoSteps: ['delete-vm-object'] } },
    ];
  },
  stopped(): VirtualMachineEvent[] {
    return [
      ...events.built(),
      { type: 'VMStopRequested', data: { vmId: VM_ID, task: planTask('task-stop', 'stop') } },
      events.stepSucceeded('task-stop', 'stop-vm'),
      { type: 'VMStopped', data: { vmId: VM_ID, taskId: 'task-stop' } },
    ];
  },
  stopRequested(): VirtualMachineEvent[] {
    return [...events.built(), { type: 'VMStopRequested', data: { vmId: VM_ID, task: planTask('task-stop', 'stop') } }];
  },
  paused(): VirtualMachineEvent[] {
    return [
      ...events.built(),
      { type: 'VMPauseRequested', data: { vmId: VM_ID, task: planTask('task-pause', 'pause') } },
      events.stepSucceeded('task-pause', 'pause-vm'),
      { type: 'VMPaused', data: { vmId: VM_ID, taskId: 'task-pause' } },
    ];
  },
  deleted(): VirtualMachineEvent[] {
    return [
      ...events.built(),
      { type: 'VMDeleteRequested', data: { vmId: VM_ID, task: planTask('task-del', 'delete'), supersededTaskId: null } },
      events.stepSucceeded('task-del', 'delete-vm-object'),
      { type: 'VMDeleted', data: { vmId: VM_ID, taskId: 'task-del', deletedAt: NOW } },
    ];
  },
};

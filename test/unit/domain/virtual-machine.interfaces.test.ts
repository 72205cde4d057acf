import { PortAlreadyAttachedError, PortNotAttachedError, planAttachInterface, planDetachInterface, type VmInterface } from '../../../src/domain/virtual-machine/interface-attachment.js';
import { novaStatus } from '../../../src/domain/virtual-machine/nova-status.js';
import { virtualMachineDecider } from '../../../src/domain/virtual-machine/virtual-machine.decider.js';
import { InstanceInvalidStateError } from '../../../src/domain/virtual-machine/virtual-machine.errors.js';
import type { VirtualMachineEvent } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import { currentTaskState } from '../../../src/domain/virtual-machine/virtual-machine.state.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { NOW, VM_ID, events } from './vm-fixtures.js';

const spec = deciderSpec(virtualMachineDecider, { now: NOW });
const boom = { code: 'Boom', message: 'the cluster said no' };

const NIC: VmInterface = {
  portId: 'port-1',
  networkId: 'net-1',
  networkName: 'private',
  macAddress: 'fa:16:3e:00:00:01',
  fixedIps: [{ subnetId: 'sub-4', ipAddress: '10.0.0.5', version: 4 }],
  vnicType: 'normal',
  autoCreated: false,
};
const ok = (taskId: string, stepId: string) => events.stepSucceeded(taskId, stepId);
const attachRequested = (): VirtualMachineEvent => ({ type: 'VMInterfaceAttachRequested', data: { vmId: VM_ID, task: planAttachInterface('t-att', true), interface: NIC } });
const attached = (): VirtualMachineEvent[] => [
  ...events.built(),
  attachRequested(),
  ...['bind-port', 'create-fabric-port', 'attach-nic', 'await-nic', 'confirm-port-binding'].map((s) => ok('t-att', s)),
  { type: 'VMInterfaceAttached', data: { vmId: VM_ID, taskId: 't-att', interface: NIC } },
];
const record = (taskId: string, stepId: string) => ({ type: 'RecordStepSucceeded' as const, data: { vmId: VM_ID, taskId, stepId, startedAt: NOW } });
const recordFailure = (taskId: string, stepId: string) => ({ type: 'RecordStepFailed' as const, data: { vmId: VM_ID, taskId, stepId, startedAt: NOW, error: boom } });

describe('AttachInterface (AttachNic)', () => {
  it('given an active VM, when a port is attached, then a task binds it, plugs it and waits for the VMI', () => {
    spec.given(events.built()).when({ type: 'AttachInterface', data: { vmId: VM_ID, taskId: 't-att', interface: NIC } }).then([attachRequested()]);
  });

  it('given a stopped VM, then the interface goes into its template and nothing waits for a VMI', () => {
    expect(planAttachInterface('t', false).steps).toEqual(['bind-port', 'create-fabric-port', 'attach-nic', 'confirm-port-binding']);
    expect(planDetachInterface('t', false).steps).toEqual(['detach-nic', 'unbind-port', 'delete-fabric-port', 'confirm-port-unbinding']);
  });

  it('given a VM running another task, then it is Nova\'s 409 naming the task state', () => {
    spec
      .given([...events.built(), attachRequested()])
      .when({ type: 'AttachInterface', data: { vmId: VM_ID, taskId: 't-2', interface: { ...NIC, portId: 'port-2' } } })
      .thenThrows(InstanceInvalidStateError, "Cannot 'attach_interface' instance " + VM_ID + ' while it is in task_state interface_attaching');
  });

  it('given a building VM, then it is refused by vm_state', () => {
    spec.given([events.created()]).when({ type: 'AttachInterface', data: { vmId: VM_ID, taskId: 't', interface: NIC } }).thenThrows(InstanceInvalidStateError, /vm_state building/);
  });

  it('given the port is attached already, then PortInUse', () => {
    spec.given(attached()).when({ type: 'AttachInterface', data: { vmId: VM_ID, taskId: 't', interface: NIC } }).thenThrows(PortAlreadyAttachedError);
  });

  it('when the last step succeeds, then the interface is the VM\'s and the server is ACTIVE again', () => {
    const history = [...events.built(), attachRequested(), ...['bind-port', 'create-fabric-port', 'attach-nic', 'await-nic'].map((s) => ok('t-att', s))];
    spec.given(history).when(record('t-att', 'confirm-port-binding')).thenState((vm) => {
      expect(vm!.interfaces).toEqual([NIC]);
      expect(vm!.nic).toBeNull();
      expect(vm!.task).toBeNull();
      expect(novaStatus(vm!.vmState, currentTaskState(vm!))).toBe('ACTIVE');
    });
  });

  it('when the cluster attach fails, then the fabric port and the binding are undone, newest first', () => {
    const history = [...events.built(), attachRequested(), ok('t-att', 'bind-port'), ok('t-att', 'create-fabric-port')];
    spec
      .given(history)
      .when(recordFailure('t-att', 'attach-nic'))
      .then([
        { type: 'TaskStepFailed', data: { vmId: VM_ID, taskId: 't-att', stepId: 'attach-nic', startedAt: NOW, finishedAt: NOW, error: boom } },
        {
          type: 'TaskCompensationStarted',
          data: { vmId: VM_ID, taskId: 't-att', failedStepId: 'attach-nic', error: boom, undoSteps: ['detach-nic', 'delete-fabric-port', 'fail-port-binding'] },
        },
      ]);
  });

  it('when the undo finishes, then attach_interface failed and the VM is ACTIVE without the interface', () => {
    const history = [
      ...events.built(),
      attachRequested(),
      ok('t-att', 'bind-port'),
      { type: 'TaskStepFailed', data: { vmId: VM_ID, taskId: 't-att', stepId: 'create-fabric-port', startedAt: NOW, finishedAt: NOW, error: boom } },
      { type: 'TaskCompensationStarted', data: { vmId: VM_ID, taskId: 't-att', failedStepId: 'create-fabric-port', error: boom, undoSteps: ['delete-fabric-port', 'fail-port-binding'] } },
      ok('t-att', 'delete-fabric-port'),
    ] satisfies VirtualMachineEvent[];
    spec.given(history).when(record('t-att', 'fail-port-binding')).thenState((vm) => {
      expect(vm!.interfaces).toEqual([]);
      expect(vm!.vmState).toBe('active');
      expect(vm!.task).toBeNull();
    });
  });
});

describe('DetachInterface (DetachNic)', () => {
  it('given an attached port, when detached, then the interface leaves the cluster before the port is unbound', () => {
    spec
      .given(attached())
      .when({ type: 'DetachInterface', data: { vmId: VM_ID, taskId: 't-det', portId: NIC.portId } })
      .then([{ type: 'VMInterfaceDetachRequested', data: { vmId: VM_ID, task: planDetachInterface('t-det', true), interface: NIC } }]);
    expect(planDetachInterface('t', true).steps).toEqual(['detach-nic', 'await-nic-gone', 'unbind-port', 'delete-fabric-port', 'confirm-port-unbinding']);
  });

  it('given a port the VM does not have, then Nova\'s 404 "is not attached"', () => {
    spec.given(events.built()).when({ type: 'DetachInterface', data: { vmId: VM_ID, taskId: 't', portId: 'port-9' } }).thenThrows(PortNotAttachedError, 'Port port-9 is not attached');
  });

  it('when the detach finishes, then the VM no longer has the interface', () => {
    const history = [
      ...attached(),
      { type: 'VMInterfaceDetachRequested', data: { vmId: VM_ID, task: planDetachInterface('t-det', true), interface: NIC } },
      ...['detach-nic', 'await-nic-gone', 'unbind-port', 'delete-fabric-port'].map((s) => ok('t-det', s)),
    ] satisfies VirtualMachineEvent[];
    spec.given(history).when(record('t-det', 'confirm-port-unbinding')).then([
      ok('t-det', 'confirm-port-unbinding'),
      { type: 'VMInterfaceDetached', data: { vmId: VM_ID, taskId: 't-det', interface: NIC } },
    ]);
  });

  it('when the cluster detach fails, then nothing is undone: the port stays bound and the task fails', () => {
    const history = [...attached(), { type: 'VMInterfaceDetachRequested', data: { vmId: VM_ID, task: planDetachInterface('t-det', true), interface: NIC } }] satisfies VirtualMachineEvent[];
    spec.given(history).when(recordFailure('t-det', 'detach-nic')).thenState((vm) => {
      expect(vm!.interfaces).toEqual([NIC]);
      expect(vm!.task).toBeNull();
    });
  });
});

import { PortAlreadyAttachedError, type VmInterface } from '../../../src/domain/virtual-machine/interface-attachment.js';
import { compensationFor, planCreate } from '../../../src/domain/virtual-machine/task-plans.js';
import { virtualMachineDecider } from '../../../src/domain/virtual-machine/virtual-machine.decider.js';
import type { VirtualMachineEvent } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { NOW, VM_ID, createData } from './vm-fixtures.js';

const spec = deciderSpec(virtualMachineDecider, { now: NOW });

const nic = (portId: string, autoCreated: boolean): VmInterface => ({
  portId,
  networkId: 'net-1',
  networkName: 'private',
  macAddress: 'fa:16:3e:00:00:01',
  fixedIps: [{ subnetId: 'sub-4', ipAddress: '10.0.0.5', version: 4 }],
  vnicType: 'normal',
  autoCreated,
});

describe('CreateVM with ports (networks at boot)', () => {
  it('given ports, when created, then the create task binds them before the VM object and plugs them once it runs', () => {
    const interfaces = [nic('made', true), nic('given', false)];
    const { taskId, ...rest } = createData;
    const created: VirtualMachineEvent = { type: 'VMCreated', data: { ...rest, interfaces, createdAt: NOW, task: planCreate(taskId, true) } };
    spec.given([]).when({ type: 'CreateVM', data: { ...createData, interfaces } }).then([created]);
    expect(planCreate('t', true).steps).toEqual(['bind-boot-ports', 'create-vm-object', 'await-running', 'plug-boot-ports']);
    expect(virtualMachineDecider.evolve(null, created)!.interfaces).toEqual(interfaces);
  });

  it('given no ports, then the plain create plan', () => {
    expect(planCreate('t', false).steps).toEqual(['create-vm-object', 'await-running']);
  });

  it('given a build that fails after binding, then its undo releases the ports after the VM object is gone', () => {
    expect(compensationFor(['bind-boot-ports', 'create-vm-object'], 'await-running')).toEqual(['delete-vm-object', 'release-boot-ports']);
    expect(compensationFor([], 'bind-boot-ports')).toEqual(['release-boot-ports']);
  });

  it('given the same port twice, then PortInUse', () => {
    spec.given([]).when({ type: 'CreateVM', data: { ...createData, vmId: VM_ID, interfaces: [nic('p', false), nic('p', false)] } }).thenThrows(PortAlreadyAttachedError, /Port p is still in use/);
  });
});

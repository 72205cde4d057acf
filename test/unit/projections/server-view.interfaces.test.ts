import type { RecordedEvent } from '../../../src/adapters/event-store/event-envelope.js';
import { planAttachInterface, planDetachInterface, type VmInterface } from '../../../src/domain/virtual-machine/interface-attachment.js';
import type { VirtualMachineEvent } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import { foldServerView } from '../../../src/projections/servers/server-view.js';
import { serverJson } from '../../../src/api/compute/server-json.js';
import { MIN_MICROVERSION } from '../../../src/api/compute/microversion.js';
import { NOW, VM_ID, events } from '../domain/vm-fixtures.js';

const meta = { requestId: 'req-1', correlationId: 'req-1', causationId: 'req-1', actor: { userId: 'user-a', projectId: 'project-a', roles: [] } };
const recorded = (history: VirtualMachineEvent[]): RecordedEvent[] =>
  history.map((e, i) => ({ ...e, id: `evt-${i}`, schemaVersion: 1, metadata: meta, occurredAt: NOW, streamId: `vm-${VM_ID}`, revision: i, position: i + 1, recordedAt: NOW }));

const dual: VmInterface = {
  portId: 'port-1',
  networkId: 'net-1',
  networkName: 'private',
  macAddress: 'fa:16:3e:00:00:01',
  fixedIps: [
    { subnetId: 's4', ipAddress: '10.0.0.5', version: 4 },
    { subnetId: 's6', ipAddress: 'fd00::5', version: 6 },
  ],
  vnicType: 'normal',
  autoCreated: false,
};
const other: VmInterface = { ...dual, portId: 'port-2', macAddress: 'fa:16:3e:00:00:02', fixedIps: [{ subnetId: 's4', ipAddress: '10.0.0.6', version: 4 }] };
const attach = (nic: VmInterface, taskId: string): VirtualMachineEvent[] => [
  { type: 'VMInterfaceAttachRequested', data: { vmId: VM_ID, task: planAttachInterface(taskId, true), interface: nic } },
  { type: 'VMInterfaceAttached', data: { vmId: VM_ID, taskId, interface: nic } },
];

describe('server view: attached interfaces', () => {
  it('given a dual-stack port attached, then addresses show both IPs under the network with the MAC, as Nova shows them', () => {
    const view = foldServerView(recorded([...events.built(), ...attach(dual, 't1')]))!;
    expect(view).toMatchObject({ status: 'ACTIVE', taskState: null });
    const body = serverJson(view, { base: 'http://x' }, { version: MIN_MICROVERSION, admin: false }) as { addresses: unknown };
    expect(body.addresses).toEqual({
      private: [
        { version: 4, addr: '10.0.0.5', 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01' },
        { version: 6, addr: 'fd00::5', 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01' },
      ],
    });
  });

  it('given two ports on one network, when one is detached, then only its addresses leave', () => {
    const view = foldServerView(
      recorded([
        ...events.built(),
        ...attach(dual, 't1'),
        ...attach(other, 't2'),
        { type: 'VMInterfaceDetachRequested', data: { vmId: VM_ID, task: planDetachInterface('t3', true), interface: dual } },
        { type: 'VMInterfaceDetached', data: { vmId: VM_ID, taskId: 't3', interface: dual } },
      ]),
    )!;
    expect(view.addresses).toEqual({ private: [expect.objectContaining({ addr: '10.0.0.6', port_id: 'port-2' })] });
    expect(view.status).toBe('ACTIVE');
  });

  it('given an attach running, then the server stays ACTIVE with task_state interface_attaching', () => {
    const view = foldServerView(recorded([...events.built(), attach(dual, 't1')[0]!]))!;
    expect(view).toMatchObject({ status: 'ACTIVE', taskState: 'interface_attaching', addresses: {} });
  });
});

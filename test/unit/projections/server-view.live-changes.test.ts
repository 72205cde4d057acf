import type { RecordedEvent } from '../../../src/adapters/event-store/event-envelope.js';
import type { FlavorSnapshot } from '../../../src/domain/flavor/flavor-snapshot.js';
import { planHotResize, planLiveMigration, planResize, planRevertResize } from '../../../src/domain/virtual-machine/task-plans.js';
import type { VirtualMachineEvent } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import { foldServerView } from '../../../src/projections/servers/server-view.js';
import { NOW, TINY, VM_ID, events } from '../domain/vm-fixtures.js';

const SMALL: FlavorSnapshot = { ...TINY, id: '2', name: 'm1.small', vcpus: 2, ramMb: 2048, diskGb: 20 };
const meta = { requestId: 'req-1', correlationId: 'req-1', causationId: 'req-1', actor: { userId: 'u', projectId: 'p', roles: [] } };

/** A server's view after these events, as the servers read model folds them. */
function viewAfter(history: VirtualMachineEvent[]) {
  const recorded = history.map(
    (e, i): RecordedEvent => ({ ...e, id: `evt-${i}`, schemaVersion: 1, metadata: meta, occurredAt: NOW, streamId: `vm-${VM_ID}`, revision: i, position: i + 1, recordedAt: NOW }) as RecordedEvent,
  );
  return foldServerView(recorded)!;
}
const ok = (taskId: string, stepId: string, host?: string) => events.stepSucceeded(taskId, stepId, host);

describe('server view: hot resize, live migration, cold resize', () => {
  it('given a hot resize runs, then RESIZE; once done, ACTIVE with the new vCPUs and memory under the same flavor name', () => {
    const started: VirtualMachineEvent[] = [
      ...events.built(),
      { type: 'VMHotResizeRequested', data: { vmId: VM_ID, task: planHotResize('t', 'in-place', { vcpus: 1, ramMb: 512 }, { vcpus: 3, ramMb: 512 }), from: { vcpus: 1, ramMb: 512 }, to: { vcpus: 3, ramMb: 512 } } },
    ];
    expect(viewAfter(started)).toMatchObject({ status: 'RESIZE', taskState: 'resize_prep' });
    const done = viewAfter([...started, { type: 'VMHotResized', data: { vmId: VM_ID, taskId: 't', vcpus: 3, ramMb: 512 } }]);
    expect(done).toMatchObject({ status: 'ACTIVE', taskState: null, flavor: { name: 'm1.tiny', vcpus: 3, ramMb: 512 } });
  });

  it('given a live migration, then MIGRATING; once done, ACTIVE on the new host', () => {
    const started: VirtualMachineEvent[] = [
      ...events.built(),
      { type: 'VMLiveMigrationRequested', data: { vmId: VM_ID, task: planLiveMigration('m'), sourceHost: 'node-1', targetHost: null } },
    ];
    expect(viewAfter(started)).toMatchObject({ status: 'MIGRATING', taskState: 'migrating', host: 'node-1' });
    const done = viewAfter([...started, ok('m', 'start-migration'), ok('m', 'follow-migration', 'node-2'), { type: 'VMLiveMigrated', data: { vmId: VM_ID, taskId: 'm', sourceHost: 'node-1', host: 'node-2' } }]);
    expect(done).toMatchObject({ status: 'ACTIVE', host: 'node-2', taskState: null });
  });

  it('given a cold resize ran, then VERIFY_RESIZE with the new flavor; confirmed, ACTIVE; reverted instead, ACTIVE with the old flavor', () => {
    const resized: VirtualMachineEvent[] = [
      ...events.built(),
      { type: 'VMResizeRequested', data: { vmId: VM_ID, task: planResize('r', true), oldFlavor: TINY, newFlavor: SMALL } },
      ok('r', 'power-off-for-resize'),
      ok('r', 'resize-vm-object'),
      ok('r', 'power-on-resized'),
      { type: 'VMResized', data: { vmId: VM_ID, taskId: 'r', flavor: SMALL } },
    ];
    expect(viewAfter(resized.slice(0, 5))).toMatchObject({ status: 'RESIZE' });
    expect(viewAfter(resized)).toMatchObject({ status: 'VERIFY_RESIZE', vmState: 'resized', flavor: SMALL, powerState: 1 });
    expect(viewAfter([...resized, { type: 'VMResizeConfirmed', data: { vmId: VM_ID, flavorId: '2' } }])).toMatchObject({ status: 'ACTIVE', flavor: SMALL });
    const reverting: VirtualMachineEvent[] = [...resized, { type: 'VMResizeRevertRequested', data: { vmId: VM_ID, task: planRevertResize('v', true) } }];
    expect(viewAfter(reverting)).toMatchObject({ status: 'REVERT_RESIZE', taskState: 'resize_reverting' });
    expect(viewAfter([...reverting, { type: 'VMResizeReverted', data: { vmId: VM_ID, taskId: 'v', flavor: TINY } }])).toMatchObject({ status: 'ACTIVE', flavor: TINY });
  });
});

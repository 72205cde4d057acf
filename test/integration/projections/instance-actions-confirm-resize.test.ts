import type { RecordedEvent } from '../../../src/adapters/event-store/event-envelope.js';
import type { VirtualMachineEvent } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import { InstanceActionsProjection } from '../../../src/projections/instance-actions/instance-actions.projection.js';
import { listInstanceActions } from '../../../src/projections/instance-actions/instance-actions.queries.js';
import { VM_ID } from '../../unit/domain/vm-fixtures.js';
import { sqliteBackend } from './read-model-harness.js';

describe('instance actions: confirmResize', () => {
  it('given a resize confirmed, then a finished "confirmResize" action with the request id of the confirm', async () => {
    const { db, close } = await sqliteBackend();
    try {
      const confirmed: VirtualMachineEvent = { type: 'VMResizeConfirmed', data: { vmId: VM_ID, flavorId: '2' } };
      const at = '2026-11-22T10:00:00.000Z';
      const recorded = {
        ...confirmed,
        id: 'evt-confirm',
        schemaVersion: 1,
        metadata: { requestId: 'req-confirm', correlationId: 'req-confirm', causationId: 'req-confirm', actor: { userId: 'u', projectId: 'p', roles: ['member'] } },
        occurredAt: at,
        recordedAt: at,
        streamId: `vm-${VM_ID}`,
        revision: 9,
        position: 10,
      } as RecordedEvent;
      await db.transaction((tx) => new InstanceActionsProjection().apply([recorded], tx));
      const actions = await listInstanceActions(db, VM_ID, {});
      expect(actions).toEqual([expect.objectContaining({ action: 'confirmResize', requestId: 'req-confirm', message: null, finishTime: at, userId: 'u' })]);
    } finally {
      await close();
    }
  });
});

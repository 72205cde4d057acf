import type { RecordedEvent } from '../../../src/adapters/event-store/event-envelope.js';
import type { SqlDatabase } from '../../../src/adapters/sql/sql-database.js';
import type { FlavorSnapshot } from '../../../src/domain/flavor/flavor-snapshot.js';
import { planLiveMigration, planResize, planRevertResize } from '../../../src/domain/virtual-machine/task-plans.js';
import type { VirtualMachineEvent } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import { MigrationsProjection } from '../../../src/projections/migrations/migrations.projection.js';
import { getMigrationByUuid, inProgressLiveMigrations, listMigrations } from '../../../src/projections/migrations/migrations.queries.js';
import { TINY, VM_ID } from '../../unit/domain/vm-fixtures.js';
import { backends } from './read-model-harness.js';

const SMALL: FlavorSnapshot = { ...TINY, id: '2', name: 'm1.small', diskGb: 20 };
const actor = { userId: 'admin-user', projectId: 'admin-project', roles: ['admin'] };
const boom = { code: 'MigrationFailed', message: 'target lost' };

describe.each(await backends())('migrations read model (%s)', (_dialect, open) => {
  let db: SqlDatabase;
  let close: () => Promise<void>;
  let position = 0;
  const projection = new MigrationsProjection();

  beforeEach(async () => {
    const backend = await open();
    db = backend.db;
    close = () => backend.close();
    position = 0;
  });
  afterEach(async () => close());

  /** Each call is one batch; events of a batch get consecutive positions and minutes. */
  const apply = async (...events: VirtualMachineEvent[]) => {
    const recorded = events.map((e): RecordedEvent => {
      position += 1;
      const at = new Date(Date.parse('2026-11-22T10:00:00.000Z') + position * 60_000).toISOString();
      return { ...e, id: `evt-${position}`, schemaVersion: 1, metadata: { requestId: 'req-1', correlationId: 'req-1', causationId: 'req-1', actor }, occurredAt: at, recordedAt: at, streamId: `vm-${VM_ID}`, revision: position, position } as RecordedEvent;
    });
    await db.transaction((tx) => projection.apply(recorded, tx));
  };
  const ok = (taskId: string, stepId: string, host?: string): VirtualMachineEvent => ({
    type: 'TaskStepSucceeded',
    data: { vmId: VM_ID, taskId, stepId, startedAt: 'x', finishedAt: 'x', ...(host ? { host } : {}) },
  });
  const migrationRequested = (taskId: string, targetHost: string | null = null): VirtualMachineEvent => ({
    type: 'VMLiveMigrationRequested',
    data: { vmId: VM_ID, task: planLiveMigration(taskId), sourceHost: 'node-1', targetHost },
  });

  it('given a live migration across batches, then queued, running while it runs (in progress), completed with the new host', async () => {
    await apply(migrationRequested('m1'));
    expect(await getMigrationByUuid(db, 'm1')).toMatchObject({ id: 1, status: 'queued', migrationType: 'live-migration', sourceCompute: 'node-1', destCompute: null, userId: 'admin-user', projectId: 'admin-project' });
    await apply(ok('m1', 'start-migration'));
    expect((await inProgressLiveMigrations(db, VM_ID)).map((m) => [m.uuid, m.status, m.progress])).toEqual([['m1', 'running', null]]);
    await apply({ type: 'VMLiveMigrationProgressed', data: { vmId: VM_ID, taskId: 'm1', percent: 45 } });
    expect(await getMigrationByUuid(db, 'm1')).toMatchObject({ progress: 45, memory: null });
    // libvirt's figures past 2^32 bytes: BIGINT in both databases
    const memory = { totalBytes: 8 * 2 ** 30, processedBytes: 5 * 2 ** 30, remainingBytes: 4 * 2 ** 30 };
    await apply({ type: 'VMLiveMigrationProgressed', data: { vmId: VM_ID, taskId: 'm1', percent: 50, memory } });
    expect(await getMigrationByUuid(db, 'm1')).toMatchObject({ progress: 50, memory });
    await apply(ok('m1', 'follow-migration', 'node-2'), { type: 'VMLiveMigrated', data: { vmId: VM_ID, taskId: 'm1', sourceHost: 'node-1', host: 'node-2' } });
    expect(await getMigrationByUuid(db, 'm1')).toMatchObject({ status: 'completed', destCompute: 'node-2', progress: 100 });
    expect(await inProgressLiveMigrations(db, VM_ID)).toEqual([]);
  });

  it('given an aborted and a failed migration, then cancelled and error', async () => {
    const failed = (taskId: string, code: string): VirtualMachineEvent => ({
      type: 'TaskFailed',
      data: { vmId: VM_ID, taskId, action: 'live-migration', stepId: 'follow-migration', error: { ...boom, code }, failedAt: 'x' },
    });
    await apply(migrationRequested('m1'), ok('m1', 'start-migration'));
    await apply(failed('m1', 'MigrationCancelled'));
    await apply(migrationRequested('m2', 'node-3'));
    await apply(failed('m2', 'MigrationFailed'));
    expect((await listMigrations(db, {})).map((m) => [m.uuid, m.status, m.destCompute])).toEqual([
      ['m2', 'error', 'node-3'],
      ['m1', 'cancelled', null],
    ]);
  });

  it('given a cold resize confirmed and another reverted, then finished, confirmed, reverting, reverted, each found by filters and pages', async () => {
    const resizeRequested = (taskId: string): VirtualMachineEvent => ({ type: 'VMResizeRequested', data: { vmId: VM_ID, task: planResize(taskId, true), oldFlavor: TINY, newFlavor: SMALL } });
    await apply(resizeRequested('r1'));
    await apply(ok('r1', 'power-off-for-resize'), ok('r1', 'resize-vm-object'));
    await apply(ok('r1', 'power-on-resized', 'node-2'));
    await apply({ type: 'VMResized', data: { vmId: VM_ID, taskId: 'r1', flavor: SMALL } });
    expect(await getMigrationByUuid(db, 'r1')).toMatchObject({ status: 'finished', migrationType: 'resize', oldFlavorId: '1', newFlavorId: '2', destCompute: 'node-2' });
    await apply({ type: 'VMResizeConfirmed', data: { vmId: VM_ID, flavorId: '2' } });
    expect((await getMigrationByUuid(db, 'r1'))?.status).toBe('confirmed');

    await apply(resizeRequested('r2'), { type: 'VMResized', data: { vmId: VM_ID, taskId: 'r2', flavor: SMALL } });
    await apply({ type: 'VMResizeRevertRequested', data: { vmId: VM_ID, task: planRevertResize('v2', true) } });
    expect((await getMigrationByUuid(db, 'r2'))?.status).toBe('reverting');
    await apply({ type: 'VMResizeReverted', data: { vmId: VM_ID, taskId: 'v2', flavor: TINY } });
    expect((await getMigrationByUuid(db, 'r2'))?.status).toBe('reverted');

    await apply(migrationRequested('m3'));
    expect((await listMigrations(db, { migrationType: 'resize' })).map((m) => m.uuid)).toEqual(['r2', 'r1']);
    expect((await listMigrations(db, { status: 'queued' })).map((m) => m.uuid)).toEqual(['m3']);
    expect((await listMigrations(db, { host: 'node-1' })).map((m) => m.uuid)).toEqual(['m3']);
    const first = await listMigrations(db, { limit: 2 });
    expect(first.map((m) => m.uuid)).toEqual(['m3', 'r2']);
    expect((await listMigrations(db, { limit: 2, marker: first[1]! })).map((m) => m.uuid)).toEqual(['r1']);
    const r2 = (await getMigrationByUuid(db, 'r2'))!;
    expect((await listMigrations(db, { changesSince: r2.updatedAt })).map((m) => m.uuid)).toEqual(['m3', 'r2']);
  });

  it('given a reset, then no rows', async () => {
    await apply(migrationRequested('m1'));
    await db.transaction((tx) => projection.reset(tx));
    expect(await listMigrations(db, {})).toEqual([]);
  });
});

import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import type { SqlExecutor } from '../../adapters/sql/sql-database.js';
import type { VirtualMachineEvent } from '../../domain/virtual-machine/virtual-machine.events.js';
import type { Projection } from '../projection.js';
import { selectWhereIn, upsertRows } from '../sql-batch.js';
import { MIGRATION_COLUMNS, migrationToRow, rowToMigration, type MigrationRow, type MigrationView } from './migration-row.js';

const SELECT = `SELECT ${MIGRATION_COLUMNS.join(', ')} FROM migrations`;

/**
 * Nova's migrations: a live migration from its request to completed, error or cancelled; a cold
 * resize from its request through finished (VERIFY_RESIZE) to confirmed or reverted. Rows are
 * folded per batch in memory and written once; the rows of migrations started in earlier batches
 * are loaded by task id (or, for a confirm or revert, the instance's latest resize).
 */
export class MigrationsProjection implements Projection {
  readonly name = 'migrations';
  readonly tables = ['migrations'];

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const byTask = new Map<string, MigrationView>();
    const changed = new Set<string>();
    const latestResize = new Map<string, MigrationView>();

    const wanted = new Set<string>();
    const resizeOf = new Set<string>();
    for (const event of events) {
      const e = event as unknown as VirtualMachineEvent;
      const taskId = relevantTaskId(e);
      if (taskId) wanted.add(taskId);
      const revertsOrConfirms =
        e.type === 'VMResizeConfirmed' || e.type === 'VMResizeRevertRequested' || e.type === 'VMResizeReverted' || (e.type === 'TaskFailed' && e.data.action === 'revertResize');
      if (revertsOrConfirms) resizeOf.add(e.data.vmId);
    }
    if (wanted.size > 0) {
      for (const row of await selectWhereIn<MigrationRow>(tx, SELECT, 'uuid', [...wanted])) byTask.set(String(row.uuid), rowToMigration(row));
    }
    for (const vmId of resizeOf) {
      const rows = await tx.query<MigrationRow>(`${SELECT} WHERE instance_uuid = ? AND migration_type = 'resize' ORDER BY id DESC LIMIT 1`, [vmId]);
      if (rows[0]) latestResize.set(vmId, rowToMigration(rows[0]));
    }

    const touch = (m: MigrationView, event: RecordedEvent, patch: Partial<MigrationView>) => {
      Object.assign(m, patch, { updatedAt: event.occurredAt });
      byTask.set(m.uuid, m);
      changed.add(m.uuid);
    };

    for (const event of events) {
      const e = event as unknown as VirtualMachineEvent;
      const actor = event.metadata.actor;
      switch (e.type) {
        case 'VMLiveMigrationRequested': {
          const m: MigrationView = {
            id: event.position,
            uuid: e.data.task.taskId,
            instanceUuid: e.data.vmId,
            migrationType: 'live-migration',
            status: 'queued',
            sourceCompute: e.data.sourceHost,
            destCompute: e.data.targetHost,
            oldFlavorId: null,
            newFlavorId: null,
            userId: actor.userId,
            projectId: actor.projectId,
            createdAt: event.occurredAt,
            updatedAt: event.occurredAt,
            progress: null,
            memory: null,
          };
          touch(m, event, {});
          break;
        }
        case 'VMResizeRequested': {
          const m: MigrationView = {
            id: event.position,
            uuid: e.data.task.taskId,
            instanceUuid: e.data.vmId,
            migrationType: 'resize',
            status: 'migrating',
            sourceCompute: null,
            destCompute: null,
            oldFlavorId: e.data.oldFlavor.id,
            newFlavorId: e.data.newFlavor.id,
            userId: actor.userId,
            projectId: actor.projectId,
            createdAt: event.occurredAt,
            updatedAt: event.occurredAt,
            progress: null,
            memory: null,
          };
          touch(m, event, {});
          latestResize.set(m.instanceUuid, m);
          break;
        }
        case 'TaskStepSucceeded': {
          const m = byTask.get(e.data.taskId);
          if (m?.migrationType === 'live-migration' && e.data.stepId === 'start-migration') touch(m, event, { status: 'running' });
          // Where the resized VM started again.
          if (m?.migrationType === 'resize' && e.data.stepId === 'power-on-resized' && e.data.host) touch(m, event, { destCompute: e.data.host });
          break;
        }
        case 'VMLiveMigrationProgressed': {
          const m = byTask.get(e.data.taskId);
          // The bytes go with the percent they were read with (Nova's memory_*_bytes).
          if (m) touch(m, event, { progress: e.data.percent, ...(e.data.memory ? { memory: { ...e.data.memory } } : {}) });
          break;
        }
        case 'VMLiveMigrated': {
          const m = byTask.get(e.data.taskId);
          if (m) touch(m, event, { status: 'completed', destCompute: e.data.host, progress: 100 });
          break;
        }
        case 'VMResized': {
          const m = byTask.get(e.data.taskId);
          if (m) touch(m, event, { status: 'finished' });
          break;
        }
        case 'VMResizeConfirmed': {
          const m = latestResize.get(e.data.vmId);
          if (m) touch(m, event, { status: 'confirmed' });
          break;
        }
        case 'VMResizeRevertRequested': {
          const m = latestResize.get(e.data.vmId);
          // The revert is its own task; remember which migration it reverts.
          if (m) touch(m, event, { status: 'reverting' });
          break;
        }
        case 'VMResizeReverted': {
          const m = latestResize.get(e.data.vmId);
          if (m) touch(m, event, { status: 'reverted' });
          break;
        }
        case 'TaskFailed': {
          const m = e.data.action === 'revertResize' ? latestResize.get(e.data.vmId) : byTask.get(e.data.taskId);
          if (!m) break;
          if (e.data.action === 'live-migration') touch(m, event, { status: e.data.error.code === 'MigrationCancelled' ? 'cancelled' : 'error' });
          else if (e.data.action === 'resize') touch(m, event, { status: 'error' });
          // A failed revert leaves the server in VERIFY_RESIZE, its migration finished again.
          else if (e.data.action === 'revertResize') touch(m, event, { status: 'finished' });
          break;
        }
        default:
          break;
      }
    }
    if (changed.size === 0) return;
    const rows = [...new Set([...changed].map((uuid) => byTask.get(uuid)!))].map(migrationToRow);
    await upsertRows(tx, 'migrations', MIGRATION_COLUMNS, ['id'], rows);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.run('DELETE FROM migrations');
  }
}

/** The task ids whose migration rows a batch may change (only events that can move a migration). */
function relevantTaskId(e: VirtualMachineEvent): string | null {
  switch (e.type) {
    case 'TaskStepSucceeded':
      return e.data.stepId === 'start-migration' || e.data.stepId === 'power-on-resized' ? e.data.taskId : null;
    case 'VMLiveMigrationProgressed':
    case 'VMLiveMigrated':
    case 'VMResized':
      return e.data.taskId;
    case 'TaskFailed':
      return e.data.action === 'live-migration' || e.data.action === 'resize' ? e.data.taskId : null;
    default:
      return null;
  }
}

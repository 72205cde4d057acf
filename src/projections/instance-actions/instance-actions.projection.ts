import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import { TASK_END_EVENTS, TASK_START_EVENTS } from '../../domain/virtual-machine/virtual-machine.events.js';
import type { SqlExecutor, SqlValue } from '../../adapters/sql/sql-database.js';
import type { VirtualMachineEvent } from '../../domain/virtual-machine/virtual-machine.events.js';
import type { Projection } from '../projection.js';
import { insertRows, selectWhereIn, upsertRows } from '../sql-batch.js';

const ACTION_COLUMNS = [
  'task_id',
  'request_id',
  'instance_uuid',
  'action',
  'user_id',
  'project_id',
  'start_time',
  'finish_time',
  'message',
  'updated_at',
  'start_position',
] as const;

const EVENT_COLUMNS = ['position', 'task_id', 'event', 'start_time', 'finish_time', 'result', 'host', 'details', 'traceback'] as const;

type ActionRow = { [K in (typeof ACTION_COLUMNS)[number]]: SqlValue };

const TASK_STARTS: ReadonlySet<string> = TASK_START_EVENTS;
/**
 * Changes that are not tasks but that Nova still records as instance actions (with no events, and
 * no finish time: Nova only records their start). The event's own id stands for the task id.
 */
const INSTANT_ACTIONS: Readonly<Record<string, string>> = { VMLocked: 'lock', VMUnlocked: 'unlock' };
const TASK_ENDS: ReadonlySet<string> = TASK_END_EVENTS;

function startedAction(event: RecordedEvent, taskId: string, vmId: string, action: string): ActionRow {
  return {
    task_id: taskId,
    request_id: event.metadata.requestId,
    instance_uuid: vmId,
    action,
    user_id: event.metadata.actor.userId,
    project_id: event.metadata.actor.projectId,
    start_time: event.occurredAt,
    finish_time: null,
    message: null,
    updated_at: event.occurredAt,
    start_position: event.position,
  };
}

/**
 * Nova's os-instance-actions: an action per task (started by the task-start event, finished by its
 * terminal event) with an event per step. Every step and terminal event carries its task id, so a
 * batch only needs to load the actions of tasks it did not start itself.
 */
export class InstanceActionsProjection implements Projection {
  readonly name = 'instance-actions';
  readonly tables = ['instance_actions', 'instance_action_events'];

  async apply(events: RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const actions = new Map<string, ActionRow>();
    const changed = new Set<string>();
    const steps: SqlValue[][] = [];

    const startedHere = new Set<string>();
    const missing = new Set<string>();
    for (const event of events) {
      const e = event as unknown as VirtualMachineEvent;
      if (TASK_STARTS.has(e.type)) {
        startedHere.add((e.data as { task: { taskId: string } }).task.taskId);
        const superseded = (e.data as { supersededTaskId?: string | null }).supersededTaskId;
        if (superseded && !startedHere.has(superseded)) missing.add(superseded);
      }
      else if (e.type === 'TaskStepSucceeded' || e.type === 'TaskStepFailed' || TASK_ENDS.has(e.type)) {
        const taskId = (e.data as { taskId: string }).taskId;
        if (!startedHere.has(taskId)) missing.add(taskId);
      }
    }
    if (missing.size > 0) {
      const rows = await selectWhereIn<ActionRow>(tx, `SELECT ${ACTION_COLUMNS.join(', ')} FROM instance_actions`, 'task_id', [...missing]);
      for (const row of rows) actions.set(String(row.task_id), row);
    }

    for (const event of events) {
      const e = event as unknown as VirtualMachineEvent;
      const instant = INSTANT_ACTIONS[e.type];
      if (instant) {
        actions.set(event.id, startedAction(event, event.id, (e.data as { vmId: string }).vmId, instant));
        changed.add(event.id);
        continue;
      }
      if (TASK_STARTS.has(e.type)) {
        const d = e.data as { vmId: string; task: { taskId: string; action: string } };
        actions.set(d.task.taskId, startedAction(event, d.task.taskId, d.vmId, d.task.action));
        changed.add(d.task.taskId);
        // A delete abandons the task it supersedes; Nova's action list then shows that one as ended.
        const superseded = (e.data as { supersededTaskId?: string | null }).supersededTaskId;
        const abandoned = superseded ? actions.get(superseded) : undefined;
        if (superseded && abandoned && abandoned.finish_time === null) {
          abandoned.finish_time = event.occurredAt;
          abandoned.updated_at = event.occurredAt;
          changed.add(superseded);
        }
        continue;
      }
      if (e.type === 'TaskStepSucceeded' || e.type === 'TaskStepFailed') {
        const d = e.data;
        const failed = e.type === 'TaskStepFailed' ? e.data.error : undefined;
        steps.push([
          event.position,
          d.taskId,
          d.stepId,
          d.startedAt,
          d.finishedAt,
          failed ? 'Error' : 'Success',
          e.type === 'TaskStepSucceeded' ? (e.data.host ?? null) : null,
          failed ? failed.message : null,
          failed ? `${failed.code}${failed.details ? `: ${failed.details}` : ''}` : null,
        ]);
        const action = actions.get(d.taskId);
        if (action) {
          action.updated_at = event.occurredAt;
          changed.add(d.taskId);
        }
        continue;
      }
      if (e.type === 'VMResizeConfirmed') {
        // Nova records confirmResize as an action of its own; here it runs no task, so it starts and
        // ends with its event (whose id keys it).
        actions.set(event.id, {
          task_id: event.id,
          request_id: event.metadata.requestId,
          instance_uuid: e.data.vmId,
          action: 'confirmResize',
          user_id: event.metadata.actor.userId,
          project_id: event.metadata.actor.projectId,
          start_time: event.occurredAt,
          finish_time: event.occurredAt,
          message: null,
          updated_at: event.occurredAt,
          start_position: event.position,
        });
        changed.add(event.id);
        continue;
      }
      if (TASK_ENDS.has(e.type)) {
        const taskId = (e.data as { taskId: string }).taskId;
        const action = actions.get(taskId);
        if (!action) continue;
        action.finish_time = event.occurredAt;
        action.updated_at = event.occurredAt;
        // Nova leaves message null on success and sets 'Error' on the action when it fails.
        if (e.type === 'TaskFailed') action.message = 'Error';
        changed.add(taskId);
      }
    }

    await upsertRows(
      tx,
      'instance_actions',
      ACTION_COLUMNS,
      ['task_id'],
      [...changed].map((id) => ACTION_COLUMNS.map((c) => actions.get(id)![c])),
    );
    await insertRows(tx, 'instance_action_events', EVENT_COLUMNS, steps);
  }

  async reset(tx: SqlExecutor): Promise<void> {
    await tx.run('DELETE FROM instance_action_events');
    await tx.run('DELETE FROM instance_actions');
  }
}

import type { SqlExecutor } from '../../adapters/sql/sql-database.js';

/** One Nova instance action (os-instance-actions list entry). */
export interface InstanceAction {
  taskId: string;
  requestId: string;
  instanceUuid: string;
  action: string;
  userId: string;
  projectId: string;
  startTime: string;
  finishTime: string | null;
  /** null, or 'Error' when the action failed. */
  message: string | null;
  updatedAt: string;
}

/** One step of an action (Nova's instance action event). */
export interface InstanceActionEvent {
  event: string;
  startTime: string;
  finishTime: string | null;
  /** 'Success' or 'Error'. */
  result: string | null;
  host: string | null;
  /** The error message of a failed step (Nova's `details`, microversion 2.84). */
  details: string | null;
  /** Error code and operator detail of a failed step. */
  traceback: string | null;
}

export interface InstanceActionWithEvents extends InstanceAction {
  events: InstanceActionEvent[];
}

interface ActionRow {
  task_id: string;
  request_id: string;
  instance_uuid: string;
  action: string;
  user_id: string;
  project_id: string;
  start_time: string;
  finish_time: string | null;
  message: string | null;
  updated_at: string;
}

const SELECT_ACTION =
  'SELECT task_id, request_id, instance_uuid, action, user_id, project_id, start_time, finish_time, message, updated_at FROM instance_actions';

const toAction = (r: ActionRow): InstanceAction => ({
  taskId: r.task_id,
  requestId: r.request_id,
  instanceUuid: r.instance_uuid,
  action: r.action,
  userId: r.user_id,
  projectId: r.project_id,
  startTime: r.start_time,
  finishTime: r.finish_time ?? null,
  message: r.message ?? null,
  updatedAt: r.updated_at,
});

/** The actions of one server, newest first. */
export async function listInstanceActions(
  db: SqlExecutor,
  instanceUuid: string,
  options: { limit?: number; changesSince?: string } = {},
): Promise<InstanceAction[]> {
  const params: (string | number)[] = [instanceUuid];
  let where = 'instance_uuid = ?';
  if (options.changesSince !== undefined) {
    where += ' AND updated_at >= ?';
    params.push(options.changesSince);
  }
  const limit = options.limit !== undefined ? ` LIMIT ${Math.max(1, Math.floor(options.limit))}` : '';
  const rows = await db.query<ActionRow>(`${SELECT_ACTION} WHERE ${where} ORDER BY start_position DESC${limit}`, params);
  return rows.map(toAction);
}

/** One action of a server by its request id (the newest, should a request id repeat), with its step events in order. */
export async function getInstanceAction(
  db: SqlExecutor,
  instanceUuid: string,
  requestId: string,
): Promise<InstanceActionWithEvents | undefined> {
  const rows = await db.query<ActionRow>(
    `${SELECT_ACTION} WHERE instance_uuid = ? AND request_id = ? ORDER BY start_position DESC LIMIT 1`,
    [instanceUuid, requestId],
  );
  if (!rows[0]) return undefined;
  const events = await db.query<{
    event: string;
    start_time: string;
    finish_time: string | null;
    result: string | null;
    host: string | null;
    details: string | null;
    traceback: string | null;
  }>('SELECT event, start_time, finish_time, result, host, details, traceback FROM instance_action_events WHERE task_id = ? ORDER BY position', [
    rows[0].task_id,
  ]);
  return {
    ...toAction(rows[0]),
    events: events.map((e) => ({
      event: e.event,
      startTime: e.start_time,
      finishTime: e.finish_time ?? null,
      result: e.result ?? null,
      host: e.host ?? null,
      details: e.details ?? null,
      traceback: e.traceback ?? null,
    })),
  };
}

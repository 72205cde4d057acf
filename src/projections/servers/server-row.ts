import type { SqlValue } from '../../adapters/sql/sql-database.js';
import type { NovaStatus } from '../../domain/virtual-machine/nova-status.js';
import type { LockedBy, TaskState, VmState } from '../../domain/virtual-machine/nova-states.js';
import type { ServerView } from './server-view.js';

/** The servers table's columns, in the order serverToRow writes them. */
export const SERVER_COLUMNS = [
  'id',
  'name',
  'project_id',
  'user_id',
  'status',
  'vm_state',
  'task_state',
  'power_state',
  'flavor_id',
  'flavor',
  'image_ref',
  'key_name',
  'metadata',
  'availability_zone',
  'host',
  'addresses',
  'created_at',
  'updated_at',
  'launched_at',
  'terminated_at',
  'progress',
  'fault',
  'locked',
  'locked_reason',
  'locked_by',
  'deleted',
  'user_data_present',
  'task',
  'task_started_at',
  'position',
] as const;

export type ServerRow = Record<(typeof SERVER_COLUMNS)[number], unknown>;

export function serverToRow(view: ServerView, position: number): SqlValue[] {
  return [
    view.id,
    view.name,
    view.projectId,
    view.userId,
    view.status,
    view.vmState,
    view.taskState,
    view.powerState,
    view.flavor.id,
    JSON.stringify(view.flavor),
    view.imageRef,
    view.keyName,
    JSON.stringify(view.metadata),
    view.availabilityZone,
    view.host,
    JSON.stringify(view.addresses),
    view.created,
    view.updated,
    view.launchedAt,
    view.terminatedAt,
    view.progress,
    view.fault ? JSON.stringify(view.fault) : null,
    view.locked ? 1 : 0,
    view.lockedReason,
    view.lockedBy,
    view.deleted ? 1 : 0,
    view.userDataPresent ? 1 : 0,
    view.task ? JSON.stringify(view.task) : null,
    deadlineFrom(view),
    position,
  ];
}

/**
 * Where the running task's deadline counts from, while it can still fire (what the deadline sweep
 * looks for): null with no task, or once the deadline failed it. A task started before this was kept
 * (no startedAt) counts from the server's last change.
 */
function deadlineFrom(view: ServerView): string | null {
  if (!view.task || view.task.timedOut) return null;
  return view.task.startedAt ?? view.updated;
}

const json = <T>(value: unknown): T => JSON.parse(String(value)) as T;
const nullable = <T>(value: unknown): T | null => (value === null || value === undefined ? null : (value as T));

export function rowToServer(row: ServerRow): ServerView {
  return {
    id: String(row.id),
    name: String(row.name),
    projectId: String(row.project_id),
    userId: String(row.user_id),
    status: row.status as NovaStatus,
    vmState: row.vm_state as VmState,
    taskState: nullable<TaskState>(row.task_state),
    powerState: Number(row.power_state),
    flavor: json(row.flavor),
    imageRef: String(row.image_ref),
    keyName: nullable<string>(row.key_name),
    metadata: json(row.metadata),
    availabilityZone: nullable<string>(row.availability_zone),
    host: nullable<string>(row.host),
    addresses: json(row.addresses),
    created: String(row.created_at),
    updated: String(row.updated_at),
    launchedAt: nullable<string>(row.launched_at),
    terminatedAt: nullable<string>(row.terminated_at),
    progress: Number(row.progress),
    fault: row.fault === null || row.fault === undefined ? null : json(row.fault),
    locked: Number(row.locked) === 1,
    lockedReason: nullable<string>(row.locked_reason),
    lockedBy: nullable<LockedBy>(row.locked_by),
    deleted: Number(row.deleted) === 1,
    userDataPresent: Number(row.user_data_present) === 1,
    task: row.task === null || row.task === undefined ? null : json(row.task),
  };
}

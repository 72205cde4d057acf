import type { TaskState, VmState } from './nova-states.js';

/** The `status` Nova's API shows for a server. */
export type NovaStatus =
  | 'BUILD'
  | 'ACTIVE'
  | 'REBOOT'
  | 'HARD_REBOOT'
  | 'RESIZE'
  | 'VERIFY_RESIZE'
  | 'REVERT_RESIZE'
  | 'MIGRATING'
  | 'SHUTOFF'
  | 'PAUSED'
  | 'ERROR'
  | 'DELETED'
  | 'UNKNOWN';

const RESIZING: ReadonlySet<TaskState | null> = new Set<TaskState | null>(['resize_prep', 'resize_migrating', 'resize_migrated', 'resize_finish']);

/**
 * Nova derives status from vm_state and task_state (nova/api/openstack/common.py _STATE_MAP): an
 * active server's reboot, resize and migration tasks, a stopped server's resize and a resized
 * server's revert change what the client sees; everything else follows vm_state.
 */
export function novaStatus(vmState: VmState, taskState: TaskState | null): NovaStatus {
  switch (vmState) {
    case 'building':
      return 'BUILD';
    case 'active':
      if (taskState === 'rebooting') return 'REBOOT';
      if (taskState === 'rebooting_hard') return 'HARD_REBOOT';
      if (RESIZING.has(taskState)) return 'RESIZE';
      if (taskState === 'migrating') return 'MIGRATING';
      return 'ACTIVE';
    case 'stopped':
      if (RESIZING.has(taskState)) return 'RESIZE';
      return 'SHUTOFF';
    case 'resized':
      return taskState === 'resize_reverting' ? 'REVERT_RESIZE' : 'VERIFY_RESIZE';
    case 'paused':
      return 'PAUSED';
    case 'error':
      return 'ERROR';
    case 'deleted':
      return 'DELETED';
    default:
      return 'UNKNOWN';
  }
}

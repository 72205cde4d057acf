import type { TaskState, VmState } from './nova-states.js';

/** The `status` Nova's API shows for a server. */
export type NovaStatus =
  | 'BUILD'
  | 'ACTIVE'
  | 'REBOOT'
  | 'HARD_REBOOT'
  | 'SHUTOFF'
  | 'PAUSED'
  | 'ERROR'
  | 'DELETED'
  | 'UNKNOWN';

/**
 * Nova derives status from vm_state and task_state (nova/api/openstack/common.py _STATE_MAP); only
 * an active server's reboot tasks change what the client sees, everything else follows vm_state.
 */
export function novaStatus(vmState: VmState, taskState: TaskState | null): NovaStatus {
  switch (vmState) {
    case 'building':
      return 'BUILD';
    case 'active':
      if (taskState === 'rebooting') return 'REBOOT';
      if (taskState === 'rebooting_hard') return 'HARD_REBOOT';
      return 'ACTIVE';
    case 'stopped':
      return 'SHUTOFF';
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

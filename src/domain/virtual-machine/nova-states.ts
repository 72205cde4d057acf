/** Nova's vm_state values we use (nova/compute/vm_states.py). */
/** 'resized': a cold resize finished and waits for confirmResize or revertResize (Nova's VERIFY_RESIZE). */
export type VmState = 'building' | 'active' | 'stopped' | 'paused' | 'resized' | 'error' | 'deleted';

/** Nova's task_state values we use (nova/compute/task_states.py); null when no task runs. */
export type TaskState =
  | 'scheduling'
  | 'spawning'
  | 'powering-on'
  | 'powering-off'
  | 'rebooting'
  | 'rebooting_hard'
  | 'pausing'
  | 'unpausing'
  | 'resize_prep'
  | 'resize_migrating'
  | 'resize_migrated'
  | 'resize_finish'
  | 'resize_reverting'
  | 'migrating'
  /** Ours: Nova runs interface attach and detach without a task_state; ours run as tasks. */
  | 'interface_attaching'
  | 'interface_detaching'
  | 'deleting';

/** Nova's power_state numbers (nova/compute/power_state.py). */
export const PowerState = {
  NOSTATE: 0,
  RUNNING: 1,
  PAUSED: 3,
  SHUTDOWN: 4,
  CRASHED: 6,
  SUSPENDED: 7,
} as const;
export type PowerState = (typeof PowerState)[keyof typeof PowerState];

/** The action names Nova records in os-instance-actions. */
export type InstanceActionName =
  | 'create'
  | 'start'
  | 'stop'
  | 'reboot'
  | 'pause'
  | 'unpause'
  | 'delete'
  /** Ours (Nova has no live resize): new vCPUs and/or memory for a running server, in place. */
  | 'hotResize'
  | 'resize'
  | 'revertResize'
  | 'live-migration'
  | 'attach_interface'
  | 'detach_interface';

export type RebootType = 'SOFT' | 'HARD';

/** Nova's locked_by: the owner's lock the owner may lift; an admin's lock only an admin. */
export type LockedBy = 'owner' | 'admin';

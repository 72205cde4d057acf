/**
 * Which Nova action an event belongs to. Task-start events name it; terminal events imply it; step
 * events carry only a task id, so the projection looks up the server's running task.
 */
const TERMINAL_ACTIONS: Record<string, string> = {
  VMBuilt: 'create',
  VMStarted: 'start',
  VMStopped: 'stop',
  VMRebooted: 'reboot',
  VMPaused: 'pause',
  VMUnpaused: 'unpause',
  VMDeleted: 'delete',
  VMHotResized: 'hotResize',
  VMLiveMigrated: 'live-migration',
  VMResized: 'resize',
  VMResizeReverted: 'revertResize',
  VMInterfaceAttached: 'attach_interface',
  VMInterfaceDetached: 'detach_interface',
};

/** Nova's policy names for the catalogue operations. */
const CATALOGUE_ACTIONS: Record<string, string> = {
  FlavorCreated: 'flavor-create',
  FlavorExtraSpecsSet: 'flavor-extra-specs-set',
  FlavorDeleted: 'flavor-delete',
  VMRenamed: 'rename',
  PowerStateSynced: 'power-state-sync',
  VMLocked: 'lock',
  VMUnlocked: 'unlock',
  VMResizeConfirmed: 'confirmResize',
};

export function taskStarted(data: unknown): { taskId: string; action: string } | undefined {
  const task = (data as { task?: { taskId?: unknown; action?: unknown } } | null)?.task;
  return task && typeof task.taskId === 'string' && typeof task.action === 'string'
    ? { taskId: task.taskId, action: task.action }
    : undefined;
}

export function taskIdOf(data: unknown): string | undefined {
  const taskId = (data as { taskId?: unknown } | null)?.taskId;
  return typeof taskId === 'string' ? taskId : undefined;
}

/** True for the events after which the server has no running task. */
export function endsTask(type: string): boolean {
  return type in TERMINAL_ACTIONS || type === 'TaskFailed';
}

/** The action an event implies by itself, without knowing the running task. */
export function actionOf(type: string, data: unknown): string | undefined {
  const started = taskStarted(data);
  if (started) return started.action;
  if (type === 'TaskFailed') {
    const action = (data as { action?: unknown } | null)?.action;
    if (typeof action === 'string') return action;
  }
  return TERMINAL_ACTIONS[type] ?? CATALOGUE_ACTIONS[type];
}

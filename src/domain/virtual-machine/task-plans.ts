import type { InstanceActionName, RebootType, TaskState } from './nova-states.js';
import type { HotResizeStrategy, TaskStarted, VmSize } from './virtual-machine.events.js';

interface PlannedStep {
  id: string;
  /** Nova's task_state while this step is pending. */
  taskState: TaskState;
}

/**
 * The steps that undo a step, newest first, run when a later step (or the step itself, which may
 * have half happened) fails. Undo steps are idempotent like every step: undoing what never happened
 * is a no-op.
 */
const UNDO: Readonly<Record<string, string | readonly string[]>> = {
  'create-vm-object': 'delete-vm-object',
  // Hot resize: the pod goes back to the size the VM had, and so do the guest and the VM object.
  'resize-launcher-pod': 'shrink-launcher-pod',
  'resize-guest': ['restore-vm-size', 'restore-guest-memory', 'restore-guest-vcpus'],
  'trim-launcher-pod': 'shrink-launcher-pod',
  // The hot resize steps of tasks started before resize-guest (their events name them).
  'await-pod-resize': 'shrink-launcher-pod',
  'hot-add-vcpus': 'restore-guest-vcpus',
  'hot-add-memory': 'restore-guest-memory',
  // vCPU removal: the unplug may half happen (a guest that releases some), so it undoes itself too.
  'unplug-vcpus': 'restore-guest-vcpus',
  'record-vm-size': 'restore-vm-size',
  // Hot resize by KubeVirt's live update: the template back, KubeVirt's migration stopped.
  'update-vm-template': 'restore-vm-template',
  'follow-live-update': 'restore-vm-template',
  // Live migration: deleting the migration is KubeVirt's abort; the VM stays on the source.
  'start-migration': 'abort-migration',
  'follow-migration': 'abort-migration',
  // Cold resize: the old size back, and the VM running again if it ran before.
  'power-off-for-resize': 'power-on-after-resize',
  'resize-vm-object': 'restore-vm-size',
  // AttachNic (interface-attachment.ts): the interface out of the cluster, the fabric port gone,
  // the port unbound (and deleted when the attach made it). DetachNic undoes nothing: it is retried.
  'bind-port': 'fail-port-binding',
  'create-fabric-port': 'delete-fabric-port',
  'attach-nic': 'detach-nic',
  'await-nic': 'detach-nic',
  // A build with ports: they go back to unbound (the ones made for it deleted) when it fails.
  'bind-boot-ports': 'release-boot-ports',
  'plug-boot-ports': 'release-boot-ports',
};

/** Undo steps for a failed task, newest first: each done step's undo, and the failed step's own. */
export function compensationFor(done: readonly string[], failedStep: string | null): string[] {
  const touched = failedStep ? [...done, failedStep] : [...done];
  const undo: string[] = [];
  for (const step of touched.reverse()) {
    for (const u of [UNDO[step] ?? []].flat()) if (!undo.includes(u)) undo.push(u);
  }
  return undo;
}

/**
 * The steps each task runs, in order. The saga runs one job per step and reports each result back;
 * the task ends when every step has succeeded. Later operations add their own plans here.
 */
const PLANS: Record<'create' | 'start' | 'stop' | 'pause' | 'unpause' | 'delete', PlannedStep[]> = {
  create: [
    { id: 'create-vm-object', taskState: 'scheduling' },
    { id: 'await-running', taskState: 'spawning' },
  ],
  start: [{ id: 'start-vm', taskState: 'powering-on' }],
  stop: [{ id: 'stop-vm', taskState: 'powering-off' }],
  pause: [{ id: 'pause-vm', taskState: 'pausing' }],
  unpause: [{ id: 'unpause-vm', taskState: 'unpausing' }],
  delete: [{ id: 'delete-vm-object', taskState: 'deleting' }],
};

const REBOOT_PLANS: Record<RebootType, PlannedStep[]> = {
  SOFT: [{ id: 'restart-vm', taskState: 'rebooting' }],
  HARD: [{ id: 'restart-vm', taskState: 'rebooting_hard' }],
};

export function planTask(taskId: string, action: keyof typeof PLANS | 'reboot', rebootType: RebootType = 'SOFT'): TaskStarted {
  return task(taskId, action, action === 'reboot' ? REBOOT_PLANS[rebootType] : PLANS[action]);
}

/**
 * Hot resize in place: the launcher pod grows first and the step waits until the kubelet applied it
 * (the guest may use more only once the pod has room), then one step changes the guest (hot-adds
 * what grows, or unplugs vCPUs), waits until the guest's own view confirms it and records the size
 * on the VM object so the next boot keeps it; after an unplug the pod then gives the vCPUs back.
 * Each step is one job (one hop through the process manager and the queue), so the actions that
 * always follow one another share a step; each of them asks for an end state, so a step retried
 * after a crash part way does the done ones again harmlessly.
 *
 * By live update (KubeVirt's): the VM template gets the new sockets / guest memory, KubeVirt
 * migrates the VM to a bigger launcher pod and hot-plugs there, the guest confirms. The template is
 * the record, so there is no record step.
 */
export function planHotResize(taskId: string, strategy: HotResizeStrategy, from: VmSize, to: VmSize): TaskStarted {
  if (strategy === 'live-update') {
    return task(taskId, 'hotResize', [
      { id: 'update-vm-template', taskState: 'resize_prep' },
      { id: 'follow-live-update', taskState: 'resize_migrating' },
      { id: 'confirm-guest-size', taskState: 'resize_finish' },
    ]);
  }
  const grows = to.vcpus > from.vcpus || to.ramMb > from.ramMb;
  const unplugs = to.vcpus < from.vcpus;
  return task(taskId, 'hotResize', [
    ...(grows ? [{ id: 'resize-launcher-pod', taskState: 'resize_prep' as const }] : []),
    { id: 'resize-guest', taskState: 'resize_finish' },
    ...(unplugs ? [{ id: 'trim-launcher-pod', taskState: 'resize_finish' as const }] : []),
  ]);
}

export function planLiveMigration(taskId: string): TaskStarted {
  return task(taskId, 'live-migration', [
    { id: 'start-migration', taskState: 'migrating' },
    { id: 'follow-migration', taskState: 'migrating' },
  ]);
}

/** Cold resize: a running VM is stopped, given its new size and started again; a stopped one only resized. */
export function planResize(taskId: string, running: boolean): TaskStarted {
  return task(
    taskId,
    'resize',
    running
      ? [
          { id: 'power-off-for-resize', taskState: 'resize_prep' },
          { id: 'resize-vm-object', taskState: 'resize_migrating' },
          { id: 'power-on-resized', taskState: 'resize_finish' },
        ]
      : [{ id: 'resize-vm-object', taskState: 'resize_migrating' }],
  );
}

export function planRevertResize(taskId: string, running: boolean): TaskStarted {
  return task(
    taskId,
    'revertResize',
    running
      ? [
          { id: 'power-off-for-resize', taskState: 'resize_reverting' },
          { id: 'restore-vm-size', taskState: 'resize_reverting' },
          { id: 'power-on-resized', taskState: 'resize_reverting' },
        ]
      : [{ id: 'restore-vm-size', taskState: 'resize_reverting' }],
  );
}

function task(taskId: string, action: InstanceActionName, steps: readonly PlannedStep[]): TaskStarted {
  return { taskId, action, steps: steps.map((s) => s.id), taskStates: steps.map((s) => s.taskState) };
}

/**
 * A build with ports (Nova's networks at create): the ports are bound to the VM before its object is
 * made (a port another VM took meanwhile fails the build before anything runs), the VM object carries
 * them as Multus interfaces with their Kube-OVN addresses, and once it runs (its host known) their
 * fabric ports are made there and the bindings confirmed.
 */
export function planCreate(taskId: string, withPorts: boolean): TaskStarted {
  if (!withPorts) return planTask(taskId, 'create');
  return task(taskId, 'create', [
    { id: 'bind-boot-ports', taskState: 'scheduling' },
    { id: 'create-vm-object', taskState: 'scheduling' },
    { id: 'await-running', taskState: 'spawning' },
    { id: 'plug-boot-ports', taskState: 'spawning' },
  ]);
}

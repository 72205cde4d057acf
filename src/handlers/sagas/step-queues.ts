import type { SagaQueue } from './saga-job.js';

/** Which adapter queue runs each step. Later operations add theirs (hypervisor: hot-add; fabric: ports). */
const STEP_QUEUES: Readonly<Record<string, SagaQueue>> = {
  'create-vm-object': 'cluster',
  'await-running': 'cluster',
  'start-vm': 'cluster',
  'stop-vm': 'cluster',
  'restart-vm': 'cluster',
  'pause-vm': 'cluster',
  'unpause-vm': 'cluster',
  'delete-vm-object': 'cluster',
  // Hot resize: the pod and the VM object on the cluster, the guest through libvirt.
  'resize-launcher-pod': 'cluster',
  'await-pod-resize': 'cluster',
  'shrink-launcher-pod': 'cluster',
  'record-vm-size': 'cluster',
  // The guest's change, its confirmation and the record (a VM object write) in one hypervisor job.
  'resize-guest': 'hypervisor',
  'hot-add-vcpus': 'hypervisor',
  'hot-add-memory': 'hypervisor',
  'confirm-guest-size': 'hypervisor',
  'restore-guest-vcpus': 'hypervisor',
  'restore-guest-memory': 'hypervisor',
  'unplug-vcpus': 'hypervisor',
  'trim-launcher-pod': 'cluster',
  // Hot resize by KubeVirt's live update.
  'update-vm-template': 'cluster',
  'follow-live-update': 'cluster',
  'restore-vm-template': 'cluster',
  // Live migration.
  'start-migration': 'cluster',
  'follow-migration': 'cluster',
  'abort-migration': 'cluster',
  // Cold resize and its revert.
  'power-off-for-resize': 'cluster',
  'resize-vm-object': 'cluster',
  'power-on-resized': 'cluster',
  'restore-vm-size': 'cluster',
  'power-on-after-resize': 'cluster',
  // AttachNic / DetachNic: the port's own stream and the fabric on 'fabric', the VM's interface on 'cluster'.
  'bind-port': 'fabric',
  'create-fabric-port': 'fabric',
  'attach-nic': 'cluster',
  'await-nic': 'cluster',
  'confirm-port-binding': 'fabric',
  'fail-port-binding': 'fabric',
  'detach-nic': 'cluster',
  'await-nic-gone': 'cluster',
  'unbind-port': 'fabric',
  'delete-fabric-port': 'fabric',
  'confirm-port-unbinding': 'fabric',
  'release-ports': 'fabric',
  // A build with ports.
  'bind-boot-ports': 'fabric',
  'plug-boot-ports': 'fabric',
  'release-boot-ports': 'fabric',
};

export class UnknownStepError extends Error {
  constructor(readonly stepId: string) {
    super(`No queue is defined for step ${stepId}`);
    this.name = 'UnknownStepError';
  }
}

export function queueForStep(stepId: string): SagaQueue {
  const queue = STEP_QUEUES[stepId];
  if (!queue) throw new UnknownStepError(stepId);
  return queue;
}

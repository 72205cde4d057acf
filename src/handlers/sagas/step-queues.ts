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

/**
 * One queue per adapter kind, so a slow or hung backend (a cluster API timing out) cannot starve the
 * jobs of the others. Task deadlines are not jobs (TaskDeadlineSweeper).
 */
export const QUEUE_NAMES = ['cluster', 'hypervisor', 'fabric'] as const;

export type QueueName = (typeof QUEUE_NAMES)[number];

export function isQueueName(value: unknown): value is QueueName {
  return typeof value === 'string' && (QUEUE_NAMES as readonly string[]).includes(value);
}

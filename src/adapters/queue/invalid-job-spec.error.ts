/** An enqueue was refused before anything was written: a bad id, queue or data. */
export class InvalidJobSpecError extends Error {
  constructor(readonly jobId: string, reason: string) {
    super(`Job ${JSON.stringify(jobId)} cannot be enqueued: ${reason}`);
    this.name = 'InvalidJobSpecError';
  }
}

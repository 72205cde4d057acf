/** A call on a JobQueue after close(). */
export class JobQueueClosedError extends Error {
  constructor() {
    super('The job queue is closed');
    this.name = 'JobQueueClosedError';
  }
}

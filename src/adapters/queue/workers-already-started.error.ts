/** startWorkers was called twice on one JobQueue; one processor per process keeps ownership clear. */
export class WorkersAlreadyStartedError extends Error {
  constructor() {
    super('Workers are already running on this job queue');
    this.name = 'WorkersAlreadyStartedError';
  }
}

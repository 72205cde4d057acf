import type { JobStatus } from '../../adapters/queue/job-queue.port.js';

/** A job as the API shows it: the queue's own state, in the API's snake_case. */
export function jobView(job: JobStatus) {
  const data = job.data as Record<string, unknown>;
  return {
    id: job.id,
    queue: job.queue,
    name: job.name,
    state: job.state,
    server_id: job.data.serverId,
    task_id: typeof data.taskId === 'string' ? data.taskId : null,
    step_id: typeof data.stepId === 'string' ? data.stepId : null,
    request_id: typeof data.requestId === 'string' ? data.requestId : null,
    attempts: job.attempts,
    max_attempts: job.maxAttempts,
    last_error: job.lastError,
    progress: job.progress,
    created_at: job.createdAt,
    started_at: job.startedAt,
    finished_at: job.finishedAt,
  };
}

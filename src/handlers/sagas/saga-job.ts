/** The queues jobs run on: one per adapter kind, so one slow backend does not starve the others. */
export type SagaQueue = 'cluster' | 'hypervisor' | 'fabric';

// A type alias, not an interface: the queue's JobData needs an implicit index signature.
type JobContext = {
  /** The VM (server) the job works on; the queue indexes jobs by it. */
  serverId: string;
  taskId: string;
  /** Carried into the step result so the instance action and the audit log name the original request. */
  requestId: string;
  correlationId: string;
  /** The event that caused this job: the step result's causation id. */
  causationEventId: string;
};

export type SagaJobData = JobContext & { kind: 'step'; stepId: string };

/** A job a process manager decided on; its id is derived from the causing event, so enqueueing twice is a no-op. */
export interface SagaJob {
  id: string;
  queue: SagaQueue;
  name: string;
  data: SagaJobData;
}

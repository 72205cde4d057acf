/**
 * Thrown by a job processor to ask for another attempt (a transient failure: timeout, 503, conflict
 * worth re-reading). Anything else a processor throws ends the job as failed at once, so a bug or a
 * refused request is not hammered eight times.
 */
export class RetryableJobError extends Error {
  readonly retryable = true;
  constructor(override readonly cause: unknown, message?: string) {
    super(message ?? (cause instanceof Error ? cause.message : String(cause)));
    this.name = 'RetryableJobError';
  }

  /** Also recognises instances from another copy of this module (jest's module registry, workers). */
  static is(error: unknown): error is RetryableJobError {
    return error instanceof RetryableJobError
      || (error instanceof Error && error.name === 'RetryableJobError' && (error as { retryable?: unknown }).retryable === true);
  }
}

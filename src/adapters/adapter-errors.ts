/**
 * How an adapter (cluster, hypervisor, fabric) says an operation failed. Saga workers read
 * `retryable` to choose between retrying the step with backoff and failing it now to compensate,
 * the split KubeVirt's controllers make between requeue and give-up. `code` is a stable name
 * (e.g. 'Timeout', 'OverMaximum') for logs, metrics and the fault recorded on the server.
 */
export abstract class AdapterError extends Error {
  abstract readonly retryable: boolean;

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Worth retrying as is: connection refused, timeout, 5xx, or a 409 conflict that persisted after
 * re-reading the object. The operation may or may not have taken effect; every port operation is
 * idempotent, so the retry is safe.
 */
export class TransientAdapterError extends AdapterError {
  readonly retryable = true;
}

/**
 * Retrying cannot help: an invalid object (422), no capacity, not supported, the object must exist
 * and does not, or the target is in a state that refuses the request. Fail the step and compensate.
 */
export class PermanentAdapterError extends AdapterError {
  readonly retryable = false;
}

/** Only adapter errors that say so are retried; anything else is a bug, not a flaky dependency. */
export function isRetryable(error: unknown): boolean {
  return error instanceof AdapterError && error.retryable;
}

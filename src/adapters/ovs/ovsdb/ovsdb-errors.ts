import { AdapterError, PermanentAdapterError } from '../../adapter-errors.js';

/**
 * One operation of a transaction failed (RFC 7047 puts these inside the `result` array, not in the
 * JSON-RPC `error`), or the commit itself failed (an extra element after the operations' results).
 * Nothing of the transaction was committed. A failed `wait` ("timed out") means the rows changed
 * since we read them: re-reading and deciding again can succeed, so it is a retryable 'Conflict'.
 */
export class OvsdbOperationError extends AdapterError {
  readonly retryable: boolean;

  constructor(
    readonly error: string,
    readonly details: string | undefined,
    /** Index of the caller's operation, or null for a commit-time failure. */
    readonly operationIndex: number | null,
    readonly table: string | undefined,
  ) {
    const where = operationIndex === null ? 'commit' : `operation ${operationIndex}${table ? ` on ${table}` : ''}`;
    super(error === 'timed out' ? 'Conflict' : 'OvsdbError', `OVSDB ${where} failed: ${error}${details ? ` (${details})` : ''}`);
    this.retryable = error === 'timed out';
  }
}

/** The server refused the request itself (unknown database, malformed request): a JSON-RPC error. */
export class OvsdbRpcError extends PermanentAdapterError {
  constructor(
    readonly method: string,
    readonly rpcError: unknown,
  ) {
    super('OvsdbError', `OVSDB ${method} refused: ${JSON.stringify(rpcError)}`);
  }
}

import type { ExpectedRevision } from './expected-revision.js';

/** An append whose expected revision did not match the stream; carries what the stream actually is. */
export class WrongExpectedVersionError extends Error {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly streamId: string,
    readonly expectedRevision: ExpectedRevision,
    /** -1 when the stream does not exist. */
    readonly actualRevision: number,
  ) {
    super(`Stream ${streamId} is at revision ${actualRevision}, expected ${String(expectedRevision)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/**
 * Optimistic concurrency on append, shaped like EventStoreDB's:
 * 'any' skips the check, 'no_stream' requires the stream not to exist,
 * 'stream_exists' requires at least one event, a number is the exact revision of the last event.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

/** The revision a stream with no events has; returned as `actualRevision` for a missing stream. */
export const NO_STREAM_REVISION = -1;

export function revisionMatches(expected: ExpectedRevision, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === NO_STREAM_REVISION;
    case 'stream_exists':
      return actual !== NO_STREAM_REVISION;
    default:
      return expected === actual;
  }
}

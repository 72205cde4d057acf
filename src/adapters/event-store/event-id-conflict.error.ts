/**
 * Why an append's event ids cannot be accepted:
 * - `other_stream`: an id is already stored in a different stream;
 * - `partial_retry`: some ids of the batch are stored and some are not, so it is neither a new
 *   append nor a retry of an earlier one;
 * - `duplicate_in_batch`: the batch repeats an id.
 */
export type EventIdConflictReason = 'other_stream' | 'partial_retry' | 'duplicate_in_batch';

/** An append whose event ids clash with stored events in a way a retry cannot explain. */
export class EventIdConflictError extends Error {
  readonly code = 'EVENT_ID_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly reason: EventIdConflictReason,
    /** The ids at fault. */
    readonly eventIds: string[],
  ) {
    super(`Append to ${streamId} rejected (${reason}): event ids ${eventIds.join(', ')}`);
    this.name = 'EventIdConflictError';
  }
}

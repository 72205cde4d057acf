/**
 * A stored snapshot does not have the shape its version promises (corrupted, or written by a bug).
 * Never reaches a caller: the executor logs it and folds the stream instead.
 */
export class UnreadableSnapshotError extends Error {
  readonly code = 'UNREADABLE_SNAPSHOT';
  constructor(readonly reason: string) {
    super(`Unreadable snapshot: ${reason}`);
    this.name = 'UnreadableSnapshotError';
  }
}

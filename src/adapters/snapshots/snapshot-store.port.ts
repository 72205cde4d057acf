/** A folded stream as stored: the state after the event at `revision`, in the decider's snapshot form. */
export interface StoredSnapshot {
  streamId: string;
  /** Revision of the last event folded into it. */
  revision: number;
  /** The decider's snapshot version when written (SnapshotSupport.version). */
  version: number;
  /** The snapshot as JSON text; parsed by the reader, so a corrupt one is found where it is used. */
  data: string;
  writtenAt: string;
}

/**
 * Snapshots of long streams, one per stream (the newest). An optimisation only: losing any or all of
 * them costs a longer load, never correctness, since the executor folds the stream instead.
 */
export interface SnapshotStore {
  /** The stream's snapshot, or null when it has none. */
  read(streamId: string): Promise<StoredSnapshot | null>;
  /**
   * Stores the snapshot unless the stream already has one at a later revision, so a slow writer never
   * replaces a newer snapshot with an older one. One at the same revision is replaced: that is how a
   * snapshot that could not be restored (corrupt, or of another version) is healed by the next load.
   * Returns whether it was stored.
   */
  write(snapshot: StoredSnapshot): Promise<boolean>;
  /** Waits for writes in flight, then refuses new ones (SnapshotStoreClosedError). */
  close(): Promise<void>;
}

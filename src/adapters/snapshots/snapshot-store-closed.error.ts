/** A snapshot write arrived after the store was closed (a background write racing shutdown). */
export class SnapshotStoreClosedError extends Error {
  readonly code = 'SNAPSHOT_STORE_CLOSED';
  constructor() {
    super('The snapshot store is closed');
    this.name = 'SnapshotStoreClosedError';
  }
}

import { SnapshotStoreClosedError } from '../../../src/adapters/snapshots/snapshot-store-closed.error.js';
import type { SnapshotStore, StoredSnapshot } from '../../../src/adapters/snapshots/snapshot-store.port.js';
import type { SqlDatabase } from '../../../src/adapters/sql/sql-database.js';

/** A database migrated with the event store's migrations, and snapshot stores on connections of their own. */
export interface SnapshotStoreFixture {
  db: SqlDatabase;
  openStore(): SnapshotStore;
  dispose(): Promise<void>;
}

const snapshot = (revision: number, version = 1, data = `{"at":${revision}}`): StoredSnapshot => ({
  streamId: 'subnet-a',
  revision,
  version,
  data,
  writtenAt: '2026-11-22T15:00:00.000Z',
});

export function describeSnapshotStoreContract(name: string, open: () => Promise<SnapshotStoreFixture>): void {
  describe(`SnapshotStore contract: ${name}`, () => {
    let fixture: SnapshotStoreFixture;
    let store: SnapshotStore;

    beforeEach(async () => {
      fixture = await open();
      store = fixture.openStore();
    });
    afterEach(async () => {
      await store.close();
      await fixture.dispose();
    });

    it("given the event store's migrations, when a stream without a snapshot is read, then null", async () => {
      expect(await store.read('subnet-a')).toBeNull();
    });

    it('given a written snapshot, when read, then every field comes back as written (the data byte for byte)', async () => {
      const data = '{"allocations":[["10.0.0.2","port-1"]],"note":"ü \\u0000 9007199254740993"}';
      expect(await store.write(snapshot(999, 3, data))).toBe(true);

      expect(await store.read('subnet-a')).toEqual(snapshot(999, 3, data));
      expect(await store.read('subnet-b')).toBeNull();
    });

    it('given a snapshot, when a newer one is written, then it replaces it', async () => {
      await store.write(snapshot(999));
      expect(await store.write(snapshot(1999))).toBe(true);
      expect((await store.read('subnet-a'))?.revision).toBe(1999);
    });

    it('given a snapshot, when an older one is written, then it is refused and the newer stays', async () => {
      await store.write(snapshot(1999));
      expect(await store.write(snapshot(999, 2))).toBe(false);
      expect(await store.read('subnet-a')).toEqual(snapshot(1999));
    });

    it('given a snapshot, when one at the same revision is written, then it replaces it (how an unreadable one is healed)', async () => {
      await store.write(snapshot(999, 1, 'not json'));
      expect(await store.write(snapshot(999, 2))).toBe(true);
      expect(await store.read('subnet-a')).toEqual(snapshot(999, 2));
    });

    it('given two stores (two replicas), when they write snapshots of one stream at once in any order, then the newest revision is what stays', async () => {
      const other = fixture.openStore();
      try {
        const revisions = [4999, 999, 3999, 1999, 2999];
        await Promise.all(revisions.map((r, i) => (i % 2 ? other : store).write(snapshot(r))));
        expect((await other.read('subnet-a'))?.revision).toBe(4999);
      } finally {
        await other.close();
      }
    });

    it('given a write in flight, when the store is closed, then the write completes first and later writes are refused', async () => {
      const writing = store.write(snapshot(999));
      await store.close();

      expect(await writing).toBe(true);
      await expect(store.write(snapshot(1999))).rejects.toBeInstanceOf(SnapshotStoreClosedError);
      const reader = fixture.openStore();
      expect((await reader.read('subnet-a'))?.revision).toBe(999);
      await reader.close();
    });
  });
}

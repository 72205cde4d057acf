import { SqlSnapshotStore } from '../../../src/adapters/snapshots/sql-snapshot-store.js';
import { runMigrations } from '../../../src/adapters/sql/migration-runner.js';
import { createPostgresTestSchema, shouldRunPostgresTests } from '../../support/databases.js';
import { describeSnapshotStoreContract } from './snapshot-store.contract.js';

const reachable = await shouldRunPostgresTests();

if (reachable) {
  describeSnapshotStoreContract('PostgreSQL', async () => {
    const schema = await createPostgresTestSchema();
    // The event store's migration set: the snapshots table is one of its migrations.
    await runMigrations(schema.db);
    return {
      db: schema.db,
      // A pool of its own on the event store's schema, as the service opens it.
      openStore: () => new SqlSnapshotStore(schema.open({ max: 2 })),
      dispose: () => schema.dispose(),
    };
  });
} else {
  describe.skip('SnapshotStore contract: PostgreSQL (skipped only outside CI, when the server is unreachable; under CI=true these tests run and fail)', () => {
    it('needs PostgreSQL', () => undefined);
  });
}

import { SqlSnapshotStore } from '../../../src/adapters/snapshots/sql-snapshot-store.js';
import { runMigrations } from '../../../src/adapters/sql/migration-runner.js';
import { createSqliteTestDatabase } from '../../support/databases.js';
import { describeSnapshotStoreContract } from './snapshot-store.contract.js';

describeSnapshotStoreContract('SQLite', async () => {
  const database = createSqliteTestDatabase();
  // The event store's migration set: the snapshots table is one of its migrations.
  await runMigrations(database.db);
  return {
    db: database.db,
    // A connection of its own to the event store's file, as the service opens it.
    openStore: () => new SqlSnapshotStore(database.open()),
    dispose: () => database.dispose(),
  };
});

import type { EventStore } from '../../src/adapters/event-store/event-store.port.js';
import { SqliteEventStore } from '../../src/adapters/event-store/sqlite/sqlite-event-store.js';
import { runMigrations } from '../../src/adapters/sql/migration-runner.js';
import { createSqliteTestDatabase } from '../support/databases.js';
import { describeEventStoreContract, type EventStoreFixture } from './event-store.contract.js';

describeEventStoreContract('SQLite', async (): Promise<EventStoreFixture> => {
  const database = createSqliteTestDatabase();
  await runMigrations(database.db);
  const stores: EventStore[] = [];
  return {
    db: database.db,
    openDatabase: () => database.open(),
    async openStore(options) {
      // Stores in one process share the connection, as the service does.
      const store = new SqliteEventStore(database.db, options);
      stores.push(store);
      return store;
    },
    async dispose() {
      for (const store of stores) await store.close();
      await database.dispose();
    },
  };
});

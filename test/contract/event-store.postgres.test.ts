import type { EventStore } from '../../src/adapters/event-store/event-store.port.js';
import { PostgresEventStore } from '../../src/adapters/event-store/postgres/postgres-event-store.js';
import { runMigrations } from '../../src/adapters/sql/migration-runner.js';
import { createPostgresTestSchema, shouldRunPostgresTests } from '../support/databases.js';
import { describeEventStoreContract, type EventStoreFixture } from './event-store.contract.js';

const reachable = await shouldRunPostgresTests();

if (reachable) {
  describeEventStoreContract('PostgreSQL', async (): Promise<EventStoreFixture> => {
    const schema = await createPostgresTestSchema();
    await runMigrations(schema.db);
    const stores: EventStore[] = [];
    return {
      db: schema.db,
      openDatabase: () => schema.open(),
      async openStore(options) {
        // Each store gets its own pool, like a separate process.
        const store = new PostgresEventStore(schema.open(), { ...options, closeDatabase: true });
        stores.push(store);
        return store;
      },
      async dispose() {
        for (const store of stores) await store.close();
        await schema.dispose();
      },
    };
  });
} else {
  describe.skip('EventStore contract: PostgreSQL (skipped only outside CI, when the server is unreachable; under CI=true these tests run and fail)', () => {
    it('needs PostgreSQL', () => undefined);
  });
}

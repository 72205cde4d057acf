import type { RecordedEvent } from '../../src/adapters/event-store/event-envelope.js';
import { SqliteEventStore } from '../../src/adapters/event-store/sqlite/sqlite-event-store.js';
import { runMigrations } from '../../src/adapters/sql/migration-runner.js';
import { createSqliteTestDatabase, type SqliteTestDatabase } from '../support/databases.js';
import { eventually } from '../support/eventually.js';
import { events } from './event-store.contract.js';

/**
 * Two processes on one SQLite file (API_PROCESSES, or two services on one DATA_DIR): each store has a
 * connection of its own. The subscriptions' poll is set to a minute, so only the data_version watch
 * can wake them in time for what the other process appends.
 */
describe('SQLite event store shared by two processes', () => {
  let database: SqliteTestDatabase;
  let mine: SqliteEventStore;
  let theirs: SqliteEventStore;

  beforeEach(async () => {
    database = createSqliteTestDatabase();
    await runMigrations(database.db);
    mine = new SqliteEventStore(database.open(), { pollIntervalMs: 60_000 });
    theirs = new SqliteEventStore(database.open(), { pollIntervalMs: 60_000 });
  });

  afterEach(async () => {
    await mine.close();
    await theirs.close();
    await database.dispose();
  });

  it('given a subscription in one process, when the other appends between its own appends, then it gets every event once, in order, without its own poll', async () => {
    const received: RecordedEvent[] = [];
    const subscription = mine.subscribeToAll({ after: 0, onEvents: async (batch) => void received.push(...batch) });
    await mine.append('s-1', events(2));
    await eventually(() => expect(received).toHaveLength(2));

    await theirs.append('s-2', events(3));
    await eventually(() => expect(received).toHaveLength(5));
    await mine.append('s-1', events(1));
    await theirs.append('s-2', events(1));
    await mine.append('s-1', events(2));
    await eventually(() => expect(received).toHaveLength(9));
    await subscription.stop();

    expect(received.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(received).toEqual(await theirs.readAll());
  });

  it('given both processes appending at once, when they are done, then positions are gapless and each stream keeps its revisions', async () => {
    await Promise.all([
      ...Array.from({ length: 20 }, () => mine.append('s-a', events(2))),
      ...Array.from({ length: 20 }, () => theirs.append('s-b', events(3))),
    ]);

    // A third connection: its reads all go to the file (a store's own tail may lag the other's commits by one watch).
    const reader = new SqliteEventStore(database.open());
    const all = await reader.readAll();
    await reader.close();
    expect(all.map((e) => e.position)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect((await theirs.readStream('s-a')).map((e) => e.revision)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect((await mine.readStream('s-b')).map((e) => e.revision)).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });
});

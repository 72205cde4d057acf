import type { SqlExecutor } from '../../../src/adapters/sql/sql-database.js';
import { deferSecondaryIndexes } from '../../../src/projections/deferred-indexes.js';
import { ProjectionRunner } from '../../../src/projections/projection-runner.js';
import { rebuildProjections } from '../../../src/projections/rebuild.js';
import { appendEventLog, readEventLog } from '../../fixtures/event-log.js';
import { allProjections, backends, dumpTables, type Backend } from './read-model-harness.js';

/** The read models' non-unique indexes, as the catalog has them. */
async function secondaryIndexes(db: SqlExecutor): Promise<string[]> {
  const rows =
    db.dialect === 'sqlite'
      ? await db.query<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name",
        )
      : await db.query<{ name: string }>(
          "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND indexdef NOT LIKE 'CREATE UNIQUE%' ORDER BY indexname",
        );
  return rows.map((r) => r.name);
}

const deferred = async (db: SqlExecutor) => (await db.query<{ name: string }>('SELECT name FROM projection_deferred_indexes')).map((r) => r.name);

describe.each(await backends())('secondary indexes around a rebuild (%s)', (_dialect, open) => {
  let backend: Backend;
  beforeEach(async () => {
    backend = await open();
    await appendEventLog(backend.store, readEventLog('lifecycle'));
  });
  afterEach(async () => {
    await backend.close();
  });

  it('when all projections are rebuilt, then every secondary index is there again and none is left deferred', async () => {
    const before = await secondaryIndexes(backend.db);
    expect(before).toEqual(expect.arrayContaining(['audit_log_server_idx', 'servers_project_idx', 'instance_actions_instance_idx']));

    await rebuildProjections({ db: backend.db, store: backend.store, projections: allProjections(), names: 'all' });

    expect(await secondaryIndexes(backend.db)).toEqual(before);
    expect(await deferred(backend.db)).toEqual([]);
  });

  it('given a rebuild that died after dropping the indexes, when the live runner starts, then they are recreated', async () => {
    const before = await secondaryIndexes(backend.db);
    await backend.db.transaction((tx) => deferSecondaryIndexes(tx, ['audit_log', 'servers']));
    expect(await secondaryIndexes(backend.db)).not.toContain('audit_log_server_idx');
    expect(await deferred(backend.db)).toContain('audit_log_server_idx');

    const runner = new ProjectionRunner({ db: backend.db, store: backend.store, projections: allProjections() });
    await runner.start();
    await runner.stop();

    expect(await secondaryIndexes(backend.db)).toEqual(before);
    expect(await deferred(backend.db)).toEqual([]);
  });

  it('given indexes a dead rebuild left deferred, when the next rebuild runs, then it ends with all of them and the same rows', async () => {
    const before = await secondaryIndexes(backend.db);
    await rebuildProjections({ db: backend.db, store: backend.store, projections: allProjections(), names: 'all' });
    const rebuilt = await dumpTables(backend.db);
    await backend.db.transaction((tx) => deferSecondaryIndexes(tx, ['instance_actions']));

    await rebuildProjections({ db: backend.db, store: backend.store, projections: allProjections(), names: ['servers'] });

    expect(await secondaryIndexes(backend.db)).toEqual(before);
    expect(await deferred(backend.db)).toEqual([]);
    expect(await dumpTables(backend.db)).toEqual(rebuilt);
  });
});

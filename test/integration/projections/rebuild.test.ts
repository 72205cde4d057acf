import { ProjectionRunner } from '../../../src/projections/projection-runner.js';
import { rebuildProjections, UnknownProjectionError } from '../../../src/projections/rebuild.js';
import { appendEventLog, readEventLog } from '../../fixtures/event-log.js';
import { catalogueEventLog } from '../flavors/catalogue-event-log.js';
import { allProjections, backends, dumpTables, type Backend } from './read-model-harness.js';

describe.each(await backends())('rebuilding projections (%s)', (_dialect, open) => {
  let backend: Backend;
  beforeEach(async () => {
    backend = await open();
  });
  afterEach(async () => {
    await backend.close();
  });

  /** Folds live, in small batches, while the log is being appended in chunks. */
  async function buildIncrementally(): Promise<number> {
    const runner = new ProjectionRunner({ db: backend.db, store: backend.store, projections: allProjections(), batchSize: 3, retryDelayMs: 10 });
    await runner.start();
    const events = [...readEventLog('lifecycle'), ...readEventLog('vm-created-v1'), ...catalogueEventLog()].map((e, i) => ({ ...e, position: i + 1 }));
    for (let i = 0; i < events.length; i += 5) {
      await appendEventLog(backend.store, events.slice(i, i + 5));
      await runner.waitForPosition(Math.min(i + 5, events.length) - 2, 2000);
    }
    const head = await backend.store.headPosition();
    expect(await runner.waitForPosition(head, 5000)).toBe(true);
    await runner.stop();
    return head;
  }

  it('given read models built incrementally while appending, when all are rebuilt, then every table is identical', async () => {
    const head = await buildIncrementally();
    const incremental = await dumpTables(backend.db);
    expect(incremental.servers).toHaveLength(5);
    expect(incremental.flavors!.length).toBeGreaterThan(0);
    expect(incremental.keypairs).toHaveLength(2);
    expect(incremental.project_quotas).toHaveLength(1);
    expect(incremental.images).toHaveLength(1);

    const checkpoints = await rebuildProjections({ db: backend.db, store: backend.store, projections: allProjections(), names: 'all', batchSize: 1000 });

    expect(checkpoints).toEqual(Object.fromEntries(allProjections().map((p) => [p.name, head])));
    expect(await dumpTables(backend.db)).toEqual(incremental);
  });

  it('when one projection is rebuilt, then only its tables are replayed and the others keep their checkpoint', async () => {
    const head = await buildIncrementally();
    const incremental = await dumpTables(backend.db);
    await backend.db.run("UPDATE servers SET name = 'tampered'");

    await rebuildProjections({ db: backend.db, store: backend.store, projections: allProjections(), names: ['servers'] });

    expect(await dumpTables(backend.db)).toEqual(incremental);
    const rows = await backend.db.query<{ name: string; position: number }>('SELECT name, position FROM projection_checkpoints ORDER BY name');
    expect(rows.map((r) => [r.name, Number(r.position)])).toEqual(
      allProjections()
        .map((p): [string, number] => [p.name, head])
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  });

  it('refuses an unknown projection name before touching anything', async () => {
    await expect(
      rebuildProjections({ db: backend.db, store: backend.store, projections: allProjections(), names: ['servers', 'nope'] }),
    ).rejects.toBeInstanceOf(UnknownProjectionError);
  });
});

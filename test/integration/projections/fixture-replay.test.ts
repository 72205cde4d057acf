import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProjectionRunner } from '../../../src/projections/projection-runner.js';
import { foldServerView } from '../../../src/projections/servers/server-view.js';
import { getServer } from '../../../src/projections/servers/servers.queries.js';
import { appendEventLog, FIXTURES, readEventLog, readExpected } from '../../fixtures/event-log.js';
import { allProjections, backends, readAllEvents, snapshotReadModels, type Backend, type ReadModelSnapshot } from './read-model-harness.js';

// UPDATE_EXPECTED=1 rewrites the expected JSON from what the projections produce; review the diff before committing.
const UPDATE = process.env.UPDATE_EXPECTED === '1';
const LOGS = ['lifecycle', 'vm-created-v1', 'vm-created-v2'];

describe.each(await backends())('replaying recorded logs (%s)', (_dialect, open) => {
  let backend: Backend;
  beforeEach(async () => {
    backend = await open();
  });
  afterEach(async () => {
    await backend.close();
  });

  async function replay(log: string, batchSize = 1000): Promise<ReadModelSnapshot> {
    await appendEventLog(backend.store, readEventLog(log));
    const runner = new ProjectionRunner({ db: backend.db, store: backend.store, projections: allProjections(), batchSize });
    await runner.catchUp();
    return snapshotReadModels(backend.db);
  }

  it.each(LOGS)('given the %s log, when the projections replay it, then the read models equal the expected JSON', async (log) => {
    const snapshot = await replay(log);
    if (UPDATE && _dialect === 'sqlite') writeFileSync(join(FIXTURES, 'expected', `${log}.json`), `${JSON.stringify(snapshot, null, 2)}\n`);
    expect(snapshot).toEqual(readExpected<ReadModelSnapshot>(log));
  });

  it.each(LOGS)('given the %s log, then every server row equals the pure fold of its stream', async (log) => {
    await replay(log, 7);
    const events = await readAllEvents(backend.store);
    const streams = [...new Set(events.filter((e) => e.streamId.startsWith('vm-')).map((e) => e.streamId))];
    for (const streamId of streams) {
      const folded = foldServerView(events.filter((e) => e.streamId === streamId));
      expect(await getServer(backend.db, streamId.slice(3))).toEqual(folded);
    }
  });

  it('given a log written with VMCreated v1, then it replays through the upcaster into the same read models as its v2 twin', async () => {
    const v1 = await replay('vm-created-v1');
    expect(v1).toEqual(readExpected<ReadModelSnapshot>('vm-created-v2'));
    expect(v1.servers[0]!.flavor).toMatchObject({ maxVcpus: 1, maxRamMb: 512, ephemeralGb: 0, swapMb: 0, extraSpecs: {} });
    expect(v1.servers[0]!.availabilityZone).toBeNull();
  });
});

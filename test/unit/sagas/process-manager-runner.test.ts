import { v7 as uuidv7 } from 'uuid';
import type { EventStore } from '../../../src/adapters/event-store/event-store.port.js';
import type { SqlDatabase } from '../../../src/adapters/sql/sql-database.js';
import type { VirtualMachineEvent } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import type { VirtualMachineState } from '../../../src/domain/virtual-machine/virtual-machine.state.js';
import { ProcessManagerRunner } from '../../../src/handlers/sagas/process-manager-runner.js';
import type { SagaJob } from '../../../src/handlers/sagas/saga-job.js';
import { VmTaskProcessManager } from '../../../src/handlers/sagas/vm-task.process-manager.js';
import { readCheckpoints } from '../../../src/projections/projection-checkpoints.js';
import { eventually } from '../../support/eventually.js';
import { openSqliteEventStore, openSqliteReadModelDb } from '../../support/read-model-db.js';
import { NOW, events } from '../domain/vm-fixtures.js';

const meta = { requestId: 'req-1', correlationId: 'req-1', causationId: 'req-1', actor: { userId: 'u', projectId: 'p', roles: [] } };
const HOUR = 3_600_000;

/** A VM created (its task started) under a fresh id: one event, one job (its first step). */
async function createVm(store: EventStore): Promise<number> {
  const vmId = uuidv7();
  const created = events.created() as Extract<VirtualMachineEvent, { type: 'VMCreated' }>;
  const event = { ...created, data: { ...created.data, vmId, task: { ...created.data.task, taskId: uuidv7() } } };
  await store.append(`vm-${vmId}`, [{ id: uuidv7(), schemaVersion: 1, metadata: meta, occurredAt: NOW, ...event }]);
  return store.headPosition();
}

describe('ProcessManagerRunner checkpoint', () => {
  let store: EventStore & { close(): Promise<void> };
  let db: SqlDatabase;
  let clock: number;
  let enqueued: SagaJob[];
  let runner: ProcessManagerRunner<VirtualMachineState> | undefined;
  const stored = async () => (await readCheckpoints(db, ['saga:vm-tasks'])).get('saga:vm-tasks');
  const startRunner = async (every: { events: number; ms: number }, now = () => clock, fence?: () => Promise<void>) => {
    runner = new ProcessManagerRunner<VirtualMachineState>({
      manager: new VmTaskProcessManager(),
      store,
      db,
      enqueue: async (jobs) => void enqueued.push(...jobs),
      checkpointEvery: every,
      now,
      fence,
    });
    await runner.start();
    return runner;
  };
  const handled = (r: ProcessManagerRunner<VirtualMachineState>, position: number) =>
    eventually(() => expect(r.position).toBeGreaterThanOrEqual(position));

  beforeEach(async () => {
    store = await openSqliteEventStore();
    db = await openSqliteReadModelDb();
    clock = 1_000_000;
    enqueued = [];
  });

  afterEach(async () => {
    await runner?.stop();
    runner = undefined;
    await store.close();
    await db.close();
  });

  it('given batches below the event count and within the interval, then their jobs are enqueued but the checkpoint is not written; at the count it is', async () => {
    const r = await startRunner({ events: 3, ms: HOUR });

    await handled(r, await createVm(store));
    await handled(r, await createVm(store));
    expect(enqueued).toHaveLength(2);
    expect(await stored()).toBe(0);

    const third = await createVm(store);
    await eventually(async () => expect(await stored()).toBe(third));
  });

  it('given handled events, when the interval has passed at the next batch, then the checkpoint is written', async () => {
    const r = await startRunner({ events: 1_000, ms: 1_000 });
    await handled(r, await createVm(store));
    expect(await stored()).toBe(0);

    clock += 1_000;
    const second = await createVm(store);

    await eventually(async () => expect(await stored()).toBe(second));
  });

  it('given an idle runner with unwritten events, then the checkpoint is written once the interval has passed', async () => {
    // Real time: nothing but the runner's own timer can write after this one batch.
    const r = await startRunner({ events: 1_000, ms: 50 }, Date.now);
    const position = await createVm(store);
    await handled(r, position);

    await eventually(async () => expect(await stored()).toBe(position), 2_000);
  });

  it('given unwritten events, when the runner stops, then it writes the checkpoint it reached', async () => {
    const r = await startRunner({ events: 1_000, ms: HOUR });
    const position = await createVm(store);
    await handled(r, position);
    expect(await stored()).toBe(0);

    await r.stop();

    expect(await stored()).toBe(position);
  });

  it('given the lease was lost (the fence refuses), when the runner stops, then the checkpoint is not written', async () => {
    let fenced = 0;
    const r = await startRunner({ events: 1_000, ms: HOUR }, () => clock, async () => {
      fenced += 1;
      throw new Error('lease lost');
    });
    const position = await createVm(store);
    await handled(r, position);

    await r.stop();

    expect(fenced).toBe(1);
    expect(await stored()).toBe(0);
  });
});

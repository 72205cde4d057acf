import { v7 as uuidv7 } from 'uuid';
import type { EventStore } from '../../../src/adapters/event-store/event-store.port.js';
import type { BullMqJobQueue } from '../../../src/adapters/queue/bullmq-job-queue.js';
import type { SqlDatabase } from '../../../src/adapters/sql/sql-database.js';
import type { VirtualMachineEvent } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import type { VirtualMachineState } from '../../../src/domain/virtual-machine/virtual-machine.state.js';
import { ProcessManagerRunner } from '../../../src/handlers/sagas/process-manager-runner.js';
import type { SagaJob } from '../../../src/handlers/sagas/saga-job.js';
import { VmTaskProcessManager } from '../../../src/handlers/sagas/vm-task.process-manager.js';
import { readCheckpoints } from '../../../src/projections/projection-checkpoints.js';
import { eventually } from '../../support/eventually.js';
import { openSqliteEventStore, openSqliteReadModelDb } from '../../support/read-model-db.js';
import { shouldRunRedisTests } from '../../support/redis.js';
import { NOW, events } from '../../unit/domain/vm-fixtures.js';
import { ALL_ONE, queueHarness, type QueueHarness } from '../queue/queue-test-kit.js';

const redisAvailable = await shouldRunRedisTests();
const meta = { requestId: 'req-1', correlationId: 'req-1', causationId: 'req-1', actor: { userId: 'u', projectId: 'p', roles: [] } };
const HOUR = 3_600_000;

/** A new VM's stream in one append: created (its first step: 1 job), and if asked its first step done (the next step: 1 job). */
async function createVm(store: EventStore, options: { stepDone: boolean }): Promise<number> {
  const vmId = uuidv7();
  const taskId = uuidv7();
  const created = events.created() as Extract<VirtualMachineEvent, { type: 'VMCreated' }>;
  const history: VirtualMachineEvent[] = [{ ...created, data: { ...created.data, vmId, task: { ...created.data.task, taskId } } }];
  if (options.stepDone) history.push({ type: 'TaskStepSucceeded', data: { vmId, taskId, stepId: 'create-vm-object', startedAt: NOW, finishedAt: NOW, host: 'node-1' } });
  await store.append(`vm-${vmId}`, history.map((e) => ({ id: uuidv7(), schemaVersion: 1, metadata: meta, occurredAt: NOW, ...e })));
  return store.headPosition();
}

/**
 * A process that dies between two checkpoint writes leaves the checkpoint behind the jobs it already
 * enqueued; the next process replays from there. The replay must cause no work twice.
 */
(redisAvailable ? describe : describe.skip)('process manager replay after a crash between checkpoint writes', () => { // skipped only outside CI (Redis at 127.0.0.1:6379 unreachable); under CI=true it runs and fails
  let store: EventStore & { close(): Promise<void> };
  let db: SqlDatabase;
  let queues: QueueHarness;
  const runners: ProcessManagerRunner<VirtualMachineState>[] = [];
  const stored = async () => (await readCheckpoints(db, ['saga:vm-tasks'])).get('saga:vm-tasks');

  /** One process's runner: checkpoint written every 3 events, never on time in this test. */
  async function processOn(queue: BullMqJobQueue, offered: SagaJob[] = []) {
    const runner = new ProcessManagerRunner<VirtualMachineState>({
      manager: new VmTaskProcessManager(),
      store,
      db,
      enqueue: async (jobs) => {
        offered.push(...jobs);
        await queue.enqueue(jobs);
      },
      checkpointEvery: { events: 3, ms: HOUR },
    });
    runners.push(runner);
    await runner.start();
    return runner;
  }

  beforeEach(async () => {
    store = await openSqliteEventStore();
    db = await openSqliteReadModelDb();
    queues = queueHarness();
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await queues.dispose();
    await store.close();
    await db.close();
  });

  it('given a batch whose jobs ran but whose checkpoint was not written, when the next process replays it, then its jobs are offered again and none runs twice', async () => {
    const ran: string[] = [];
    const first = queues.open();
    await first.startWorkers(async (job) => void ran.push(job.id), { concurrency: ALL_ONE });
    const firstProcess = await processOn(first);

    // Given: batch 1 (3 events, 3 jobs) is checkpointed; batch 2 (2 events, 2 jobs) has its jobs enqueued and run, not its checkpoint.
    const batch1 = (await createVm(store, { stepDone: true }), await createVm(store, { stepDone: false }));
    await eventually(async () => expect(await stored()).toBe(batch1));
    const batch2 = await createVm(store, { stepDone: true });
    await eventually(() => expect(firstProcess.position).toBe(batch2));
    await eventually(() => expect(ran).toHaveLength(5), 10_000);
    expect(await stored()).toBe(batch1);
    await first.close({ force: true }); // the first process's queue and workers die with it

    // When: the next process starts from the stored checkpoint, with workers of its own.
    const offered: SagaJob[] = [];
    const next = queues.open();
    await next.startWorkers(async (job) => void ran.push(job.id), { concurrency: ALL_ONE });
    const nextProcess = await processOn(next, offered);
    await eventually(() => expect(nextProcess.position).toBe(batch2));

    // Then: batch 2's jobs were offered again under the same ids, and the queue kept the ones it had.
    expect(offered).toHaveLength(2);
    const jobs = await next.listJobs({ limit: 1000 });
    expect(offered.map((j) => j.id).every((id) => jobs.some((job) => job.id === id))).toBe(true);
    expect(jobs).toHaveLength(5);
    expect(jobs.every((job) => job.state === 'completed')).toBe(true);
    expect(new Set(ran).size).toBe(ran.length);
    expect(ran).toHaveLength(5);
  });
});

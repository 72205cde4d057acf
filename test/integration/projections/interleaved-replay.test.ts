import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../../src/adapters/event-store/event-envelope.js';
import { ProjectionRunner } from '../../../src/projections/projection-runner.js';
import { openSqliteEventStore, openSqliteReadModelDb } from '../../support/read-model-db.js';
import { allProjections } from './read-model-harness.js';

// Replay speed is measured in bench/ (npm run bench -- --only replay); this is the replay's correctness.
const VMS = Number(process.env.REPLAY_VMS ?? 500);
const ROUNDS = 4;

/** A VM's life: create (4 events), then rounds of stop (3) and start (3). */
function lifeOf(vmId: string, t0: number): NewEvent[] {
  const meta = { requestId: `req-${vmId}`, correlationId: vmId, causationId: vmId, actor: { userId: 'u1', projectId: 'p1', roles: ['member'] } };
  let n = 0;
  const at = () => new Date(t0 + 1000 * n++).toISOString();
  const ev = (type: string, data: object, schemaVersion = 1): NewEvent => ({ id: randomUUID(), type, schemaVersion, data, metadata: meta, occurredAt: at() });
  const taskId = randomUUID();
  const events: NewEvent[] = [
    ev('VMCreated', {
      vmId, name: `vm-${vmId.slice(0, 8)}`, projectId: 'p1', userId: 'u1',
      flavor: { id: '2', name: 'm1.small', vcpus: 1, ramMb: 2048, diskGb: 20, ephemeralGb: 0, swapMb: 0, maxVcpus: 4, maxRamMb: 8192, extraSpecs: {} },
      imageRef: 'img', keyName: null, metadata: {}, availabilityZone: 'nova', userDataSha256: null, createdAt: new Date(t0).toISOString(),
      task: { taskId, action: 'create', steps: ['create-vm-object', 'await-running'], taskStates: ['scheduling', 'spawning'] },
    }, 2),
    ev('TaskStepSucceeded', { vmId, taskId, stepId: 'create-vm-object', startedAt: new Date(t0).toISOString(), finishedAt: new Date(t0).toISOString() }),
    ev('TaskStepSucceeded', { vmId, taskId, stepId: 'await-running', startedAt: new Date(t0).toISOString(), finishedAt: new Date(t0).toISOString(), host: 'node-1' }),
    ev('VMBuilt', { vmId, taskId, launchedAt: new Date(t0).toISOString(), host: 'node-1' }),
  ];
  for (let r = 0; r < ROUNDS; r++) {
    for (const [req, step, done, state] of [['VMStopRequested', 'stop-vm', 'VMStopped', 'powering-off'], ['VMStartRequested', 'start-vm', 'VMStarted', 'powering-on']] as const) {
      const id = randomUUID();
      const action = req === 'VMStopRequested' ? 'stop' : 'start';
      events.push(ev(req, { vmId, task: { taskId: id, action, steps: [step], taskStates: [state] } }));
      events.push(ev('TaskStepSucceeded', { vmId, taskId: id, stepId: step, startedAt: new Date(t0).toISOString(), finishedAt: new Date(t0).toISOString() }));
      events.push(ev(done, { vmId, taskId: id }));
    }
  }
  return events;
}

describe('replay of interleaved logs (SQLite)', () => {
  it(`given ${VMS} VMs' interleaved logs, when every projection replays them, then every server is ACTIVE, the project's usage counts them all and every checkpoint is at the head`, async () => {
    const store = await openSqliteEventStore();
    const db = await openSqliteReadModelDb();
    // Interleave the VMs, as a busy installation does, so each batch touches many servers.
    const lives = Array.from({ length: VMS }, (_, i) => ({ id: randomUUID(), events: lifeOf(randomUUID(), Date.UTC(2026, 0, 1) + i * 1000) }));
    const longest = Math.max(...lives.map((l) => l.events.length));
    for (let step = 0; step < longest; step += 2) {
      await Promise.all(lives.map((l) => (l.events.length > step ? store.append(`vm-${(l.events[0]!.data as { vmId: string }).vmId}`, l.events.slice(step, step + 2)) : undefined)));
    }
    const head = await store.headPosition();

    const runner = new ProjectionRunner({ db, store, projections: allProjections(), batchSize: 1000 });
    await runner.catchUp();

    expect(runner.checkpoints()).toEqual(Object.fromEntries(runner.names.map((n) => [n, head])));
    const counts = await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM servers WHERE status = 'ACTIVE'");
    expect(Number(counts[0]!.n)).toBe(VMS);
    const usage = await db.query<{ instances: number; cores: number; ram: number }>("SELECT instances, cores, ram FROM project_usage WHERE project_id = 'p1'");
    expect(usage.map((u) => [Number(u.instances), Number(u.cores), Number(u.ram)])).toEqual([[VMS, VMS, VMS * 2048]]);
    await store.close();
    await db.close();
  }, 120_000);
});

import { InvalidJobSpecError } from '../../../src/adapters/queue/invalid-job-spec.error.js';
import type { JobSpec, QueuedJob } from '../../../src/adapters/queue/job-queue.port.js';
import { RetryableJobError } from '../../../src/adapters/queue/retryable-job.error.js';
import { shouldRunRedisTests, waitFor } from '../../support/redis.js';
import { ALL_ONE, deferred, queueHarness, sleep, waitForState, type QueueHarness } from './queue-test-kit.js';

const reachable = await shouldRunRedisTests();
const describeRedis = reachable ? describe : describe.skip; // skipped only outside CI (Redis at 127.0.0.1:6379 unreachable); under CI=true it runs and fails

const job = (id: string, overrides: Partial<JobSpec> = {}): JobSpec => ({
  id,
  queue: 'fabric',
  name: 'ensure-port',
  data: { serverId: 'srv-1', stepId: `step-${id}` },
  ...overrides,
});

describeRedis('BullMqJobQueue', () => {
  let harness: QueueHarness;
  beforeEach(() => { harness = queueHarness(); });
  afterEach(() => harness.dispose());

  describe('idempotent enqueue', () => {
    it('given a job enqueued twice (in one call and again later), when workers run, then it runs once', async () => {
      const queue = harness.open();
      const runs: string[] = [];
      await queue.startWorkers(async (j) => { runs.push(j.id); }, { concurrency: ALL_ONE });

      await queue.enqueue([job('evt-1'), job('evt-1')]);
      await queue.enqueue([job('evt-1')]);
      await waitForState(queue, 'evt-1', 'completed');
      await sleep(100);

      expect(runs).toEqual(['evt-1']);
    });

    it('given a job that has completed, when the same id is enqueued again, then it is a no-op', async () => {
      const queue = harness.open();
      let runs = 0;
      await queue.startWorkers(async () => { runs += 1; }, { concurrency: ALL_ONE });
      await queue.enqueue([job('evt-2')]);
      const first = await waitForState(queue, 'evt-2', 'completed');

      await queue.enqueue([job('evt-2', { data: { serverId: 'srv-1', stepId: 'changed' } })]);
      await sleep(200);

      expect(runs).toBe(1);
      const after = await queue.getJob('evt-2');
      expect(after).toMatchObject({ state: 'completed', finishedAt: first.finishedAt, data: { stepId: 'step-evt-2' } });
    });

    it('given ids with ":" and "%", when enqueued, then the processor and queries see the ids unchanged', async () => {
      const queue = harness.open();
      const seen: string[] = [];
      await queue.startWorkers(async (j) => { seen.push(j.id); }, { concurrency: ALL_ONE });
      const id = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b:pod-resized:50%';

      await queue.enqueue([job(id)]);
      const status = await waitForState(queue, id, 'completed');

      expect(seen).toEqual([id]);
      expect(status.id).toBe(id);
      expect((await queue.listJobs({ serverId: 'srv-1' })).map((s) => s.id)).toEqual([id]);
    });

    it('given an invalid job, when enqueued, then it is refused with InvalidJobSpecError and nothing is written', async () => {
      const queue = harness.open();
      await expect(queue.enqueue([job('ok-1'), job('42')])).rejects.toBeInstanceOf(InvalidJobSpecError);
      await expect(queue.enqueue([job('x', { data: { serverId: '' } })])).rejects.toThrow(/serverId/);
      await expect(queue.enqueue([job('y', { queue: 'nope' as never })])).rejects.toThrow(/unknown queue/);
      expect(await queue.getJob('ok-1')).toBeNull();
    });
  });

  describe('per-queue isolation', () => {
    it('given a hung cluster processor, when fabric jobs are enqueued, then they still complete', async () => {
      const queue = harness.open();
      const release = deferred();
      await queue.startWorkers(async (j) => {
        if (j.queue === 'cluster') await release.promise;
      }, { concurrency: ALL_ONE });

      await queue.enqueue([job('c-1', { queue: 'cluster' }), job('c-2', { queue: 'cluster' })]);
      await waitForState(queue, 'c-1', 'active');
      await queue.enqueue(['f-1', 'f-2', 'f-3'].map((id) => job(id, { queue: 'fabric' })));

      for (const id of ['f-1', 'f-2', 'f-3']) await waitForState(queue, id, 'completed');
      expect((await queue.getJob('c-1'))?.state).toBe('active');
      expect((await queue.getJob('c-2'))?.state).toBe('waiting');
      release.resolve();
      await waitForState(queue, 'c-2', 'completed');
    });

    it('given concurrency 2 on hypervisor, when 5 jobs wait, then at most 2 run at once', async () => {
      const queue = harness.open();
      let running = 0;
      let peak = 0;
      await queue.startWorkers(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(80);
        running -= 1;
      }, { concurrency: { ...ALL_ONE, hypervisor: 2 } });

      const ids = ['h-1', 'h-2', 'h-3', 'h-4', 'h-5'];
      await queue.enqueue(ids.map((id) => job(id, { queue: 'hypervisor' })));
      for (const id of ids) await waitForState(queue, id, 'completed');

      expect(peak).toBe(2);
    });
  });

  describe('retries', () => {
    it('given a processor that fails twice with RetryableJobError, when run, then it is retried with growing delays and succeeds', async () => {
      const queue = harness.open({ backoff: { baseMs: 60, capMs: 1000 } });
      const runs: { attemptsMade: number; at: number; firstStartedAt: string; maxAttempts: number }[] = [];
      await queue.startWorkers(async (j: QueuedJob) => {
        runs.push({ attemptsMade: j.attemptsMade, at: Date.now(), firstStartedAt: j.firstStartedAt, maxAttempts: j.maxAttempts });
        if (j.attemptsMade < 2) throw new RetryableJobError(new Error(`backend busy (${j.attemptsMade})`));
      }, { concurrency: ALL_ONE });

      await queue.enqueue([job('r-1')]);
      const status = await waitForState(queue, 'r-1', 'completed');

      expect(runs.map((r) => r.attemptsMade)).toEqual([0, 1, 2]);
      expect(runs.every((r) => r.maxAttempts === 4)).toBe(true);
      // base 60 ms: the first retry waits 30..60 ms, the second 60..120 ms (jitter factor 0.5..1).
      expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(25);
      expect(runs[2]!.at - runs[1]!.at).toBeGreaterThanOrEqual(55);
      expect(new Set(runs.map((r) => r.firstStartedAt)).size).toBe(1);
      expect(Date.parse(runs[0]!.firstStartedAt)).toBeLessThanOrEqual(runs[0]!.at);
      expect(status).toMatchObject({ attempts: 3, maxAttempts: 4, lastError: 'backend busy (1)', startedAt: runs[0]!.firstStartedAt });
    });

    it('given a worker that dies mid-job, when another worker picks the stalled job up, then it sees the first start, not its own', async () => {
      const dying = harness.open();
      const first = deferred<string>();
      await dying.startWorkers(async (j) => {
        first.resolve(j.firstStartedAt);
        await new Promise(() => undefined); // never ends: its worker goes away with it
      }, { concurrency: ALL_ONE });
      await dying.enqueue([job('stall-1')]);
      const firstStartedAt = await first.promise;
      await dying.close({ force: true }); // no more lock renewals: the job stalls once its lock expires
      await sleep(50);

      const survivor = harness.open();
      const resumed = deferred<QueuedJob>();
      await survivor.startWorkers(async (j) => { resumed.resolve(j); }, { concurrency: ALL_ONE });
      const job2 = await resumed.promise;

      expect(job2.attemptsMade).toBe(0);
      expect(job2.firstStartedAt).toBe(firstStartedAt);
      expect(Date.now() - Date.parse(firstStartedAt)).toBeGreaterThanOrEqual(900); // the lock (1 s) had to expire first
    });

    it('given a processor that always asks for a retry, when the last attempt fails, then the job ends failed', async () => {
      const queue = harness.open({ attempts: { hypervisor: 3 } });
      let runs = 0;
      await queue.startWorkers(async () => {
        runs += 1;
        throw new RetryableJobError(new Error('libvirt: connection reset'));
      }, { concurrency: ALL_ONE });

      await queue.enqueue([job('r-2', { queue: 'hypervisor' })]);
      const status = await waitForState(queue, 'r-2', 'failed');

      expect(runs).toBe(3);
      expect(status).toMatchObject({ attempts: 3, maxAttempts: 3, lastError: 'libvirt: connection reset' });
      expect(status.finishedAt).not.toBeNull();
    });

    it('given a processor that throws an ordinary error, when run, then the job fails at once', async () => {
      const queue = harness.open();
      let runs = 0;
      await queue.startWorkers(async () => {
        runs += 1;
        throw new Error('422: spec.domain.cpu.sockets exceeds maxSockets');
      }, { concurrency: ALL_ONE });

      await queue.enqueue([job('r-3', { queue: 'cluster' })]);
      const status = await waitForState(queue, 'r-3', 'failed');
      await sleep(150);

      expect(runs).toBe(1);
      expect(status).toMatchObject({ attempts: 1, maxAttempts: 4, lastError: '422: spec.domain.cpu.sockets exceeds maxSockets' });
    });
  });

  describe('delayed jobs', () => {
    it('given a job with a delay, when enqueued, then it waits delayed and runs after the delay', async () => {
      const queue = harness.open();
      const ranAt = deferred<number>();
      await queue.startWorkers(async () => ranAt.resolve(Date.now()), { concurrency: ALL_ONE });

      const enqueuedAt = Date.now();
      await queue.enqueue([job('d-1', { queue: 'cluster', name: 'later', delayMs: 400 })]);

      expect((await queue.getJob('d-1'))?.state).toBe('delayed');
      expect(await ranAt.promise).toBeGreaterThanOrEqual(enqueuedAt + 400);
    });

    it('given a delayed job no longer needed, when removed, then it never runs and is gone from queries', async () => {
      const queue = harness.open();
      let runs = 0;
      await queue.startWorkers(async () => { runs += 1; }, { concurrency: ALL_ONE });
      await queue.enqueue([job('d-2', { queue: 'cluster', delayMs: 300 })]);

      expect(await queue.removeJob('d-2')).toBe(true);
      await sleep(500);

      expect(runs).toBe(0);
      expect(await queue.getJob('d-2')).toBeNull();
      expect(await queue.listJobs({ serverId: 'srv-1' })).toEqual([]);
      expect(await queue.removeJob('d-2')).toBe(false);
    });
  });

  describe('queries', () => {
    it('given jobs of two servers in several states, when listed by server, then each sees its own with state, attempts, error and progress', async () => {
      const queue = harness.open();
      const hold = deferred();
      await queue.startWorkers(async (j) => {
        if (j.data.mode === 'progress') {
          await j.updateProgress({ phase: 'resizing', percent: 40 });
          await hold.promise;
        }
        if (j.data.mode === 'fail') throw new Error('ovn: logical switch not found');
      }, { concurrency: ALL_ONE });

      await queue.enqueue([
        { id: 'a-ok', queue: 'fabric', name: 'ensure-port', data: { serverId: 'srv-a' } },
        { id: 'b-ok', queue: 'fabric', name: 'ensure-port', data: { serverId: 'srv-b' } },
      ]);
      await waitForState(queue, 'a-ok', 'completed');
      await queue.enqueue([{ id: 'a-fail', queue: 'fabric', name: 'ensure-port', data: { serverId: 'srv-a', mode: 'fail' } }]);
      await waitForState(queue, 'a-fail', 'failed');
      await queue.enqueue([{ id: 'a-run', queue: 'hypervisor', name: 'set-vcpus', data: { serverId: 'srv-a', mode: 'progress' } }]);
      await waitFor(async () => (await queue.getJob('a-run'))?.progress && true, 5000, 'progress');
      await queue.enqueue([{ id: 'a-later', queue: 'cluster', name: 'later', data: { serverId: 'srv-a' }, delayMs: 60_000 }]);

      const listed = await queue.listJobs({ serverId: 'srv-a' });

      expect(listed.map((s) => [s.id, s.queue, s.state])).toEqual([
        ['a-later', 'cluster', 'delayed'],
        ['a-run', 'hypervisor', 'active'],
        ['a-fail', 'fabric', 'failed'],
        ['a-ok', 'fabric', 'completed'],
      ]);
      const [later, running, failed, ok] = listed;
      expect(running).toMatchObject({ name: 'set-vcpus', attempts: 0, progress: { phase: 'resizing', percent: 40 }, finishedAt: null });
      expect(running!.startedAt).not.toBeNull();
      expect(failed).toMatchObject({ attempts: 1, lastError: 'ovn: logical switch not found' });
      expect(ok).toMatchObject({ lastError: null, data: { serverId: 'srv-a' } });
      expect(later).toMatchObject({ startedAt: null, finishedAt: null });
      expect((await queue.listJobs({ serverId: 'srv-b' })).map((s) => s.id)).toEqual(['b-ok']);
      expect((await queue.listJobs({ serverId: 'srv-a', states: ['failed', 'completed'] })).map((s) => s.id)).toEqual(['a-fail', 'a-ok']);
      expect((await queue.listJobs({ serverId: 'srv-a', queue: 'fabric', limit: 1 })).map((s) => s.id)).toEqual(['a-fail']);
      expect((await queue.listJobs({ states: ['completed'] })).map((s) => s.id).sort()).toEqual(['a-ok', 'b-ok']);
      expect((await queue.listJobs({ queue: 'hypervisor' })).map((s) => s.id)).toEqual(['a-run']);
      expect(await queue.getJob('missing')).toBeNull();

      const summary = await queue.summary();
      expect(summary).toEqual({
        fabric: { waiting: 0, active: 0, delayed: 0, completed: 2, failed: 1, paused: 0 },
        hypervisor: { waiting: 0, active: 1, delayed: 0, completed: 0, failed: 0, paused: 0 },
        cluster: { waiting: 0, active: 0, delayed: 1, completed: 0, failed: 0, paused: 0 },
      });
      hold.resolve();
    });

    it('given no workers, when jobs are enqueued, then the summary counts them as waiting and ping answers', async () => {
      const queue = harness.open();
      await queue.enqueue([job('w-1', { queue: 'cluster' }), job('w-2', { queue: 'cluster' }), job('w-3')]);

      await expect(queue.ping()).resolves.toBeUndefined();
      const summary = await queue.summary();
      expect(summary.cluster.waiting).toBe(2);
      expect(summary.fabric.waiting).toBe(1);
      expect((await queue.getJob('w-1'))).toMatchObject({ state: 'waiting', attempts: 0, startedAt: null, progress: 0 });
    });
  });
});

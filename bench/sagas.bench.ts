import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import type { RecordedEvent } from '../src/adapters/event-store/event-envelope.js';
import type { EventStore } from '../src/adapters/event-store/event-store.port.js';
import { encodeJobId } from '../src/adapters/queue/job-id-encoding.js';
import { AppModule } from '../src/app/app.module.js';
import { EVENT_STORE } from '../src/app/tokens.js';
import type { AppConfig } from '../src/config/config.schema.js';
import { vmStreamId } from '../src/domain/virtual-machine/virtual-machine.events.js';
import { queueForStep } from '../src/handlers/sagas/step-queues.js';
import { CreateServerCommand } from '../src/handlers/virtual-machine/create-server.command.js';
import { fmt, pool, spreadOf, type Spread } from './support/measure.js';
import { BENCH_REDIS_URL, benchRedisPrefix, bullJobTimes, deleteRedisKeys } from './support/redis.js';
import { freshConfig, type StoreKind } from './support/stores.js';

const actor = { userId: 'bench-user', projectId: 'bench-project', roles: ['member'] };

/** One phase: `vms` creates with up to `inFlight` in flight, observed until every task ended. */
export interface SagaPhaseResult {
  vms: number;
  inFlight: number;
  /** First create sent to last create answered. */
  acceptSeconds: number;
  acceptedPerSecond: number;
  /** First create sent to the commit (recordedAt) of the last VMBuilt. */
  activeSeconds: number;
  activePerSecond: number;
  /** Tasks that ended in TaskFailed instead of VMBuilt (should be 0). */
  failed: number;
  steps: number;
  /** Causing event's commit to the step result's commit (TaskStepSucceeded/Failed recordedAt), ms. */
  overhead: Spread;
  /** Causing event's commit to the job's first start (process manager + enqueue + BullMQ pickup), ms. */
  queueWait: Spread;
  /** Causing event's commit to the job's add (BullMQ `timestamp`): the process manager's lag, ms. */
  toEnqueue: Spread;
  /** Job added to the job's first start: waiting in BullMQ for a worker, ms. */
  inQueue: Spread;
  /** Job's first start to the step result's commit (load VM, run the step, record the result), ms. */
  runAndRecord: Spread;
  /** Overhead per step id. */
  byStep: Record<string, Spread & { count: number }>;
}

export interface SagaBenchResult {
  workerConcurrency: number;
  warmup: number;
  /** The burst: every create at once (the issue's 1,000 concurrent creates). */
  burst: SagaPhaseResult;
  /** One create at a time, each waiting for its VMBuilt: the per-step overhead without queueing. */
  unloaded: SagaPhaseResult | undefined;
}

export interface SagaBenchOptions {
  /** VMs created (and awaited) before measuring, so the burst runs on warm code; default 100. */
  warmup?: number;
  /** VMs of the unloaded phase after the burst (0: skip); default 100. */
  unloaded?: number;
  /** Overrides of the app's configuration (e.g. WORKER_CONCURRENCY_CLUSTER). */
  config?: Partial<AppConfig>;
}

/**
 * The sagas on the embedded cluster simulator (KubeVirt adapter over loopback HTTP): the whole app in process (no HTTP listener)
 * on its own store and Redis key prefix. After a warm-up, `vms` CreateServer commands go through the
 * bus at once; then, optionally, an unloaded phase creates VMs one after another. Completion is
 * observed on a $all subscription from the head before each phase (VMBuilt / TaskFailed), never by
 * polling the read model. The per-step overhead is computed afterwards from the VM streams: each step
 * result's causation id names the event that caused its job; BullMQ's job hashes split the wait.
 */
export async function benchSagas(kind: StoreKind, vms: number, options: SagaBenchOptions = {}): Promise<SagaBenchResult> {
  const warmup = options.warmup ?? 100;
  const unloaded = options.unloaded ?? 100;
  const base = freshConfig(kind);
  const prefix = benchRedisPrefix();
  // Room for every VM (m1.tiny: 1 vCPU, 512 MiB) so scheduling never waits for capacity.
  const perNode = Math.max(64, warmup + vms + unloaded);
  const config: AppConfig = {
    ...base.config,
    LOG_LEVEL: 'silent',
    REDIS_URL: BENCH_REDIS_URL,
    QUEUE_PREFIX: prefix,
    SIM_PERSIST: false,
    SIM_NODES: `node-1:${perNode}:${perNode * 1024},node-2:${perNode}:${perNode * 1024}`,
    ...options.config,
  };
  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false, abortOnError: false });
    await app.init();
    if (warmup > 0) await phase(app, prefix, warmup, warmup, false);
    const burst = await phase(app, prefix, vms, vms, false);
    return {
      workerConcurrency: config.WORKER_CONCURRENCY_CLUSTER,
      warmup,
      burst,
      unloaded: unloaded > 0 ? await phase(app, prefix, unloaded, 1, true) : undefined,
    };
  } finally {
    await app?.close();
    await deleteRedisKeys(prefix);
    await base.cleanup();
  }
}

async function phase(app: INestApplicationContext, prefix: string, vms: number, inFlight: number, awaitActive: boolean): Promise<SagaPhaseResult> {
  const bus = app.get(CommandBus);
  const store = app.get<EventStore>(EVENT_STORE);
  const vmIds = new Set<string>();
  let built = 0;
  let failed = 0;
  let lastBuiltMs = 0;
  // With awaitActive, each create waits for its own VM to end its task before the next one goes.
  const ended = new Map<string, () => void>();
  let settle!: () => void;
  let fail!: (error: unknown) => void;
  const settled = new Promise<void>((resolve, reject) => ((settle = resolve), (fail = reject)));
  const head = await store.headPosition();
  const subscription = store.subscribeToAll({
    after: head,
    batchSize: 1_000,
    onError: (error) => fail(error),
    onEvents: async (events: RecordedEvent[]) => {
      for (const e of events) {
        if (e.type === 'VMBuilt') {
          built++;
          lastBuiltMs = Math.max(lastBuiltMs, Date.parse(e.recordedAt));
        } else if (e.type === 'TaskFailed') {
          failed++;
        } else {
          continue;
        }
        ended.get((e.data as { vmId: string }).vmId)?.();
      }
      if (built + failed >= vms) settle();
    },
  });

  const timeoutMs = Math.max(60_000, vms * 100);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${built} VMBuilt, ${failed} TaskFailed of ${vms}`)), timeoutMs);
  });

  const startedMs = Date.now();
  const started = process.hrtime.bigint();
  let acceptSeconds = 0;
  try {
    await pool(vms, inFlight, async (i) => {
      const vmId = uuidv7();
      vmIds.add(vmId);
      const end = awaitActive ? new Promise<void>((resolve) => ended.set(vmId, resolve)) : undefined;
      await bus.execute(
        new CreateServerCommand(
          { vmId, taskId: uuidv7(), name: `bench-${i}`, projectId: actor.projectId, userId: actor.userId, flavorId: '1', imageRef: 'docker://quay.io/containerdisks/fedora:41', keyName: null, metadata: {}, availabilityZone: null, userDataSha256: null },
          { requestId: `req-${uuidv7()}`, actor },
        ),
      );
      await Promise.race([end, timeout]);
    });
    acceptSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
    await subscription.stop();
  }
  const activeSeconds = (lastBuiltMs - startedMs) / 1000;

  // Per step: the causing event's commit to the result's commit, read back from the VM streams.
  const overhead: number[] = [];
  const queueWait: number[] = [];
  const runAndRecord: number[] = [];
  const byStep = new Map<string, number[]>();
  const jobs: { queue: string; bullId: string; causeMs: number; startedMs: number }[] = [];
  for (const vmId of vmIds) {
    const stream = await store.readStream(vmStreamId(vmId));
    const byId = new Map(stream.map((e) => [e.id, e]));
    for (const e of stream) {
      if (e.type !== 'TaskStepSucceeded' && e.type !== 'TaskStepFailed') continue;
      const cause = byId.get(e.metadata.causationId);
      if (!cause) throw new Error(`step result ${e.id} in ${e.streamId}: causing event ${e.metadata.causationId} not in the stream`);
      const { stepId, startedAt } = e.data as { stepId: string; startedAt: string };
      const causeMs = Date.parse(cause.recordedAt);
      const resultMs = Date.parse(e.recordedAt);
      const jobStartedMs = Date.parse(startedAt);
      overhead.push(resultMs - causeMs);
      queueWait.push(jobStartedMs - causeMs);
      runAndRecord.push(resultMs - jobStartedMs);
      byStep.set(stepId, [...(byStep.get(stepId) ?? []), resultMs - causeMs]);
      jobs.push({ queue: queueForStep(stepId), bullId: encodeJobId(`${cause.id}.${stepId}`), causeMs, startedMs: jobStartedMs });
    }
  }
  const toEnqueue: number[] = [];
  const inQueue: number[] = [];
  (await bullJobTimes(prefix, jobs)).forEach((t, i) => {
    if (t.enqueuedMs === null) return;
    toEnqueue.push(t.enqueuedMs - jobs[i]!.causeMs);
    inQueue.push(jobs[i]!.startedMs - t.enqueuedMs);
  });
  return {
    vms,
    inFlight,
    acceptSeconds,
    acceptedPerSecond: vms / acceptSeconds,
    activeSeconds,
    activePerSecond: built / activeSeconds,
    failed,
    steps: overhead.length,
    overhead: spreadOf(overhead),
    queueWait: spreadOf(queueWait),
    toEnqueue: spreadOf(toEnqueue),
    inQueue: spreadOf(inQueue),
    runAndRecord: spreadOf(runAndRecord),
    byStep: Object.fromEntries([...byStep].map(([step, values]) => [step, { ...spreadOf(values), count: values.length }])),
  };
}

const ms = (p: Spread) => `p50 ${fmt(p.p50)} ms, p99 ${fmt(p.p99)} ms (max ${fmt(p.max)})`;

export function sagaRows(kind: StoreKind, result: SagaBenchResult): string[] {
  const r = result.burst;
  const u = result.unloaded;
  const setup = `${fmt(r.vms)} creates, ${fmt(r.inFlight)} in flight, ${result.workerConcurrency} cluster workers on the cluster simulator, after ${fmt(result.warmup)} warm-up VMs`;
  const steps = Object.entries(r.byStep)
    .map(([step, p]) => `${step} p50 ${fmt(p.p50)} / p99 ${fmt(p.p99)} ms`)
    .join('; ');
  return [
    `| ${kind} | sagas: CreateServer accepted through the bus (${setup}) | ${fmt(r.acceptedPerSecond)} creates/s | ${fmt(r.vms)} creates in ${r.acceptSeconds.toFixed(2)} s |`,
    `| ${kind} | sagas: VMs reaching ACTIVE (first create to last VMBuilt commit) | ${fmt(r.activePerSecond)} VMs/s | ${fmt(r.vms - r.failed)} VMs in ${r.activeSeconds.toFixed(2)} s${r.failed ? `, ${fmt(r.failed)} failed` : ''} |`,
    `| ${kind} | sagas: overhead per step in the burst (causing event commit to step result commit) | ${ms(r.overhead)} | ${fmt(r.steps)} steps; ${steps} |`,
    `| ${kind} | sagas: in the burst, causing event commit to job added (process manager lag) | ${ms(r.toEnqueue)} | ${fmt(r.steps)} steps |`,
    `| ${kind} | sagas: in the burst, job added to job start (waiting for a worker in BullMQ) | ${ms(r.inQueue)} | ${fmt(r.steps)} steps |`,
    `| ${kind} | sagas: in the burst, job start to step result commit (load VM, run step, record result) | ${ms(r.runAndRecord)} | ${fmt(r.steps)} steps |`,
    ...(u
      ? [
          `| ${kind} | sagas unloaded: overhead per step (${fmt(u.vms)} creates one after another, each waiting for its VMBuilt) | ${ms(u.overhead)} | ${fmt(u.steps)} steps; to enqueue p50 ${fmt(u.toEnqueue.p50)} / p99 ${fmt(u.toEnqueue.p99)} ms, in queue p50 ${fmt(u.inQueue.p50)} / p99 ${fmt(u.inQueue.p99)} ms, run and record p50 ${fmt(u.runAndRecord.p50)} / p99 ${fmt(u.runAndRecord.p99)} ms |`,
        ]
      : []),
  ];
}

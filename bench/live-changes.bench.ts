import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CommandBus } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import type { RecordedEvent } from '../src/adapters/event-store/event-envelope.js';
import type { EventStore } from '../src/adapters/event-store/event-store.port.js';
import { AppModule } from '../src/app/app.module.js';
import { CLUSTER, EVENT_STORE, HYPERVISOR } from '../src/app/tokens.js';
import type { AppConfig } from '../src/config/config.schema.js';
import type { VirtualMachineCommand } from '../src/domain/virtual-machine/virtual-machine.commands.js';
import { vmStreamId } from '../src/domain/virtual-machine/virtual-machine.events.js';
import { CreateServerCommand } from '../src/handlers/virtual-machine/create-server.command.js';
import { ExecuteVmCommand } from '../src/handlers/virtual-machine/execute-vm-command.command.js';
import { spreadOf, type Spread } from './support/measure.js';
import { BENCH_REDIS_URL, benchRedisPrefix, deleteRedisKeys } from './support/redis.js';
import { freshConfig, type StoreKind } from './support/stores.js';

const actor = { userId: 'bench-user', projectId: 'bench-project', roles: ['member'] };

/** One operation's timings, each from the request (the command sent) to the completion event's commit. */
export interface LiveChangeTimings {
  operations: number;
  failed: number;
  total: Spread;
  /** Time inside the cluster and hypervisor adapters' calls (HTTP to the simulator, exec to virsh). */
  adapter: Spread;
  /** total − adapter: the control plane (bus, store, process manager, queue, workers, polling). */
  controlPlane: Spread;
  /** Of it, the steps' waits from the causing event's commit to the job's start (process manager and BullMQ), summed per operation. */
  toJobStart: Spread;
  steps: number;
  /**
   * The longest the event loop was held (ms, at 1 ms resolution) while these operations ran (with the
   * VMs made and deleted for them): a stall
   * of the whole process (the OS not running it, a GC, a slow fsync) lands in whichever operation
   * was under way, so a p99 near it is the machine's, not a step's.
   */
  loopStallMaxMs: number;
}

export interface LiveChangeBenchResult {
  simStepMs: number;
  hotResize: LiveChangeTimings;
  liveUpdate: LiveChangeTimings;
  migration: LiveChangeTimings;
}

/**
 * Request to completion of a hot resize (in place: 1 → 2 vCPUs, 512 → 1024 MiB), a hot resize by
 * KubeVirt's live update, and a live migration, one at a time on an otherwise idle app, on the
 * embedded cluster simulator with its controller step at 1 ms (so the simulated cluster converges
 * as fast as it can) and the steps' poll interval at 1 ms. Every call into the cluster and hypervisor
 * adapters is timed; what is left of the total is the control plane's own overhead, which includes
 * the polls that wait for the simulator's next controller step.
 */
export async function benchLiveChanges(kind: StoreKind, operations: number): Promise<LiveChangeBenchResult> {
  const base = freshConfig(kind);
  const prefix = benchRedisPrefix();
  const simStepMs = Number(process.env.BENCH_SIM_STEP_MS ?? 1);
  const config: AppConfig = {
    ...base.config,
    LOG_LEVEL: 'silent',
    REDIS_URL: BENCH_REDIS_URL,
    QUEUE_PREFIX: prefix,
    SIM_PERSIST: false,
    SIM_STEP_MS: simStepMs,
    STEP_POLL_INTERVAL_MS: 1,
    POWER_SYNC_INTERVAL_SECONDS: 3600,
    RECONCILE_INTERVAL_SECONDS: 3600,
    SIM_NODES: 'node-1:64:131072,node-2:64:131072',
  };
  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false, abortOnError: false });
    await app.init();
    const clock = adapterClock([app.get(CLUSTER), app.get(HYPERVISOR)]);
    const bus = app.get(CommandBus);
    const store = app.get<EventStore>(EVENT_STORE);
    const run = (command: VirtualMachineCommand) => bus.execute(new ExecuteVmCommand(command, { requestId: `req-${uuidv7()}`, actor }));
    // Completion is seen on a $all subscription (polling the streams would take CPU from what is measured).
    const waiters = new Map<string, { types: string[]; resolve: (e: RecordedEvent) => void }>();
    const subscription = store.subscribeToAll({
      after: await store.headPosition(),
      batchSize: 1_000,
      onError: () => undefined,
      onEvents: async (events: RecordedEvent[]) => {
        for (const e of events) {
          const vmId = (e.data as { vmId?: string }).vmId;
          const w = vmId ? waiters.get(vmId) : undefined;
          if (w && w.types.includes(e.type)) {
            waiters.delete(vmId!);
            w.resolve(e);
          }
        }
      },
    });
    /** Sends the command and resolves with the first of these events the VM's stream gets after it. */
    const until = async (vmId: string, types: string[], send: () => Promise<unknown>): Promise<RecordedEvent> => {
      let timer: NodeJS.Timeout | undefined;
      const seen = new Promise<RecordedEvent>((resolve, reject) => {
        waiters.set(vmId, { types, resolve });
        timer = setTimeout(() => reject(new Error(`VM ${vmId}: no ${types.join('/')} within 60 s`)), 60_000);
      });
      try {
        await send();
        return await seen;
      } finally {
        clearTimeout(timer);
      }
    };

    /** A fresh ACTIVE VM (each operation gets its own, deleted after, so the simulated cluster stays small). */
    const activeVm = async (): Promise<string> => {
      const vmId = uuidv7();
      await until(vmId, ['VMBuilt'], () =>
        bus.execute(
          new CreateServerCommand(
            { vmId, taskId: uuidv7(), name: `bench-live-${vmId.slice(-6)}`, projectId: actor.projectId, userId: actor.userId, flavorId: '1', imageRef: 'docker://quay.io/containerdisks/fedora:41', keyName: null, metadata: {}, availabilityZone: null, userDataSha256: null },
            { requestId: `req-${uuidv7()}`, actor },
          ),
        ),
      );
      return vmId;
    };
    const remove = async (vmId: string) => {
      await until(vmId, ['VMDeleted'], () => run({ type: 'DeleteVM', data: { vmId, taskId: uuidv7() } }));
    };
    for (let i = 0; i < 5; i++) {
      const vmId = await activeVm();
      await until(vmId, ['VMHotResized', 'TaskFailed'], () => run({ type: 'HotResizeVM', data: { vmId, taskId: uuidv7(), vcpus: 2, ramMb: 1024 } }));
      await until(vmId, ['VMLiveMigrated', 'TaskFailed'], () => run({ type: 'LiveMigrateVM', data: { vmId, taskId: uuidv7(), targetHost: null } }));
      await remove(vmId);
    }

    const measure = async (command: (vmId: string) => VirtualMachineCommand, done: string): Promise<LiveChangeTimings> => {
      const totals: number[] = [];
      const adapters: number[] = [];
      const rest: number[] = [];
      const waits: number[] = [];
      let failed = 0;
      let steps = 0;
      const loop = monitorEventLoopDelay({ resolution: 1 });
      loop.enable();
      for (let i = 0; i < operations; i++) {
        const vmId = await activeVm();
        clock.reset();
        const sent = Date.now();
        const end = await until(vmId, [done, 'TaskFailed'], () => run(command(vmId)));
        const adapterMs = clock.elapsedMs();
        if (end.type === 'TaskFailed') failed++;
        const total = Date.parse(end.recordedAt) - sent;
        totals.push(total);
        adapters.push(adapterMs);
        rest.push(total - adapterMs);
        const stream = await store.readStream(vmStreamId(vmId));
        const byId = new Map(stream.map((e) => [e.id, e]));
        const results = stream.filter((e) => (e.type === 'TaskStepSucceeded' || e.type === 'TaskStepFailed') && (e.data as { taskId: string }).taskId === taskIdOf(stream, done));
        steps = results.length;
        waits.push(results.reduce((sum, e) => sum + (Date.parse((e.data as { startedAt: string }).startedAt) - Date.parse(byId.get(e.metadata.causationId)?.recordedAt ?? e.recordedAt)), 0));
        await remove(vmId);
      }
      loop.disable();
      return { operations, failed, total: spreadOf(totals), adapter: spreadOf(adapters), controlPlane: spreadOf(rest), toJobStart: spreadOf(waits), steps, loopStallMaxMs: loop.max / 1e6 };
    };
    const hotResize = await measure((vmId) => ({ type: 'HotResizeVM', data: { vmId, taskId: uuidv7(), vcpus: 2, ramMb: 1024 } }), 'VMHotResized');
    const liveUpdate = await measure((vmId) => ({ type: 'HotResizeVM', data: { vmId, taskId: uuidv7(), vcpus: 2, ramMb: 1024, strategy: 'live-update' } }), 'VMHotResized');
    const migration = await measure((vmId) => ({ type: 'LiveMigrateVM', data: { vmId, taskId: uuidv7(), targetHost: null } }), 'VMLiveMigrated');
    await subscription.stop();
    return { simStepMs, hotResize, liveUpdate, migration };
  } finally {
    await app?.close();
    await deleteRedisKeys(prefix);
    await base.cleanup();
  }
}

/** The task id of the (only) task that ended with `done` (or failed) after the VM was built. */
function taskIdOf(stream: RecordedEvent[], done: string): string {
  const end = stream.find((e) => e.type === done || (e.type === 'TaskFailed' && (e.data as { action: string }).action !== 'create'));
  return (end?.data as { taskId?: string } | undefined)?.taskId ?? '';
}

/**
 * Wraps every method of the adapters so the time spent inside them adds up (overlapping calls count
 * once: wall time with at least one call in flight). Operations run one at a time, so what is
 * measured between two resets belongs to one operation.
 */
function adapterClock(adapters: object[]) {
  let inFlight = 0;
  let since = 0;
  let total = 0;
  const enter = () => {
    if (inFlight++ === 0) since = performance.now();
  };
  const leave = () => {
    if (--inFlight === 0) total += performance.now() - since;
  };
  for (const adapter of adapters) {
    const target = adapter as Record<string, unknown>;
    const names = new Set<string>();
    for (let proto = Object.getPrototypeOf(adapter); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const name of Object.getOwnPropertyNames(proto)) if (name !== 'constructor' && typeof target[name] === 'function') names.add(name);
    }
    for (const name of names) {
      if (name.startsWith('watch')) continue; // long-lived: not a call
      const original = (target[name] as (...args: unknown[]) => unknown).bind(adapter);
      target[name] = (...args: unknown[]) => {
        const result = original(...args);
        if (!(result instanceof Promise)) return result;
        enter();
        return result.finally(leave);
      };
    }
  }
  return {
    reset: () => {
      total = 0;
      if (inFlight > 0) since = performance.now();
    },
    elapsedMs: () => total + (inFlight > 0 ? performance.now() - since : 0),
  };
}

const ms = (s: Spread) => `p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms (max ${s.max.toFixed(1)})`;

export function liveChangeRows(kind: StoreKind, r: LiveChangeBenchResult): string[] {
  const row = (what: string, t: LiveChangeTimings) => [
    `| ${kind} | live changes: ${what}, request to completion | ${ms(t.total)} | ${t.operations} one at a time${t.failed ? `, ${t.failed} failed` : ''}; cluster simulator step ${r.simStepMs} ms |`,
    `| ${kind} | live changes: ${what}, control plane (total minus adapter calls) | ${ms(t.controlPlane)} | adapter calls ${ms(t.adapter)}; ${t.steps} steps, causing commit to job start summed ${ms(t.toJobStart)}; longest event-loop stall ${t.loopStallMaxMs.toFixed(0)} ms |`,
  ];
  return [
    ...row('hot resize in place (1→2 vCPUs, 512→1024 MiB)', r.hotResize),
    ...row("hot resize by KubeVirt's live update (migration to a bigger pod)", r.liveUpdate),
    ...row('live migration', r.migration),
  ];
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { RecordedEvent } from '../../../src/adapters/event-store/event-envelope.js';
import { openSqliteEventStore } from '../../../src/adapters/event-store/sqlite/open-sqlite-event-store.js';
import type { SqliteEventStore } from '../../../src/adapters/event-store/sqlite/sqlite-event-store.js';
import { UpcasterChain } from '../../../src/adapters/event-store/upcaster.js';
import { SqliteDatabase } from '../../../src/adapters/sql/sqlite-database.js';
import { SQLITE_EVENTS_FILE, SQLITE_READ_MODELS_FILE } from '../../../src/app/storage.js';
import { upcasters } from '../../../src/domain/upcasters.js';
import { virtualMachineDecider } from '../../../src/domain/virtual-machine/virtual-machine.decider.js';
import { VIRTUAL_MACHINE_EVENT_VERSIONS, vmStreamId, type VirtualMachineEvent } from '../../../src/domain/virtual-machine/virtual-machine.events.js';
import type { VirtualMachineState } from '../../../src/domain/virtual-machine/virtual-machine.state.js';
import { AggregateExecutor } from '../../../src/handlers/shared/aggregate-executor.js';
import { SystemClock } from '../../../src/handlers/shared/clock.js';
import type { CommandResult } from '../../../src/handlers/shared/command-result.js';
import { UuidV7Generator } from '../../../src/handlers/shared/uuid-v7-generator.js';
import { CreateServerCommand } from '../../../src/handlers/virtual-machine/create-server.command.js';
import { CreateServerHandler } from '../../../src/handlers/virtual-machine/create-server.handler.js';
import { getServer } from '../../../src/projections/servers/servers.queries.js';
import type { ServerView } from '../../../src/projections/servers/server-view.js';
import type { Effect } from '../../../src/cluster-simulator/cluster-simulator.js';
import type { ServiceHarness } from '../../support/service-process.js';

export const ACTOR = { userId: 'user-a', projectId: 'project-a', roles: ['member'] };

/**
 * The test's side of a service running in another process: it writes commands straight into the
 * service's SQLite event store (the service's subscriptions poll the file and pick them up) and reads
 * back the VM streams, the servers read model and the cluster simulator's state file.
 */
export class ServiceClient {
  private constructor(
    private readonly harness: ServiceHarness,
    readonly store: SqliteEventStore,
    private readonly executor: AggregateExecutor,
    private readonly readModels: SqliteDatabase,
  ) {}

  /** Opens the stores of a started service (the service has migrated them and seeded the flavors). */
  static async open(harness: ServiceHarness): Promise<ServiceClient> {
    const store = await openSqliteEventStore({
      path: join(harness.dataDir, SQLITE_EVENTS_FILE),
      upcasters: new UpcasterChain(upcasters),
      migrate: false,
    });
    const executor = new AggregateExecutor(store, new SystemClock(), new UuidV7Generator());
    const readModels = new SqliteDatabase({ path: join(harness.dataDir, SQLITE_READ_MODELS_FILE) });
    return new ServiceClient(harness, store, executor, readModels);
  }

  async close(): Promise<void> {
    await this.store.close();
    await this.readModels.close();
  }

  /** CreateServer as the API will send it (flavor '1', seeded by the service). */
  async createServer(name: string): Promise<{ vmId: string; result: CommandResult }> {
    const vmId = uuidv7();
    const result = await new CreateServerHandler(this.executor).execute(
      new CreateServerCommand(
        {
          vmId,
          taskId: uuidv7(),
          name,
          projectId: ACTOR.projectId,
          userId: ACTOR.userId,
          flavorId: '1',
          imageRef: 'docker://quay.io/containerdisks/fedora:41',
          keyName: null,
          metadata: {},
          availabilityZone: null,
          userDataSha256: null,
        },
        { requestId: `req-${uuidv7()}`, actor: ACTOR },
      ),
    );
    return { vmId, result };
  }

  stopServer(vmId: string): Promise<CommandResult> {
    return this.executor.execute(
      vmStreamId(vmId),
      virtualMachineDecider,
      { type: 'StopVM', data: { vmId, taskId: uuidv7() } },
      { requestId: `req-${uuidv7()}`, actor: ACTOR },
      VIRTUAL_MACHINE_EVENT_VERSIONS,
    );
  }

  vmStream(vmId: string): Promise<RecordedEvent[]> {
    return this.store.readStream(vmStreamId(vmId));
  }

  /** The VM folded from its stream: the truth. */
  async vm(vmId: string): Promise<VirtualMachineState> {
    return (await this.executor.load(vmStreamId(vmId), virtualMachineDecider)).state;
  }

  /** The servers read model's row, as the API will show it. */
  server(vmId: string): Promise<ServerView | undefined> {
    return getServer(this.readModels, vmId);
  }

  /** The cluster simulator's saved state (DATA_DIR/simulation/cluster-simulator.json): the objects and the effect log. */
  cluster(): SimulatorFile {
    return readSimulatorFile(this.harness.dataDir);
  }

  /**
   * How often an effect ('createVm', 'stopVm') happened to a VM: the client writes the cluster
   * simulator carried out on its VirtualMachine, from the effect log in its state file (written
   * before the service heard the answer, so a service killed right after the write finds it counted).
   */
  effects(operation: keyof typeof EFFECTS, vmId: string): number {
    const { verb, resource } = EFFECTS[operation];
    return (this.cluster().effects ?? []).filter((e) => e.verb === verb && e.resource === resource && e.name === `vm-${vmId}`).length;
  }

  /** The uids of the VirtualMachine objects the cluster holds for a VM. */
  clusterUids(vmId: string): string[] {
    return simulatorVmUids(this.harness.dataDir, vmId);
  }
}

/** The port operations the recovery tests count, as the client writes the KubeVirt adapter makes for them. */
const EFFECTS = {
  createVm: { verb: 'create', resource: 'virtualmachines' },
  stopVm: { verb: 'update', resource: 'virtualmachines/stop' },
} as const;

export interface SimulatorFile {
  store: { objects: Array<{ resource: string; object: { metadata: { uid: string; labels?: Record<string, string> } } }> };
  effects?: Effect[];
}

function readSimulatorFile(dataDir: string): SimulatorFile {
  const path = join(dataDir, 'simulation', 'cluster-simulator.json');
  if (!existsSync(path)) return { store: { objects: [] }, effects: [] };
  return JSON.parse(readFileSync(path, 'utf8')) as SimulatorFile;
}

/**
 * The uids of the VirtualMachine objects the cluster simulator (CLUSTER_BACKEND=simulator) holds for
 * a VM, from its state file. Creating a VM is idempotent by name there (a second create is 409 and
 * re-read), so one uid and no compensation in the stream mean the side effect happened once.
 */
export function simulatorVmUids(dataDir: string, vmId: string): string[] {
  return readSimulatorFile(dataDir).store.objects
    .filter(({ resource, object }) => resource === 'kubevirt.io/virtualmachines' && object.metadata.labels?.['virtplane.io/vm-id'] === vmId)
    .map(({ object }) => object.metadata.uid);
}

/** What a test checks of a VM stream after recovery: contiguous revisions, unique ids, every step recorded once. */
export function streamProblems(events: readonly RecordedEvent[]): string[] {
  const problems: string[] = [];
  events.forEach((e, i) => {
    if (e.revision !== i) problems.push(`revision ${e.revision} at index ${i}`);
  });
  const ids = new Set(events.map((e) => e.id));
  if (ids.size !== events.length) problems.push(`${events.length - ids.size} duplicate event ids`);
  const positions = events.map((e) => e.position);
  if (positions.some((p, i) => i > 0 && p <= positions[i - 1]!)) problems.push(`positions not increasing: ${positions.join(',')}`);
  const steps = new Map<string, number>();
  for (const e of events) {
    if (e.type !== 'TaskStepSucceeded' && e.type !== 'TaskStepFailed') continue;
    const data = e.data as { taskId: string; stepId: string };
    const key = `${data.taskId}/${data.stepId}`;
    steps.set(key, (steps.get(key) ?? 0) + 1);
  }
  for (const [key, n] of steps) if (n > 1) problems.push(`step ${key} recorded ${n} times`);
  const tasks = new Map<string, number>();
  for (const e of events) {
    const data = e.data as { task?: { taskId: string } };
    if (data.task) tasks.set(data.task.taskId, (tasks.get(data.task.taskId) ?? 0) + 1);
  }
  for (const [taskId, n] of tasks) if (n > 1) problems.push(`task ${taskId} started ${n} times`);
  return problems;
}

/** The event types of a stream with each step's id: a readable summary for assertions and failures. */
export function streamSummary(events: readonly RecordedEvent[]): string[] {
  return events.map((e) => {
    const data = e.data as { stepId?: string };
    return data.stepId ? `${e.type}(${data.stepId})` : e.type;
  });
}

export type VmEventType = VirtualMachineEvent['type'];

/** Polls until the check returns something other than undefined/false; on timeout the error carries `context()`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  context: () => string | Promise<string> = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}\n${await context()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Wall-clock marks of a scenario (first run ready, killed, restarted, recovered), for its log line. */
export class Phases {
  private readonly started = Date.now();
  private readonly marks: Array<[string, number]> = [];

  mark(name: string): void {
    this.marks.push([name, Date.now() - this.started]);
  }

  toString(): string {
    return this.marks.map(([name, ms]) => `${name} +${(ms / 1000).toFixed(1)}s`).join(', ');
  }
}

/** Opens once countDown() was called `count` times; wait() also gives up (resolves) after a timeout. */
export class Latch {
  private readonly opened: Promise<void>;
  private open!: () => void;

  constructor(private count: number) {
    this.opened = new Promise((resolve) => (this.open = resolve));
    if (count <= 0) this.open();
  }

  countDown(): void {
    this.count -= 1;
    if (this.count === 0) this.open();
  }

  async wait(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.opened, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }
}

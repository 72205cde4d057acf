import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import type { EventStore } from '../../adapters/event-store/event-store.port.js';
import type { SqlDatabase, SqlExecutor } from '../../adapters/sql/sql-database.js';
import { CheckpointedConsumer } from '../shared/checkpointed-consumer.js';
import type { SagaJob } from './saga-job.js';

/** A pure process manager over one aggregate type: event + the aggregate's state right after it in, jobs out. */
export interface ProcessManager<S> {
  /** Unique: the key of its checkpoint. */
  name: string;
  /** Whether events of this stream concern it (e.g. `vm-` streams). */
  handlesStream(streamId: string): boolean;
  initialState(): S;
  evolve(state: S, event: RecordedEvent): S;
  jobsFor(event: RecordedEvent, stateAfter: S): SagaJob[];
  /** The jobs a whole stream still waits for (the same ids jobsFor gave them): for reconciliation. */
  pendingJobs(stream: readonly RecordedEvent[]): SagaJob[];
}

export interface ProcessManagerRunnerOptions<S> {
  manager: ProcessManager<S>;
  store: EventStore;
  /** Holds the checkpoint (the read-model database's checkpoints table). */
  db: SqlDatabase;
  enqueue(jobs: SagaJob[]): Promise<void>;
  batchSize?: number;
  /**
   * The checkpoint is written once this many events were handled since the last write, or once this
   * long has passed (also when idle), and on stop: not after every batch (a round trip each). Default
   * 1,000 events or 1 s.
   */
  checkpointEvery?: { events: number; ms: number };
  now?: () => number;
  /** Checked in the checkpoint write's transaction: throws when this process lost the lease (see DeferredCheckpoint). */
  fence?: (tx: SqlExecutor) => Promise<void>;
  /** Wait before re-subscribing after a failed batch (e.g. Redis down). */
  retryDelayMs?: number;
  onError?(error: unknown): void;
}

/**
 * Runs a process manager on $all from its own checkpoint. A batch's jobs are enqueued first and the
 * checkpoint moves only after that, and it is written at most every `checkpointEvery`: a crash
 * re-delivers the events since the last write (at most 1,000 events or 1 s of them by default).
 * That is harmless, twice over:
 * - the jobs' ids come from the events, and the queue refuses an id it holds (waiting, delayed,
 *   running, or finished: completed jobs are kept a day, failed ones a week), so enqueueing them
 *   again is a no-op;
 * - past that, the work is level-based: a step job runs only while its task still waits for that
 *   step (SagaJobProcessor), and a deadline only expires its own task while it still runs.
 */
export class ProcessManagerRunner<S> {
  private readonly consumer: CheckpointedConsumer;
  /** Bridges consecutive events of one stream so most states are folded on, not read again. */
  private readonly cache = new Map<string, { revision: number; state: S }>();

  constructor(private readonly options: ProcessManagerRunnerOptions<S>) {
    this.consumer = new CheckpointedConsumer({
      store: options.store,
      db: options.db,
      name: options.manager.name,
      handle: (events) => this.handle(events),
      batchSize: options.batchSize ?? 500,
      checkpointEvery: options.checkpointEvery,
      now: options.now,
      retryDelayMs: options.retryDelayMs,
      fence: options.fence,
      onError: options.onError,
    });
  }

  get name(): string {
    return this.options.manager.name;
  }

  /** The error of the last failed batch while the runner waits to retry it. */
  get error(): unknown {
    return this.consumer.error;
  }

  /** Handled: the batches up to here have their jobs enqueued. Resubscriptions start after it. */
  get position(): number {
    return this.consumer.position;
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  /** Stops after the batch in hand and writes the checkpoint it reached. */
  stop(): Promise<void> {
    return this.consumer.stop();
  }

  /**
   * Re-enqueues what the given aggregates' running tasks wait for, derived from their streams alone:
   * after Redis lost its jobs (restarted without persistence) the checkpoint is already past the
   * events that made them. Jobs that still exist are not duplicated (same ids).
   */
  async reconcile(streamIds: readonly string[]): Promise<number> {
    let enqueued = 0;
    for (const streamId of streamIds) {
      const jobs = this.options.manager.pendingJobs(await this.options.store.readStream(streamId));
      if (jobs.length === 0) continue;
      await this.options.enqueue(jobs);
      enqueued += jobs.length;
    }
    return enqueued;
  }

  private async handle(events: RecordedEvent[]): Promise<void> {
    const { manager } = this.options;
    const jobs: SagaJob[] = [];
    for (const event of events) {
      if (!manager.handlesStream(event.streamId)) continue;
      const state = await this.stateAfter(event);
      jobs.push(...manager.jobsFor(event, state));
    }
    if (jobs.length > 0) await this.options.enqueue(jobs);
    // Keeping the cache small keeps memory flat however many VMs there are.
    if (this.cache.size > 10_000) this.cache.clear();
  }

  /** The aggregate's state right after `event`: folded on from the cache, or read from the stream up to it. */
  private async stateAfter(event: RecordedEvent): Promise<S> {
    const { manager, store } = this.options;
    const cached = this.cache.get(event.streamId);
    let state: S;
    if (cached && cached.revision === event.revision - 1) {
      state = manager.evolve(cached.state, event);
    } else if (event.revision === 0) {
      state = manager.evolve(manager.initialState(), event);
    } else {
      state = manager.initialState();
      for (const e of await store.readStream(event.streamId, { maxCount: event.revision + 1 })) state = manager.evolve(state, e);
    }
    this.cache.set(event.streamId, { revision: event.revision, state });
    return state;
  }
}

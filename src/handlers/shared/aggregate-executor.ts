import { LRUCache } from 'lru-cache';
import type { EventStore, StreamRevision } from '../../adapters/event-store/event-store.port.js';
import type { NewEvent, RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import { NO_STREAM_REVISION } from '../../adapters/event-store/expected-revision.js';
import { WrongExpectedVersionError } from '../../adapters/event-store/wrong-expected-version.error.js';
import type { SnapshotStore } from '../../adapters/snapshots/snapshot-store.port.js';
import type { Decider, SnapshotSupport } from '../../domain/shared/decider.js';
import type { Clock, IdGenerator } from './clock.js';
import type { CommandMetadata } from './command-metadata.js';
import type { CommandResult } from './command-result.js';
import { SnapshotKeeper, type SnapshotLog } from './snapshot-keeper.js';

type DomainEvent = { type: string; data: unknown };
type Folded<S> = { revision: number; state: S };

/** How many times a command is re-decided when another writer got to the stream first. */
const MAX_ATTEMPTS = 3;

/** Streams whose folded state is kept (least recently used go first). */
const CACHED_STREAMS = 10_000;

/**
 * A command decided on other streams' state as well as its own (a create on its flavor): the caller
 * makes it from their folds and names the revisions it made it at, which the append checks. When one
 * of them has moved, the executor asks again with `reread` (load them, do not take a cached fold) and
 * decides afresh, as it does when its own stream moved.
 */
export type CommandOnOtherStreams<C> = (reread: boolean) => Promise<{ command: C; alsoExpect: readonly StreamRevision[] }>;

export interface AggregateExecutorOptions {
  /** Where deciders with snapshot support keep their snapshots; without it every cold load folds from 0. */
  snapshots?: SnapshotStore;
  /** Where snapshot failures are reported (default: Nest's Logger). */
  snapshotLog?: SnapshotLog;
}

/**
 * The one way commands reach the store: load the stream, fold, decide, append with the expected
 * revision. No side effects. On a concurrent write, to its stream or to another the command was made
 * from, the command is decided again against the new state (the domain then refuses it if it no longer
 * fits); after MAX_ATTEMPTS the conflict surfaces.
 * A decider with snapshot support loads cold from its snapshot plus the events after it, and gets a
 * new snapshot (written in the background) each time its stream grows past a multiple of the interval.
 */
export class AggregateExecutor {
  /**
   * Folded states by stream. Events never change, so a state folded up to revision N stays true and
   * a load only reads what came after N; states are immutable (evolve returns new objects).
   */
  private readonly folded = new LRUCache<string, Folded<unknown>>({ max: CACHED_STREAMS });

  private readonly snapshots: SnapshotKeeper | null;

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    options: AggregateExecutorOptions = {},
  ) {
    this.snapshots = options.snapshots ? new SnapshotKeeper(options.snapshots, clock, options.snapshotLog) : null;
  }

  async execute<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C | CommandOnOtherStreams<C>,
    meta: CommandMetadata,
    schemaVersions: Readonly<Record<E['type'], number>>,
    options: { likelyNewStream?: boolean } = {},
  ): Promise<CommandResult> {
    let assumeNew = options.likelyNewStream === true;
    let reread = false;
    for (let attempt = 1; ; attempt++) {
      // A stream the caller just named (a create's fresh id) is decided against the initial state
      // without reading it: the append's 'no_stream' expectation is the check, and if the stream did
      // exist the conflict sends this loop back through a real load, as for any concurrent writer.
      const { state, revision } =
        assumeNew && !this.folded.has(streamId) ? { state: decider.initialState(), revision: NO_STREAM_REVISION } : await this.load(streamId, decider);
      const { command: made, alsoExpect } = typeof command === 'function' ? await (command as CommandOnOtherStreams<C>)(reread) : { command, alsoExpect: undefined };
      const now = this.clock.now();
      const decided = decider.decide(made, state, { now });
      if (decided.length === 0) return { streamId, eventTypes: [], lastPosition: null, revision };
      const events = decided.map((e): NewEvent => this.envelope(e, schemaVersions[e.type as E['type']], meta, now));
      try {
        const result = await this.store.append(streamId, events, {
          expectedRevision: revision === NO_STREAM_REVISION ? 'no_stream' : revision,
          alsoExpect,
        });
        const next = decided.reduce(decider.evolve, state);
        this.remember(streamId, result.nextExpectedRevision, next);
        if (decider.snapshots && crossesInterval(revision, result.nextExpectedRevision, decider.snapshots.everyEvents)) {
          this.snapshots?.writeLater(streamId, result.nextExpectedRevision, next, decider.snapshots);
        }
        return {
          streamId,
          eventTypes: decided.map((e) => e.type),
          lastPosition: result.lastPosition,
          revision: result.nextExpectedRevision,
        };
      } catch (error) {
        // The unread first attempt of a likely-new stream does not count against the retries.
        if (!(error instanceof WrongExpectedVersionError) || attempt >= MAX_ATTEMPTS + (options.likelyNewStream ? 1 : 0)) throw error;
        if (error.streamId === streamId) assumeNew = false;
        else if (alsoExpect?.some((other) => other.streamId === error.streamId)) reread = true;
        else throw error;
      }
    }
  }

  /**
   * The fold this executor holds for a stream, without reading it: possibly behind the store, so a
   * decision made on it must name it in the append's `alsoExpect` (the store then checks it).
   */
  cached<S>(streamId: string): { state: S; revision: number } | undefined {
    return this.folded.get(streamId) as Folded<S> | undefined;
  }

  /** Folds a stream into its current state (the store has already upcast old events). */
  async load<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>): Promise<{ state: S; revision: number }> {
    const cached = this.folded.get(streamId) as Folded<S> | undefined;
    const { base, events } = cached
      ? { base: cached, events: await this.store.readStream(streamId, { fromRevision: cached.revision + 1 }) }
      : await this.readCold(streamId, decider.snapshots);
    let state = base ? base.state : decider.initialState();
    for (const event of events) state = decider.evolve(state, { type: event.type, data: event.data } as E);
    const last = events[events.length - 1];
    const revision = last ? last.revision : (base?.revision ?? NO_STREAM_REVISION);
    if (revision !== NO_STREAM_REVISION) this.remember(streamId, revision, state);
    // A cold load that folded a whole interval or more (no snapshot yet, an unusable one, or a write
    // lost to a crash) stores what it folded, so the next cold load is short again.
    if (!cached && decider.snapshots && revision - (base?.revision ?? NO_STREAM_REVISION) >= decider.snapshots.everyEvents) {
      this.snapshots?.writeLater(streamId, revision, state, decider.snapshots);
    }
    return { state, revision };
  }

  /** Resolves once the snapshots asked for so far are written (or their failure logged). */
  snapshotsSettled(): Promise<void> {
    return this.snapshots ? this.snapshots.settled() : Promise.resolve();
  }

  /**
   * A stream with nothing cached: its usable snapshot and the events after it, or all its events.
   * The read starts at the snapshot's own revision, to check in the same query that the stream has
   * that event; a snapshot the stream does not back (a log restored without it) is ignored.
   */
  private async readCold<S>(streamId: string, support: SnapshotSupport<S> | undefined): Promise<{ base: Folded<S> | null; events: RecordedEvent[] }> {
    const snapshot = this.snapshots && support ? await this.snapshots.restore(streamId, support) : null;
    if (snapshot) {
      const events = await this.store.readStream(streamId, { fromRevision: snapshot.revision });
      if (events[0]?.revision === snapshot.revision) return { base: snapshot, events: events.slice(1) };
      this.snapshots!.discard(streamId, snapshot.revision);
    }
    return { base: null, events: await this.store.readStream(streamId) };
  }

  private remember(streamId: string, revision: number, state: unknown): void {
    this.folded.set(streamId, { revision, state });
  }

  private envelope(event: DomainEvent, schemaVersion: number, meta: CommandMetadata, now: string): NewEvent {
    return {
      id: this.ids.next(),
      type: event.type,
      schemaVersion,
      data: event.data,
      occurredAt: now,
      metadata: {
        requestId: meta.requestId,
        correlationId: meta.correlationId ?? meta.requestId,
        causationId: meta.causationId ?? meta.requestId,
        actor: meta.actor,
        ...(meta.requestFingerprint !== undefined ? { requestFingerprint: meta.requestFingerprint } : {}),
      },
    };
  }
}

/** Whether a stream going from revision `from` to `to` passed a multiple of `every` events. */
function crossesInterval(from: number, to: number, every: number): boolean {
  return Math.floor((from + 1) / every) < Math.floor((to + 1) / every);
}

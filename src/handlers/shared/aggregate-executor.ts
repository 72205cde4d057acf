import type { EventStore } from '../../adapters/event-store/event-store.port.js';
import type { NewEvent } from '../../adapters/event-store/event-envelope.js';
import { NO_STREAM_REVISION } from '../../adapters/event-store/expected-revision.js';
import { WrongExpectedVersionError } from '../../adapters/event-store/wrong-expected-version.error.js';
import type { Decider } from '../../domain/shared/decider.js';
import type { Clock, IdGenerator } from './clock.js';
import type { CommandMetadata } from './command-metadata.js';
import type { CommandResult } from './command-result.js';

type DomainEvent = { type: string; data: unknown };

/** How many times a command is re-decided when another writer got to the stream first. */
const MAX_ATTEMPTS = 3;

/** Streams whose folded state is kept (least recently used go first). */
const CACHED_STREAMS = 10_000;

/**
 * The one way commands reach the store: load the stream, fold, decide, append with the expected
 * revision. No side effects. On a concurrent write the command is decided again against the new state
 * (the domain then refuses it if it no longer fits); after MAX_ATTEMPTS the conflict surfaces.
 */
export class AggregateExecutor {
  /**
   * Folded states by stream. Events never change, so a state folded up to revision N stays true and
   * a load only reads what came after N; states are immutable (evolve returns new objects).
   */
  private readonly folded = new Map<string, { revision: number; state: unknown }>();

  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async execute<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    meta: CommandMetadata,
    schemaVersions: Readonly<Record<E['type'], number>>,
  ): Promise<CommandResult> {
    for (let attempt = 1; ; attempt++) {
      const { state, revision } = await this.load(streamId, decider);
      const now = this.clock.now();
      const decided = decider.decide(command, state, { now });
      if (decided.length === 0) return { streamId, eventTypes: [], lastPosition: null, revision };
      const events = decided.map((e): NewEvent => this.envelope(e, schemaVersions[e.type as E['type']], meta, now));
      try {
        const result = await this.store.append(streamId, events, {
          expectedRevision: revision === NO_STREAM_REVISION ? 'no_stream' : revision,
        });
        this.remember(streamId, result.nextExpectedRevision, decided.reduce(decider.evolve, state));
        return {
          streamId,
          eventTypes: decided.map((e) => e.type),
          lastPosition: result.lastPosition,
          revision: result.nextExpectedRevision,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** Folds a stream into its current state (the store has already upcast old events). */
  async load<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>): Promise<{ state: S; revision: number }> {
    const cached = this.folded.get(streamId) as { revision: number; state: S } | undefined;
    const recorded = await this.store.readStream(streamId, cached ? { fromRevision: cached.revision + 1 } : {});
    let state = cached ? cached.state : decider.initialState();
    for (const event of recorded) state = decider.evolve(state, { type: event.type, data: event.data } as E);
    const last = recorded[recorded.length - 1];
    const revision = last ? last.revision : (cached?.revision ?? NO_STREAM_REVISION);
    if (revision !== NO_STREAM_REVISION) this.remember(streamId, revision, state);
    return { state, revision };
  }

  private remember(streamId: string, revision: number, state: unknown): void {
    this.folded.delete(streamId);
    this.folded.set(streamId, { revision, state });
    if (this.folded.size > CACHED_STREAMS) this.folded.delete(this.folded.keys().next().value!);
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
      },
    };
  }
}

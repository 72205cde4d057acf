import type { NewEvent, RecordedEvent } from './event-envelope.js';
import type { ExpectedRevision } from './expected-revision.js';

export interface AppendResult {
  /** Revision of the stream's last event after the append (what to pass as the next expected revision). */
  nextExpectedRevision: number;
  /** Global position of each appended event, in order; for a recognised retry, the original positions. */
  positions: number[];
  /** Global position of the last appended event (what read-your-writes waits for). */
  lastPosition: number;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Forwards defaults to 0, backwards to the end. */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events with position > after. 0 reads from the start (positions begin at 1). */
  after?: number;
  maxCount?: number;
}

export interface SubscribeToAllOptions {
  /** Exclusive checkpoint: delivery starts at the first event with position > after. */
  after: number;
  /** Called with consecutive batches in position order; the next batch waits for the promise. */
  onEvents: (events: RecordedEvent[]) => Promise<void>;
  /** Called when onEvents throws or the store fails; the subscription stops. */
  onError?: (error: unknown) => void;
  /** Largest batch handed to onEvents. */
  batchSize?: number;
}

export interface Subscription {
  /** Resolves once no batch is in flight and none will start. */
  stop(): Promise<void>;
  /** Position of the last event delivered and acknowledged (onEvents resolved). */
  readonly checkpoint: number;
}

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
  /** Other streams that must still be at these revisions (-1: must not exist) when the batch is stored. */
  alsoExpect?: readonly StreamRevision[];
}

export interface StreamRevision {
  streamId: string;
  revision: number;
}

/**
 * The event store port: streams with revisions, a global $all order, expected revision on append,
 * and catch-up subscriptions that switch to live without a gap or a duplicate.
 */
export interface EventStore {
  /**
   * Atomically appends the batch to one stream. Throws WrongExpectedVersionError when the expected
   * revision does not match. Appending event ids that are already stored in this stream (a retry)
   * is a no-op returning the original positions; it is recognised before the revision check, since
   * a retry's expected revision is stale. Ids stored in another stream, a batch of which only some
   * ids are stored, or an id repeated in the batch throw EventIdConflictError. An empty batch only
   * checks the revision (lastPosition 0).
   * `alsoExpect` names other streams the decision was made on, each at the revision it was read at:
   * if one has moved, nothing is appended and WrongExpectedVersionError names that stream (so a
   * caller can decide on a cached fold of, say, a flavor without reading it again first).
   */
  append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** Events of one stream, upcast to their current schema version; [] for a missing stream. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of all streams in global order, upcast. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options: SubscribeToAllOptions): Subscription;
  /** Position of the newest committed event, 0 when the store is empty. */
  headPosition(): Promise<number>;
  /** Cheap liveness probe for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

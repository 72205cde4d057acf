/** What the handler passes in so the domain never reads a clock. */
export interface DecisionContext {
  /** ISO-8601 instant of the command. */
  now: string;
}

/**
 * How a decider's state is stored as a snapshot, for aggregates whose streams grow long (a busy
 * subnet). A snapshot is an optimisation, never a source of truth: the state restored from it must
 * equal the fold of the same events, and the executor folds the whole stream whenever a snapshot is
 * missing, of another version or cannot be restored.
 */
export interface SnapshotSupport<State> {
  /** Bumped when the snapshot's shape changes; a stored snapshot of another version is ignored. */
  version: number;
  /** A snapshot is written each time the stream grows past a multiple of this many events. */
  everyEvents: number;
  /** Plain JSON-serialisable data. */
  toSnapshot(state: State): unknown;
  /** Throws when data is not a snapshot of this version's shape (the executor then folds instead). */
  fromSnapshot(data: unknown): State;
}

/** An aggregate as a pair of pure functions (plus its empty state), as emmett shapes it. */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State, context: DecisionContext): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
  /** Optional: snapshots for aggregates with long streams. */
  snapshots?: SnapshotSupport<State>;
}

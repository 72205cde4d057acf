/** What the handler passes in so the domain never reads a clock. */
export interface DecisionContext {
  /** ISO-8601 instant of the command. */
  now: string;
}

/** An aggregate as a pair of pure functions (plus its empty state), as emmett shapes it. */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State, context: DecisionContext): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

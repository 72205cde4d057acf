import type { DecisionContext, Decider } from '../../src/domain/shared/decider.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Given events, when a command, then events (or an error): a decider test reads as its specification.
 *   spec(decider).given([...]).when(command).then([...])
 *   spec(decider).given([...]).when(command).thenThrows(InstanceInvalidStateError, "Cannot 'stop' ...")
 */
export function deciderSpec<C, E, S>(decider: Decider<C, E, S>, context: DecisionContext) {
  return {
    given(events: E[]) {
      const state = events.reduce(decider.evolve, decider.initialState());
      return {
        when(command: C) {
          const run = () => decider.decide(command, state, context);
          return {
            then(expected: E[]) {
              expect(run()).toEqual(expected);
            },
            thenNothing() {
              expect(run()).toEqual([]);
            },
            thenThrows(errorType: ErrorClass, message?: string | RegExp) {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeInstanceOf(errorType);
              if (message !== undefined) expect((thrown as Error).message).toMatch(message);
            },
            /** The state after folding the decided events too, for assertions on where the aggregate ends. */
            thenState(assert: (state: S) => void) {
              assert(run().reduce(decider.evolve, state));
            },
          };
        },
      };
    },
  };
}

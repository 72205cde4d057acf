import { PermanentAdapterError, TransientAdapterError } from '../../../adapters/adapter-errors.js';
import type { StepContext } from './step-context.js';

/** A wait bounded by its task step's own deadline rather than by one attempt's window. */
export interface WaitDeadline {
  /** Epoch ms the wait gives up at. */
  at: number;
  /** The configured length, for the message. */
  lengthMs: number;
}

/**
 * Polls `read` until `done` says the wait is over (returning what ends it), backing off from 1 ms to
 * the poll interval as awaitVm does. `done` may throw to end the wait with a failure.
 *
 * Without a deadline: not there within the step's convergence window is a transient error, so the
 * job retries (the task deadline bounds it all). With one (the long waits of the live changes: a pod
 * resize, a guest, a migration), the wait goes on as long as the cluster is healthy, however many
 * windows that takes, and ends with a permanent DeadlineExceeded once the deadline passes: a slow
 * but progressing migration must not fail because it outlived a number of attempts.
 */
export async function awaitCondition<T, R>(
  ctx: Pick<StepContext, 'convergenceTimeoutMs' | 'pollIntervalMs'>,
  wanted: string,
  read: () => Promise<T>,
  done: (value: T) => R | undefined,
  describe: (value: T) => string,
  deadline?: WaitDeadline,
): Promise<R> {
  const giveUpAt = deadline ? deadline.at : Date.now() + ctx.convergenceTimeoutMs;
  let pause = 1;
  for (;;) {
    const value = await read();
    const result = done(value);
    if (result !== undefined) return result;
    const now = Date.now();
    if (now >= giveUpAt) {
      if (deadline) {
        throw new PermanentAdapterError('DeadlineExceeded', `${wanted}: deadline exceeded (${formatSeconds(deadline.lengthMs)}; ${describe(value)})`);
      }
      throw new TransientAdapterError('NotConverged', `${wanted} not yet (${describe(value)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(1, giveUpAt - now))));
    pause = Math.min(pause * 2, ctx.pollIntervalMs);
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

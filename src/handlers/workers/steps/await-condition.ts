import { TransientAdapterError } from '../../../adapters/adapter-errors.js';
import type { StepContext } from './step-context.js';

/**
 * Polls `read` until `done` says the wait is over (returning what ends it), backing off from 1 ms to
 * the poll interval as awaitVm does. `done` may throw to end the wait with a failure. Not there
 * within the step's window: a transient error, so the job retries (the task deadline bounds it all).
 */
export async function awaitCondition<T, R>(
  ctx: Pick<StepContext, 'convergenceTimeoutMs' | 'pollIntervalMs'>,
  wanted: string,
  read: () => Promise<T>,
  done: (value: T) => R | undefined,
  describe: (value: T) => string,
): Promise<R> {
  const deadline = Date.now() + ctx.convergenceTimeoutMs;
  let pause = 1;
  for (;;) {
    const value = await read();
    const result = done(value);
    if (result !== undefined) return result;
    if (Date.now() >= deadline) throw new TransientAdapterError('NotConverged', `${wanted} not yet (${describe(value)})`);
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, ctx.pollIntervalMs);
  }
}

/**
 * Retries `check` until it returns without throwing (so `expect` may be used inside) and resolves
 * with its value; after `timeoutMs` rejects with the last failure. For convergence, never a sleep.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000, intervalMs = 5): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`not met within ${timeoutMs} ms: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Whether the promise has settled once pending I/O and timers due now have run. */
export async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

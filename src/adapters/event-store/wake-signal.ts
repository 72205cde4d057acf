/**
 * A level-free "something was committed" signal for subscriptions. Waiters pass the version they
 * saw before reading, so a notification that lands between their read and their wait is not lost.
 */
export class WakeSignal {
  private currentVersion = 0;
  private readonly waiters = new Set<() => void>();

  get version(): number {
    return this.currentVersion;
  }

  notify(): void {
    this.currentVersion += 1;
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }

  /**
   * Resolves on the next notify after `seenVersion` (at once if one already happened), after
   * timeoutMs, or when abort fires.
   */
  wait(seenVersion: number, timeoutMs: number, abort?: AbortSignal): Promise<void> {
    if (this.currentVersion !== seenVersion || abort?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        abort?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      abort?.addEventListener('abort', done, { once: true });
    });
  }
}

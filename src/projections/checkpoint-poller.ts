interface PolledWaiter {
  position: number;
  resolve(reached: boolean): void;
  timer: NodeJS.Timeout;
}

/**
 * Read-your-writes in a process that does not fold (it has no lease): waits for positions by reading
 * the checkpoints another process writes, once per interval for every waiter together, so a burst of
 * writes costs one query per interval, not one per write.
 */
export class CheckpointPoller {
  private readonly waiters = new Set<PolledWaiter>();
  private polling = false;

  constructor(
    /** The position every projection has passed, as stored. */
    private readonly readReached: () => Promise<number>,
    private readonly intervalMs: number,
  ) {}

  /** true once the stored checkpoints pass `position`, false when timeoutMs runs out first. */
  wait(position: number, timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const waiter: PolledWaiter = {
        position,
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiters.add(waiter);
      if (!this.polling) void this.poll();
    });
  }

  private async poll(): Promise<void> {
    this.polling = true;
    try {
      while (this.waiters.size > 0) {
        // A failed read (the database busy or closing) is tried again next interval; the waiters' own timeouts bound it.
        const reached = await this.readReached().catch(() => Number.NEGATIVE_INFINITY);
        for (const waiter of this.waiters) {
          if (waiter.position > reached) continue;
          clearTimeout(waiter.timer);
          this.waiters.delete(waiter);
          waiter.resolve(true);
        }
        if (this.waiters.size > 0) await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
      }
    } finally {
      this.polling = false;
    }
  }
}

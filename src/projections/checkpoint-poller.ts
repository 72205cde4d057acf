import { PositionWaiters } from './position-waiters.js';

/**
 * Read-your-writes in a process that does not fold (it has no lease): waits for positions by reading
 * the checkpoints another process writes, once per interval for every waiter together, so a burst of
 * writes costs one query per interval, not one per write.
 */
export class CheckpointPoller {
  private readonly waiters = new PositionWaiters();
  private polling = false;

  constructor(
    /** The position every projection has passed, as stored. */
    private readonly readReached: () => Promise<number>,
    private readonly intervalMs: number,
  ) {}

  /** true once the stored checkpoints pass `position`, false when timeoutMs runs out first. */
  wait(position: number, timeoutMs: number): Promise<boolean> {
    const reached = this.waiters.wait(position, timeoutMs);
    if (!this.polling) void this.poll();
    return reached;
  }

  private async poll(): Promise<void> {
    this.polling = true;
    try {
      while (this.waiters.size > 0) {
        // A failed read (the database busy or closing) is tried again next interval; the waiters' own timeouts bound it.
        const reached = await this.readReached().catch(() => Number.NEGATIVE_INFINITY);
        this.waiters.reach(reached);
        if (this.waiters.size > 0) await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
      }
    } finally {
      this.polling = false;
    }
  }
}

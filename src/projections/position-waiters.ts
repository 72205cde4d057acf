interface Waiter {
  position: number;
  deadline: number;
  resolve(reached: boolean): void;
  timer: NodeJS.Timeout;
}

/** A wait handed on to someone else, with the time it has left. */
export interface PendingWait {
  position: number;
  remainingMs: number;
  resolve(reached: boolean): void;
}

/**
 * Callers waiting for the read models to pass a position (read your writes): each resolves true once
 * a position at or past its own is reached, false when its time runs out.
 */
export class PositionWaiters {
  private readonly waiters = new Set<Waiter>();

  get size(): number {
    return this.waiters.size;
  }

  wait(position: number, timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        position,
        deadline: Date.now() + timeoutMs,
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Resolves every waiter whose position is at or before `reached`. */
  reach(reached: number): void {
    for (const waiter of this.waiters) {
      if (waiter.position > reached) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(true);
    }
  }

  /** Takes every waiter out, unresolved, for another to answer. */
  takeAll(): PendingWait[] {
    const taken = [...this.waiters].map((w) => {
      clearTimeout(w.timer);
      return { position: w.position, remainingMs: Math.max(0, w.deadline - Date.now()), resolve: w.resolve };
    });
    this.waiters.clear();
    return taken;
  }
}

/**
 * A FIFO lock for async critical sections. `tryAcquire` lets synchronous work (better-sqlite3) run in
 * the same tick when nobody holds the lock, so the common uncontended case costs no promise hop.
 */
export class AsyncMutex {
  private locked = false;
  private readonly waiters: Array<() => void> = [];

  get isLocked(): boolean {
    return this.locked;
  }

  tryAcquire(): boolean {
    if (this.locked) return false;
    this.locked = true;
    return true;
  }

  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    // Hand the lock straight to the next waiter so nobody can barge in between.
    if (next) next();
    else this.locked = false;
  }

  async run<T>(fn: () => Promise<T> | T): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  /** Runs a synchronous fn now when the lock is free, else once it is handed over. */
  runSync<T>(fn: () => T): Promise<T> {
    if (this.tryAcquire()) {
      try {
        return Promise.resolve(fn());
      } catch (error) {
        return Promise.reject(error);
      } finally {
        this.release();
      }
    }
    return this.run(fn);
  }
}

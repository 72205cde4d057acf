/**
 * At most one pending timer per key (a VM, a domain): scheduling again replaces the previous one,
 * as a controller's work queue collapses repeated keys. `clear` stops everything on close.
 */
export class SimTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  schedule(key: string, ms: number, run: () => void): void {
    if (this.closed) return;
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        run();
      }, ms),
    );
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  clear(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

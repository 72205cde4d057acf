/**
 * Counts per operation and per (operation, key), so tests can assert that an effect ran once,
 * including across a simulated process restart (the counts are part of the persisted state).
 */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  constructor(initial: Record<string, number> = {}) {
    for (const [name, n] of Object.entries(initial)) this.counts.set(name, n);
  }

  record(operation: string, key?: string): void {
    this.bump(operation);
    if (key !== undefined) this.bump(`${operation}:${key}`);
  }

  /** Calls of `operation`, or only those about `key` when given. */
  count(operation: string, key?: string): number {
    return this.counts.get(key === undefined ? operation : `${operation}:${key}`) ?? 0;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  private bump(name: string): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }
}

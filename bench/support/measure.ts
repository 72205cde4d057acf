export interface Rate {
  operations: number;
  seconds: number;
  perSecond: number;
}

export async function timed(operations: number, fn: () => Promise<void>): Promise<Rate> {
  const started = process.hrtime.bigint();
  await fn();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { operations, seconds, perSecond: operations / seconds };
}

/** Runs `total` tasks with at most `concurrency` in flight. */
export async function pool(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, total) }, async () => {
    while (next < total) await task(next++);
  });
  await Promise.all(workers);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface Spread {
  p50: number;
  p99: number;
  max: number;
}

/** p50, p99 and max of unsorted samples (0 each when there are none). */
export function spreadOf(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? 0 };
}

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

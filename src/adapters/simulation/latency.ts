/**
 * How long a simulated transition takes: one number for all of them, or per step. 0 (the default)
 * still waits for the next macrotask, so callers always see the intermediate states.
 */
export type Latency<Step extends string> = number | Partial<Record<Step, number>>;

export function latencyOf<Step extends string>(latency: Latency<Step> | undefined, step: Step): number {
  if (latency === undefined) return 0;
  if (typeof latency === 'number') return latency;
  return latency[step] ?? 0;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** Ceiling on the delay, before jitter. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 200, capMs: 30_000 };

/**
 * Delay before retry number `retry` (1 for the first retry): exponential, capped, then scaled by a
 * random factor in [0.5, 1) so that jobs failing together (a backend coming back) do not retry in
 * lockstep, while never collapsing to no delay at all.
 */
export function jitteredBackoffDelay(retry: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.max(0, retry - 1);
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(exponent, 52));
  return Math.max(1, Math.floor(ceiling * (0.5 + random() * 0.5)));
}

import { jitteredBackoffDelay } from '../../../src/adapters/queue/jittered-backoff.js';

describe('jitteredBackoffDelay', () => {
  const options = { baseMs: 200, capMs: 30_000 };

  it('given retries 1..4 and the top of the jitter range, when computed, then the delay doubles from the base', () => {
    expect([1, 2, 3, 4].map((n) => jitteredBackoffDelay(n, options, () => 0.999999))).toEqual([199, 399, 799, 1599]);
  });

  it('given the bottom of the jitter range, when computed, then the delay is half the exponential one', () => {
    expect(jitteredBackoffDelay(3, options, () => 0)).toBe(400);
  });

  it('given many retries, when computed, then the delay stays within the cap', () => {
    for (const retry of [10, 20, 100, 5000]) {
      const delay = jitteredBackoffDelay(retry, options);
      expect(delay).toBeGreaterThanOrEqual(15_000);
      expect(delay).toBeLessThanOrEqual(30_000);
    }
  });

  it('given random factors, when computed, then retries of one attempt spread out', () => {
    const delays = new Set(Array.from({ length: 50 }, () => jitteredBackoffDelay(5, options)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

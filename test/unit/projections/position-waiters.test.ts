import { PositionWaiters } from '../../../src/projections/position-waiters.js';

describe('PositionWaiters', () => {
  it('given waits for 3 and 5, when 4 is reached, then only the wait for 3 ends (true)', async () => {
    const waiters = new PositionWaiters();
    const three = waiters.wait(3, 1_000);
    const five = waiters.wait(5, 1_000);
    waiters.reach(4);
    expect(await three).toBe(true);
    expect(waiters.size).toBe(1);
    waiters.reach(5);
    expect(await five).toBe(true);
  });

  it('given a wait, when its time runs out first, then it ends false and is gone', async () => {
    const waiters = new PositionWaiters();
    expect(await waiters.wait(7, 5)).toBe(false);
    expect(waiters.size).toBe(0);
  });

  it('given waits, when taken, then they are unresolved, gone from here, and carry the time they have left', async () => {
    const waiters = new PositionWaiters();
    const pending = waiters.wait(9, 1_000);
    const [taken] = waiters.takeAll();
    expect(waiters.size).toBe(0);
    expect(taken).toMatchObject({ position: 9 });
    expect(taken!.remainingMs).toBeGreaterThan(0);
    expect(taken!.remainingMs).toBeLessThanOrEqual(1_000);
    taken!.resolve(true);
    expect(await pending).toBe(true);
  });
});

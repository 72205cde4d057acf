import { CheckpointPoller } from '../../../src/projections/checkpoint-poller.js';

describe('CheckpointPoller', () => {
  it('given fifty writes waiting at once, when the checkpoints pass them on the third read, then all are answered true by three reads in all', async () => {
    let reads = 0;
    const poller = new CheckpointPoller(async () => (++reads >= 3 ? 10 : 0), 1);

    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => poller.wait(1 + (i % 10), 5_000)));

    expect(answers.every(Boolean)).toBe(true);
    expect(reads).toBe(3);
  });

  it('given a position the checkpoints never reach, when its time runs out, then it is answered false and polling stops', async () => {
    let reads = 0;
    const poller = new CheckpointPoller(async () => (reads++, 4), 1);

    expect(await poller.wait(5, 30)).toBe(false);
    const after = reads;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reads).toBe(after);
  });

  it('given a read that fails, when the next one succeeds, then the waiter is answered true', async () => {
    let reads = 0;
    const poller = new CheckpointPoller(async () => {
      if (++reads === 1) throw new Error('database busy');
      return 7;
    }, 1);

    expect(await poller.wait(7, 5_000)).toBe(true);
  });

  it('given a wait that arrives after polling stopped, then polling starts again for it', async () => {
    let stored = 1;
    const poller = new CheckpointPoller(async () => stored, 1);
    expect(await poller.wait(1, 5_000)).toBe(true);

    const later = poller.wait(2, 5_000);
    stored = 2;

    expect(await later).toBe(true);
  });
});

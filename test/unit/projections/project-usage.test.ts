import { usageDeltas } from '../../../src/projections/servers/project-usage.js';
import type { ServerView } from '../../../src/projections/servers/server-view.js';

const server = (projectId: string, vcpus: number, ramMb: number, deleted = false) =>
  ({ projectId, deleted, flavor: { vcpus, ramMb } }) as unknown as ServerView;

describe('project usage deltas', () => {
  it('given a new server, then its project gains one instance with its cores and RAM', () => {
    expect(usageDeltas([{ before: undefined, after: server('p', 2, 2048) }]).get('p')).toEqual({ instances: 1, cores: 2, ram: 2048 });
  });

  it('given a server deleted, then its project gives the same back', () => {
    expect(usageDeltas([{ before: server('p', 2, 2048), after: server('p', 2, 2048, true) }]).get('p')).toEqual({ instances: -1, cores: -2, ram: -2048 });
  });

  it('given a server resized, then only the size moves', () => {
    expect(usageDeltas([{ before: server('p', 2, 2048), after: server('p', 4, 4096) }]).get('p')).toEqual({ instances: 0, cores: 2, ram: 2048 });
  });

  it('given a server created and deleted within one batch, then nothing is counted', () => {
    expect(usageDeltas([{ before: undefined, after: server('p', 1, 512, true) }]).get('p')).toBeUndefined();
  });

  it('given changes in two projects, then each project gets its own', () => {
    const deltas = usageDeltas([
      { before: undefined, after: server('a', 1, 512) },
      { before: undefined, after: server('b', 2, 1024) },
      { before: undefined, after: server('a', 1, 512) },
    ]);
    expect(Object.fromEntries(deltas)).toEqual({ a: { instances: 2, cores: 2, ram: 1024 }, b: { instances: 1, cores: 2, ram: 1024 } });
  });
});

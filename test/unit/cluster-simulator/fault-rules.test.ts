import { FaultRules } from '../../../src/cluster-simulator/control/fault-rules.js';

describe('fault rules', () => {
  it('given a failure for two requests on one name, when matching and other requests come, then only two matching ones take it', () => {
    const rules = new FaultRules();
    rules.armFailure({ verb: 'patch', resource: 'pods/resize', name: 'p1', count: 2, status: 500 });
    expect(rules.takeFailure({ verb: 'patch', resource: 'pods/resize', name: 'p2' })).toBeUndefined();
    expect(rules.takeFailure({ verb: 'get', resource: 'pods/resize', name: 'p1' })).toBeUndefined();
    expect(rules.takeFailure({ verb: 'patch', resource: 'pods/resize', name: 'p1' })).toMatchObject({ status: 500 });
    expect(rules.takeFailure({ verb: 'patch', resource: 'pods/resize', name: 'p1' })).toMatchObject({ status: 500 });
    expect(rules.takeFailure({ verb: 'patch', resource: 'pods/resize', name: 'p1' })).toBeUndefined();
  });

  it('given a wildcard verb, when any verb on the resource comes, then it matches; clear disarms everything', () => {
    const rules = new FaultRules();
    rules.armDelay({ verb: '*', resource: 'virtualmachines', delayMs: 10, count: 5 });
    expect(rules.takeDelay({ verb: 'watch', resource: 'virtualmachines' })).toMatchObject({ delayMs: 10 });
    expect(rules.pending().delays).toEqual([expect.objectContaining({ count: 4 })]);
    rules.clear();
    expect(rules.takeDelay({ verb: 'watch', resource: 'virtualmachines' })).toBeUndefined();
  });
});

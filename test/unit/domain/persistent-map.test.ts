import fc from 'fast-check';
import { PersistentMap } from '../../../src/domain/shared/persistent-map.js';

describe('PersistentMap', () => {
  it('given any sequence of sets and deletes, then it holds what a Map holds, and every earlier version is unchanged', () => {
    const ops = fc.array(fc.tuple(fc.boolean(), fc.string({ maxLength: 4 }), fc.nat(9)), { maxLength: 300 });
    fc.assert(
      fc.property(ops, (steps) => {
        let map = PersistentMap.empty<number>();
        const model = new Map<string, number>();
        const versions: [PersistentMap<number>, Map<string, number>][] = [];
        for (const [isSet, key, value] of steps) {
          map = isSet ? map.set(key, value) : map.delete(key);
          if (isSet) model.set(key, value);
          else model.delete(key);
          versions.push([map, new Map(model)]);
        }
        for (const [version, expected] of versions) {
          expect(version.size).toBe(expected.size);
          expect(new Map(version.entries())).toEqual(expected);
          for (const [key, value] of expected) expect(version.get(key)).toBe(value);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('given entries, when built in one pass, then it equals the map built by sets, later keys winning, and stays immutable', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 3 }), fc.nat(9)), { maxLength: 200 }), (entries) => {
        const bulk = PersistentMap.from(entries);
        const model = new Map(entries);
        expect(bulk.size).toBe(model.size);
        expect(new Map(bulk.entries())).toEqual(model);
        const changed = bulk.set('new-key', 1).delete(entries[0]?.[0] ?? 'none');
        expect(new Map(bulk.entries())).toEqual(model);
        expect(changed.has('new-key')).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('given a key already holding the value, when set again, then the same map (a no-op stays cheap)', () => {
    const map = PersistentMap.empty<string>().set('10.0.0.2', 'port-a');
    expect(map.set('10.0.0.2', 'port-a')).toBe(map);
    expect(map.delete('10.0.0.3')).toBe(map);
    expect(map.has('10.0.0.2')).toBe(true);
    expect(map.delete('10.0.0.2').has('10.0.0.2')).toBe(false);
  });
});

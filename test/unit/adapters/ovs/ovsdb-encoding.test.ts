import {
  decodeOptional,
  decodeSet,
  decodeStringMap,
  decodeStringSet,
  decodeUuid,
  decodeUuidSet,
  namedUuid,
  OvsdbDecodeError,
  ovsdbMap,
  ovsdbSet,
  uuid,
} from '../../../../src/adapters/ovs/ovsdb/ovsdb-encoding.js';

const A = '6ea684e8-0000-4000-8000-000000000001';
const B = '6ea684e8-0000-4000-8000-000000000002';

describe('OVSDB encoding', () => {
  describe('sets', () => {
    it('given a one-element set sent as the bare atom, when decoded, then it is a set of one', () => {
      expect(decodeStringSet('52:54:00:00:00:0a 10.0.0.10')).toEqual(['52:54:00:00:00:0a 10.0.0.10']);
      expect(decodeUuidSet(['uuid', A])).toEqual([A]);
    });

    it('given a set in ["set", [...]] form, when decoded, then every element comes out', () => {
      expect(decodeStringSet(['set', ['a', 'b']])).toEqual(['a', 'b']);
      expect(decodeUuidSet(['set', [['uuid', A], ['uuid', B]]])).toEqual([A, B]);
      expect(decodeSet(['set', []])).toEqual([]);
    });

    it('given a uuid atom, when decoded as a set, then it is not mistaken for a two-element set', () => {
      expect(decodeSet(['uuid', A])).toEqual([['uuid', A]]);
    });

    it('given a set of uuids holding a string, when decoded, then it is refused', () => {
      expect(() => decodeUuidSet(['set', ['x']])).toThrow(OvsdbDecodeError);
      expect(() => decodeStringSet(['set', [1]])).toThrow(OvsdbDecodeError);
    });
  });

  describe('optional values', () => {
    it('given an empty set, when decoded as optional, then it is null', () => {
      expect(decodeOptional(['set', []])).toBeNull();
    });

    it('given a bare atom or a set of one, when decoded as optional, then it is the atom', () => {
      expect(decodeOptional(5)).toBe(5);
      expect(decodeOptional(['set', [5]])).toBe(5);
    });

    it('given two atoms, when decoded as optional, then it is refused', () => {
      expect(() => decodeOptional(['set', [1, 2]])).toThrow(OvsdbDecodeError);
    });
  });

  describe('maps', () => {
    it('given a map, when decoded, then its pairs become a record', () => {
      expect(decodeStringMap(['map', [['iface-id', 'p1'], ['attached-mac', '02:00:00:00:00:01']]])).toEqual({ 'iface-id': 'p1', 'attached-mac': '02:00:00:00:00:01' });
      expect(decodeStringMap(['map', []])).toEqual({});
    });

    it('given something else, when decoded as a map, then it is refused', () => {
      expect(() => decodeStringMap(['set', []])).toThrow(OvsdbDecodeError);
      expect(() => decodeStringMap(['map', [['k', 1]]])).toThrow(OvsdbDecodeError);
    });

    it('given a record or a Map, when encoded, then it is the wire form', () => {
      expect(ovsdbMap({ a: '1' })).toEqual(['map', [['a', '1']]]);
      expect(ovsdbMap(new Map([['b', '2']]))).toEqual(['map', [['b', '2']]]);
    });
  });

  describe('uuids', () => {
    it('given a uuid, when decoded, then it is the id; a named-uuid is not a uuid', () => {
      expect(decodeUuid(uuid(A))).toBe(A);
      expect(() => decodeUuid(namedUuid('new'))).toThrow(OvsdbDecodeError);
    });

    it('given named uuids in a set, when encoded, then they keep their tag', () => {
      expect(ovsdbSet([namedUuid('p')])).toEqual(['set', [['named-uuid', 'p']]]);
      expect(decodeSet(ovsdbSet([namedUuid('p')]))).toEqual([['named-uuid', 'p']]);
    });
  });
});

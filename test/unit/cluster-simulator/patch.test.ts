import { ApiError } from '../../../src/cluster-simulator/api-errors.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, JsonPatchTestFailed } from '../../../src/cluster-simulator/patch.js';

describe('merge patch (RFC 7386)', () => {
  it('merges objects, deletes on null and replaces arrays', () => {
    expect(applyMergePatch({ a: { b: 1, c: 2 }, list: [1, 2], keep: true }, { a: { b: null, d: 3 }, list: [3] })).toEqual({ a: { c: 2, d: 3 }, list: [3], keep: true });
  });
});

describe('json patch (RFC 6902)', () => {
  const doc = { metadata: { resourceVersion: '7' }, spec: { interfaces: [{ name: 'default' }], n: 1 } };

  it('adds to the end of a list with -, replaces, removes, moves and copies', () => {
    const result = applyJsonPatch(doc, [
      { op: 'add', path: '/spec/interfaces/-', value: { name: 'dyn1' } },
      { op: 'replace', path: '/spec/n', value: 2 },
      { op: 'copy', from: '/spec/n', path: '/spec/m' },
      { op: 'move', from: '/spec/m', path: '/spec/o' },
      { op: 'remove', path: '/spec/interfaces/0' },
    ]);
    expect(result).toEqual({ metadata: { resourceVersion: '7' }, spec: { interfaces: [{ name: 'dyn1' }], n: 2, o: 2 } });
    expect(doc.spec.interfaces).toHaveLength(1); // the input is untouched
  });

  it('fails a test op with JsonPatchTestFailed, and a missing path with a 422', () => {
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/metadata/resourceVersion', value: '6' }])).toThrow(JsonPatchTestFailed);
    expect(applyJsonPatch(doc, [{ op: 'test', path: '/spec', value: { n: 1, interfaces: [{ name: 'default' }] } }])).toEqual(doc);
    try {
      applyJsonPatch(doc, [{ op: 'replace', path: '/spec/missing/deeper', value: 1 }]);
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe(422);
    }
  });

  it('refuses a body that is not a list of operations with 400', () => {
    expect(() => applyJsonPatch(doc, { op: 'add' })).toThrow(expect.objectContaining({ code: 400 }));
  });
});

describe('strategic merge patch (core types)', () => {
  it('merges containers by name and honours $patch: delete', () => {
    const pod = { spec: { containers: [{ name: 'compute', image: 'a', resources: { requests: { cpu: '1' } } }, { name: 'sidecar', image: 'b' }] } };
    const patched = applyStrategicMergePatch(pod, { spec: { containers: [{ name: 'compute', resources: { requests: { cpu: '2' } } }, { name: 'sidecar', $patch: 'delete' }] } });
    expect(patched).toEqual({ spec: { containers: [{ name: 'compute', image: 'a', resources: { requests: { cpu: '2' } } }] } });
  });
});

import { parseApiPath } from '../../../src/cluster-simulator/http/api-path.js';
import { discovery } from '../../../src/cluster-simulator/http/discovery.js';

describe('API paths', () => {
  it.each([
    ['/apis/kubevirt.io/v1/namespaces/a/virtualmachines', { kind: 'resource', namespace: 'a', legacyWatch: false }],
    ['/apis/kubevirt.io/v1/namespaces/a/virtualmachines/web-01/status', { kind: 'resource', namespace: 'a', name: 'web-01', subresource: 'status' }],
    ['/api/v1/namespaces/a/pods/p/resize', { kind: 'resource', namespace: 'a', name: 'p', subresource: 'resize' }],
    ['/api/v1/watch/namespaces/a/pods', { kind: 'resource', namespace: 'a', legacyWatch: true }],
    ['/api/v1/namespaces/a', { kind: 'resource', name: 'a' }],
    ['/api/v1/namespaces/a/status', { kind: 'resource', name: 'a', subresource: 'status' }],
    ['/apis/kubevirt.io/v1/virtualmachineinstances', { kind: 'resource' }],
    ['/apis/subresources.kubevirt.io/v1/namespaces/a/virtualmachines/web-01/start', { kind: 'action', namespace: 'a', plural: 'virtualmachines', name: 'web-01', action: 'start' }],
    ['/apis/kubevirt.io/v1/namespaces/a/nothings', { kind: 'unknown' }],
    ['/apis/kubevirt.io/v1', { kind: 'discovery' }],
  ])('%s', (path, expected) => {
    expect(parseApiPath(path)).toMatchObject(expected);
  });

  it('names the resource type of a path', () => {
    const parsed = parseApiPath('/apis/cdi.kubevirt.io/v1beta1/namespaces/a/datavolumes/d');
    expect(parsed.kind === 'resource' && parsed.type.kind).toBe('DataVolume');
  });
});

describe('discovery', () => {
  it('lists the KubeVirt actions as update-only subresources and 404s unknown groups', () => {
    const list = discovery('/apis/subresources.kubevirt.io/v1', '127.0.0.1:1') as { resources: Array<{ name: string; verbs: string[] }> };
    expect(list.resources).toContainEqual(expect.objectContaining({ name: 'virtualmachines/migrate', verbs: ['update'] }));
    expect(discovery('/apis/nope.io', '127.0.0.1:1')).toBeUndefined();
    expect(discovery('/apis/kubevirt.io', '127.0.0.1:1')).toMatchObject({ kind: 'APIGroup', preferredVersion: { groupVersion: 'kubevirt.io/v1' } });
  });
});

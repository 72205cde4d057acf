import { parseFieldSelector, parseLabelSelector } from '../../../src/cluster-simulator/store/selectors.js';

const object = (labels: Record<string, string>, name = 'x') => ({ metadata: { name, namespace: 'a', labels }, status: { phase: 'Running' } });

describe('label selectors', () => {
  it.each([
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'db' }, false],
    ['app!=web', {}, true],
    ['app in (web, db)', { app: 'db' }, true],
    ['app notin (web,db)', { app: 'db' }, false],
    ['app', { app: '' }, true],
    ['!app', { app: 'x' }, false],
    ['app=web,tier', { app: 'web' }, false],
    ['kubevirt.io=virt-launcher,vm.kubevirt.io/name=web-01', { 'kubevirt.io': 'virt-launcher', 'vm.kubevirt.io/name': 'web-01' }, true],
  ])('%s on %j is %s', (selector, labels, expected) => {
    expect(parseLabelSelector(selector)(object(labels))).toBe(expected);
  });

  it('refuses what it cannot parse with 400', () => {
    expect(() => parseLabelSelector('a in b')).toThrow(expect.objectContaining({ code: 400 }));
  });
});

describe('field selectors', () => {
  it('matches metadata.name, negation and nested scalars', () => {
    expect(parseFieldSelector('metadata.name=x')(object({}))).toBe(true);
    expect(parseFieldSelector('metadata.name!=x')(object({}))).toBe(false);
    expect(parseFieldSelector('metadata.namespace=a,status.phase=Running')(object({}))).toBe(true);
  });
});

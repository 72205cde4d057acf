import { TemplateDomainResolver } from '../../../../src/adapters/libvirt/domain-resolver.js';

describe('TemplateDomainResolver', () => {
  it('given templates, when a ref is located, then the node fills the URI and the vmId the name', () => {
    const resolver = new TemplateDomainResolver({ uriTemplate: 'qemu+tls://{node}/system', nameTemplate: 'tenant-a_vm-{vmId}' });
    expect(resolver.uri('edge-1')).toBe('qemu+tls://edge-1/system');
    expect(resolver.domainName({ vmId: '42', node: 'edge-1' })).toBe('tenant-a_vm-42');
  });

  it('given a domain name from an event, when reversed, then ours give their vmId and others null', () => {
    const resolver = new TemplateDomainResolver({ uriTemplate: 'test:///default', nameTemplate: 'vp-{vmId}-{node}' });
    expect(resolver.vmIdOf('vp-abc-n1', 'n1')).toBe('abc');
    expect(resolver.vmIdOf('vp-abc-n2', 'n1')).toBeNull();
    expect(resolver.vmIdOf('test', 'n1')).toBeNull();
    expect(resolver.vmIdOf('vp--n1', 'n1')).toBeNull();
  });

  it('given a name template without {vmId} or with two, when built, then it is refused', () => {
    expect(() => new TemplateDomainResolver({ uriTemplate: 'x', nameTemplate: 'fixed' })).toThrow(/\{vmId\} once/);
    expect(() => new TemplateDomainResolver({ uriTemplate: 'x', nameTemplate: '{vmId}-{vmId}' })).toThrow(/once/);
  });
});

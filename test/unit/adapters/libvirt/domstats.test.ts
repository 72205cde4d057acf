import { parseDomstats } from '../../../../src/adapters/libvirt/domain-watch.js';

describe('parseDomstats', () => {
  it('given the test driver\'s output (state group only), when parsed, then each domain has its state as fingerprint', () => {
    // virsh -q domstats --state --vcpu --balloon, libvirt 9.0.0 test driver: vcpu and balloon left out silently
    const out = "Domain: 'test'\n  state.state=1\n  state.reason=5\n\nDomain: 'vp-d1'\n  state.state=5\n  state.reason=0\n";
    expect(parseDomstats(out)).toEqual(new Map([['test', 'state.state=1'], ['vp-d1', 'state.state=5']]));
  });

  it('given counters that move on their own (qemu-style stats), when parsed, then only state and sizes count', () => {
    // the shape of the qemu driver's groups (key names from virConnectGetAllDomainStats' documentation)
    const before = "Domain: 'vp-a'\n  state.state=1\n  vcpu.current=2\n  vcpu.maximum=8\n  vcpu.0.time=1000\n  balloon.current=2097152\n  balloon.maximum=8388608\n  balloon.rss=100\n";
    const later = before.replace('vcpu.0.time=1000', 'vcpu.0.time=2000').replace('balloon.rss=100', 'balloon.rss=180');
    const resized = before.replace('vcpu.current=2', 'vcpu.current=4');
    expect(parseDomstats(later).get('vp-a')).toBe(parseDomstats(before).get('vp-a'));
    expect(parseDomstats(resized).get('vp-a')).not.toBe(parseDomstats(before).get('vp-a'));
  });
});

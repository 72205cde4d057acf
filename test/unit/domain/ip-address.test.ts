import { cidrContains, hostRange, isReservedAddress, parseCidr } from '../../../src/domain/ip/cidr.js';
import { canonicalIp, parseIpAddress } from '../../../src/domain/ip/ip-address.js';
import { bigIntToIp } from '../../../src/domain/ip/ip-number.js';
import { parseExcludeEntry } from '../../../src/domain/ip/ip-range.js';
import { canonicalMac } from '../../../src/domain/ip/mac-address.js';

describe('IP addresses, CIDRs and MACs', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8::0:1', '2001:db8::1'],
    ['::ffff:10.0.0.1', '::ffff:a00:1'],
  ])('canonicalises %s as %s', (text, canonical) => {
    expect(canonicalIp(text)).toBe(canonical);
  });

  it.each(['10.1', '010.0.0.1', '0x0a.0.0.1', '10.0.0.256', '10.0.0', 'fe80::1%eth0', '2001:db8:::1', '', 'host'])('refuses %s as an address', (text) => {
    expect(parseIpAddress(text)).toBeNull();
  });

  it('parses a CIDR only at its network address, recommending it otherwise', () => {
    expect(parseCidr('10.0.0.0/24')).toMatchObject({ ok: true, cidr: { version: 4, prefixLength: 24, text: '10.0.0.0/24' } });
    expect(parseCidr('10.0.0.5/24')).toEqual({ ok: false, recommended: '10.0.0.0/24' });
    expect(parseCidr('2001:db8::1/64')).toEqual({ ok: false, recommended: '2001:db8::/64' });
    expect(parseCidr('10.0.0.0')).toEqual({ ok: false, recommended: null });
    expect(parseCidr('10.0/24')).toEqual({ ok: false, recommended: null });
  });

  it('knows a subnet\'s reserved addresses: network and broadcast for IPv4, only the network (anycast) for IPv6', () => {
    const v4 = (parseCidr('10.0.0.0/30') as { ok: true; cidr: never }).cidr;
    const v6 = (parseCidr('2001:db8::/126') as { ok: true; cidr: never }).cidr;
    expect(isReservedAddress(v4, parseIpAddress('10.0.0.0')!)).toBe('network');
    expect(isReservedAddress(v4, parseIpAddress('10.0.0.3')!)).toBe('broadcast');
    expect(isReservedAddress(v6, parseIpAddress('2001:db8::3')!)).toBeNull();
    expect(hostRange(v4)).toEqual({ first: parseIpAddress('10.0.0.1')!.value, last: parseIpAddress('10.0.0.2')!.value });
    expect(cidrContains(v4, parseIpAddress('10.0.0.4')!)).toBe(false);
    expect(cidrContains(v4, parseIpAddress('2001:db8::1')!)).toBe(false);
  });

  it('turns numbers back into canonical addresses', () => {
    expect(bigIntToIp(parseIpAddress('10.0.0.255')!.value + 1n, 4)).toBe('10.0.1.0');
    expect(bigIntToIp(parseIpAddress('2001:db8::ffff')!.value + 1n, 6)).toBe('2001:db8::1:0');
  });

  it('reads Kube-OVN exclude entries: one address or a..b', () => {
    expect(parseExcludeEntry('10.0.0.1')!.range).toEqual({ start: '10.0.0.1', end: '10.0.0.1' });
    expect(parseExcludeEntry('10.0.0.1..10.0.0.9')!.range).toEqual({ start: '10.0.0.1', end: '10.0.0.9' });
    expect(parseExcludeEntry('10.0.0.9..10.0.0.1')).toBeNull();
    expect(parseExcludeEntry('10.0.0.1..2001:db8::1')).toBeNull();
    expect(parseExcludeEntry('10.0.0.1..10.0.0.2..10.0.0.3')).toBeNull();
  });

  it('keeps MACs unicast, non-zero and canonical', () => {
    expect(canonicalMac('FA-16-3E-0A-0B-0C')).toBe('fa:16:3e:0a:0b:0c');
    expect(canonicalMac('02:00:00:0a:14:0f')).toBe('02:00:00:0a:14:0f');
    expect(canonicalMac('03:00:00:0a:14:0f')).toBeNull();
    expect(canonicalMac('00:00:00:00:00:00')).toBeNull();
    expect(canonicalMac('fa:16:3e:0a:0b')).toBeNull();
  });
});

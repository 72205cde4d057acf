import { BlockList, isIP } from 'node:net';
import { PermanentAdapterError } from '../adapter-errors.js';

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

export function normalizeMac(mac: string): string {
  const lower = mac.toLowerCase();
  if (!MAC.test(lower)) throw new PermanentAdapterError('Invalid', `"${mac}" is not a MAC address`);
  return lower;
}

const family = (ip: string): 'ipv4' | 'ipv6' => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

export function checkIp(ip: string): void {
  if (isIP(ip) === 0) throw new PermanentAdapterError('Invalid', `"${ip}" is not an IP address`);
}

/** One spelling per address, so '2001:db8::1' and '2001:DB8:0::1' are the same IP. */
export function normalizeIp(ip: string): string {
  checkIp(ip);
  return isIP(ip) === 6 ? new URL(`http://[${ip}]`).hostname.slice(1, -1) : ip;
}

/** The switch's subnets as one BlockList, so IPv4 and IPv6 membership is one call. */
export function subnetsOf(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address, prefix] = cidr.split('/');
    const bits = Number(prefix);
    if (!address || isIP(address) === 0 || !Number.isInteger(bits) || bits < 0 || bits > (isIP(address) === 6 ? 128 : 32)) {
      throw new PermanentAdapterError('Invalid', `"${cidr}" is not a CIDR`);
    }
    list.addSubnet(address, bits, family(address));
  }
  return list;
}

export function inSubnets(subnets: BlockList, ip: string): boolean {
  return subnets.check(ip, family(ip));
}

export function checkExcludeIps(excludeIps: string[]): void {
  for (const entry of excludeIps) for (const ip of entry.split('..')) checkIp(ip);
}

/** Linux interface names: 1 to 15 characters, no slash, no whitespace, not "." or "..". */
export function checkDeviceName(name: string): void {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(name) || name === '.' || name === '..') {
    throw new PermanentAdapterError('Invalid', `"${name}" is not a network device name`);
  }
}

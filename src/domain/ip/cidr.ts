import ipaddr from 'ipaddr.js';
import type { IpAddress } from './ip-address.js';
import { formatIp, ipToBigInt, type IpVersion } from './ip-number.js';

export interface Cidr {
  version: IpVersion;
  prefixLength: number;
  /** Canonical text, network address and prefix: "10.0.0.0/24", "2001:db8::/64". */
  text: string;
  /** First address (the network address) and last (the IPv4 broadcast address), as numbers. */
  first: bigint;
  last: bigint;
}

export type CidrParse = { ok: true; cidr: Cidr } | { ok: false; recommended: string | null };

/**
 * Parses a CIDR as Neutron accepts it: the address must be the network address ("10.0.0.5/24" is
 * refused, and the recommended "10.0.0.0/24" is returned for the message).
 */
export function parseCidr(text: string): CidrParse {
  if (typeof text !== 'string' || text.includes('%') || !ipaddr.isValidCIDR(text)) return { ok: false, recommended: null };
  const [address, prefixLength] = ipaddr.parseCIDR(text);
  if (address.kind() === 'ipv4' && !ipaddr.IPv4.isValidFourPartDecimal(text.split('/')[0]!)) return { ok: false, recommended: null };
  const v4 = address.kind() === 'ipv4';
  const network = v4 ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
  const broadcast = v4 ? ipaddr.IPv4.broadcastAddressFromCIDR(text) : ipaddr.IPv6.broadcastAddressFromCIDR(text);
  const canonical = `${formatIp(network)}/${prefixLength}`;
  if (ipToBigInt(address) !== ipToBigInt(network)) return { ok: false, recommended: canonical };
  return {
    ok: true,
    cidr: { version: v4 ? 4 : 6, prefixLength, text: canonical, first: ipToBigInt(network), last: ipToBigInt(broadcast) },
  };
}

export const cidrContains = (cidr: Cidr, ip: IpAddress): boolean => ip.version === cidr.version && ip.value >= cidr.first && ip.value <= cidr.last;

/**
 * The subnet's network address and, for IPv4, its broadcast address: never handed to a port.
 * IPv6 has no broadcast; its first address (the subnet-router anycast) is kept back as Neutron does.
 */
export function isReservedAddress(cidr: Cidr, ip: IpAddress): 'network' | 'broadcast' | null {
  if (ip.value === cidr.first) return 'network';
  if (cidr.version === 4 && ip.value === cidr.last) return 'broadcast';
  return null;
}

/** The first and last address a port may have: the CIDR less its reserved addresses. */
export function hostRange(cidr: Cidr): { first: bigint; last: bigint } {
  return { first: cidr.first + 1n, last: cidr.version === 4 ? cidr.last - 1n : cidr.last };
}

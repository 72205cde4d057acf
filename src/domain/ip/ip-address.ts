import ipaddr from 'ipaddr.js';
import { formatIp, ipToBigInt, type IpVersion } from './ip-number.js';

export interface IpAddress {
  version: IpVersion;
  /** Canonical text (see formatIp): two spellings of one address compare equal. */
  text: string;
  value: bigint;
}

/**
 * Parses an address strictly: IPv4 only as four decimal parts (ipaddr.js would also take "10.1"
 * or octal parts, which Neutron refuses), IPv6 without a zone index. null when it is not one.
 */
export function parseIpAddress(text: string): IpAddress | null {
  if (typeof text !== 'string') return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return fromParsed(ipaddr.IPv4.parse(text));
  if (text.includes('%') || !text.includes(':')) return null;
  try {
    return fromParsed(ipaddr.IPv6.parse(text));
  } catch {
    return null;
  }
}

function fromParsed(address: ipaddr.IPv4 | ipaddr.IPv6): IpAddress {
  return { version: address.kind() === 'ipv4' ? 4 : 6, text: formatIp(address), value: ipToBigInt(address) };
}

/** The canonical text of an address, or null when it is not one. */
export const canonicalIp = (text: string): string | null => parseIpAddress(text)?.text ?? null;

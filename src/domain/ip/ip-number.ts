import ipaddr from 'ipaddr.js';

export type IpVersion = 4 | 6;

/**
 * An address as a number, so the allocator can step through a range and jump over excluded ones
 * without enumerating it (a v6 /64 has 2^64 hosts). Parsing, masks and formatting stay with
 * ipaddr.js; this file only turns its byte arrays into a BigInt and back.
 */
export function ipToBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  return address.toByteArray().reduce((n, byte) => n * 256n + BigInt(byte), 0n);
}

export function bigIntToIp(value: bigint, version: IpVersion): string {
  const bytes = new Array<number>(version === 4 ? 4 : 16);
  let rest = value;
  for (let i = bytes.length - 1; i >= 0; i--) {
    bytes[i] = Number(rest % 256n);
    rest /= 256n;
  }
  return formatIp(ipaddr.fromByteArray(bytes));
}

/** The one text form an address is kept and compared in: dotted quad, or RFC 5952 for IPv6. */
export function formatIp(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  return address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString();
}

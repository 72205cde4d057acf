import { isReservedAddress } from '../ip/cidr.js';
import { parseIpAddress, type IpAddress } from '../ip/ip-address.js';
import { bigIntToIp } from '../ip/ip-number.js';
import {
  InvalidIpAddressError,
  IpAddressAlreadyAllocatedError,
  IpExcludedError,
  IpIsBroadcastAddressError,
  IpIsGatewayError,
  IpIsNetworkAddressError,
  IpNotInSubnetError,
} from './subnet.errors.js';
import { isExcluded } from './subnet-layout.js';
import type { Subnet } from './subnet.state.js';

/**
 * Checks an address a port asks for and returns it parsed (canonical text and number); throws why it cannot have it.
 * An address outside the allocation pools but inside the CIDR is allowed, as in Neutron.
 */
export function checkRequestedAddress(subnet: Subnet, text: string, portId: string): IpAddress {
  const { subnetId } = subnet.definition;
  const { cidr, gateway } = subnet.layout;
  const ip = parseIpAddress(text);
  if (!ip) throw new InvalidIpAddressError(text);
  if (ip.version !== cidr.version || ip.value < cidr.first || ip.value > cidr.last) throw new IpNotInSubnetError(ip.text, subnetId);
  const reserved = isReservedAddress(cidr, ip);
  if (reserved === 'network') throw new IpIsNetworkAddressError(ip.text, subnetId);
  if (reserved === 'broadcast') throw new IpIsBroadcastAddressError(ip.text, subnetId);
  if (gateway !== null && ip.value === gateway) throw new IpIsGatewayError(ip.text, subnetId);
  if (isExcluded(subnet.layout, ip.value)) throw new IpExcludedError(ip.text, subnetId);
  const holder = subnet.allocations.holderOf(ip.text);
  if (holder !== undefined && holder !== portId) throw new IpAddressAlreadyAllocatedError(ip.text, subnetId);
  return ip;
}

/**
 * The next free address of the pools after the cursor, wrapping around once; null when the pools
 * are exhausted. Allocated addresses are stepped over one by one and excluded ranges jumped over
 * whole, so a search costs at most (allocated + excluded ranges + pools) steps: a v6 /64 is never
 * enumerated.
 */
export function nextFreeAddress(subnet: Subnet): string | null {
  const { pools } = subnet.layout;
  if (pools.length === 0) return null;
  const start = subnet.cursor === null ? pools[0]!.first : parseIpAddress(subnet.cursor)!.value + 1n;
  return scan(subnet, start, null) ?? (start > pools[0]!.first ? scan(subnet, pools[0]!.first, start - 1n) : null);
}

function scan(subnet: Subnet, from: bigint, upTo: bigint | null): string | null {
  const { pools, gateway, cidr } = subnet.layout;
  for (const pool of pools) {
    if (pool.last < from) continue;
    const end = upTo !== null && upTo < pool.last ? upTo : pool.last;
    let candidate = pool.first > from ? pool.first : from;
    while (candidate <= end) {
      const excluded = isExcluded(subnet.layout, candidate);
      if (excluded) {
        candidate = excluded.last + 1n;
        continue;
      }
      if (candidate !== gateway) {
        const text = bigIntToIp(candidate, cidr.version);
        if (!subnet.allocations.isAllocated(text)) return text;
      }
      candidate += 1n;
    }
    if (upTo !== null && end === upTo) return null;
  }
  return null;
}

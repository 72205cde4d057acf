import { parseCidr, type Cidr } from '../ip/cidr.js';
import { parseIpAddress } from '../ip/ip-address.js';
import { toNumeric, type NumericRange } from '../ip/ip-range.js';
import type { SubnetDefinition } from './subnet.events.js';

/** A subnet's definition as numbers, derived from its (already validated) canonical texts. */
export interface SubnetLayout {
  cidr: Cidr;
  gateway: bigint | null;
  /** Sorted by first address, non-overlapping. */
  pools: NumericRange[];
  excluded: NumericRange[];
}

export function layoutOf(definition: SubnetDefinition): SubnetLayout {
  const parsed = parseCidr(definition.cidr);
  if (!parsed.ok) throw new Error(`Recorded subnet ${definition.subnetId} has an invalid CIDR ${definition.cidr}`);
  return {
    cidr: parsed.cidr,
    gateway: definition.gatewayIp === null ? null : parseIpAddress(definition.gatewayIp)!.value,
    pools: definition.allocationPools.map(toNumeric).sort((a, b) => (a.first < b.first ? -1 : 1)),
    excluded: definition.excludedRanges.map(toNumeric),
  };
}

export const isExcluded = (layout: SubnetLayout, value: bigint): NumericRange | undefined =>
  layout.excluded.find((r) => value >= r.first && value <= r.last);

/** How many addresses the pools hold (Neutron's total_ips of network-ip-availabilities); a BigInt, as a v6 /64 overflows a number. */
export const poolSize = (layout: SubnetLayout): bigint => layout.pools.reduce((n, p) => n + (p.last - p.first + 1n), 0n);

import { hostRange, isReservedAddress, parseCidr, type Cidr } from '../ip/cidr.js';
import { parseIpAddress } from '../ip/ip-address.js';
import { bigIntToIp } from '../ip/ip-number.js';
import { parseExcludeEntry, parseRange, rangesOverlap, type IpRange, type ParsedRange } from '../ip/ip-range.js';
import type { CreateSubnetData } from './subnet.commands.js';
import {
  GatewayConflictWithAllocationPoolsError,
  InvalidAllocationPoolError,
  InvalidSubnetInputError,
  OverlappingAllocationPoolsError,
} from './subnet.errors.js';
import type { SubnetDefinition } from './subnet.events.js';

/** Neutron's default max_dns_nameservers. */
export const MAX_DNS_NAMESERVERS = 5;

/** A subnet needs at least one host beside the gateway: /30 is the smallest IPv4, /126 the smallest IPv6. */
const MAX_PREFIX = { 4: 30, 6: 126 } as const;

/** Validates a create request and fills the defaults; throws the first refusal. */
export function defineSubnet(input: CreateSubnetData): SubnetDefinition {
  if (input.ipVersion !== 4 && input.ipVersion !== 6) throw new InvalidSubnetInputError(`ip_version ${String(input.ipVersion)} is not 4 or 6.`);
  const cidr = checkCidr(input.cidr, input.ipVersion);
  const gatewayIp = input.gatewayIp === undefined ? bigIntToIp(cidr.first + 1n, cidr.version) : checkGateway(input.gatewayIp, cidr);
  const pools = input.allocationPools === undefined ? defaultPools(cidr, gatewayIp) : checkPools(input.allocationPools, cidr);
  assertGatewayOutsidePools(gatewayIp, pools);
  return {
    subnetId: input.subnetId,
    networkId: input.networkId,
    projectId: input.projectId,
    name: checkName(input.name),
    description: checkDescription(input.description ?? ''),
    ipVersion: input.ipVersion,
    cidr: cidr.text,
    gatewayIp,
    allocationPools: pools.map((p) => p.range),
    excludedRanges: checkExcluded(input.excludedIps ?? [], cidr),
    dnsNameservers: checkNameservers(input.dnsNameservers ?? []),
    enableDhcp: input.enableDhcp ?? true,
  };
}

function checkCidr(text: string, version: 4 | 6): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) {
    throw new InvalidSubnetInputError(
      parsed.recommended ? `'${text}' isn't a recognized IP subnet cidr, '${parsed.recommended}' is recommended.` : `'${text}' is not a valid IP subnet.`,
    );
  }
  const { cidr } = parsed;
  if (cidr.version !== version) throw new InvalidSubnetInputError(`cidr ${cidr.text} is not an IPv${version} subnet (ip_version ${version}).`);
  if (cidr.prefixLength > MAX_PREFIX[version]) {
    throw new InvalidSubnetInputError(`cidr ${cidr.text} is too small: the prefix length must be at most ${MAX_PREFIX[version]}.`);
  }
  return cidr;
}

export function checkName(name: string): string {
  if (typeof name !== 'string' || name.length > 255) throw new InvalidSubnetInputError('name must be a string of at most 255 characters.');
  return name;
}

export function checkDescription(description: string): string {
  if (typeof description !== 'string' || description.length > 255) throw new InvalidSubnetInputError('description must be a string of at most 255 characters.');
  return description;
}

/** A gateway must be a host address inside the CIDR (Neutron's force_gateway_on_subnet). */
export function checkGateway(text: string | null, cidr: Cidr): string | null {
  if (text === null) return null;
  const ip = parseIpAddress(text);
  if (!ip || ip.version !== cidr.version || ip.value < cidr.first || ip.value > cidr.last || isReservedAddress(cidr, ip)) {
    throw new InvalidSubnetInputError(`Gateway ${text} is not a valid host address of subnet ${cidr.text}.`);
  }
  return ip.text;
}

/** Every host address but the gateway: one pool, or two around a gateway in the middle (as Neutron splits it). */
function defaultPools(cidr: Cidr, gatewayIp: string | null): ParsedRange[] {
  const hosts = hostRange(cidr);
  const gateway = gatewayIp === null ? null : parseIpAddress(gatewayIp)!.value;
  const spans: [bigint, bigint][] =
    gateway === null ? [[hosts.first, hosts.last]] : [[hosts.first, gateway - 1n], [gateway + 1n, hosts.last]];
  return spans.filter(([a, b]) => a <= b).map(([a, b]) => parseRange(bigIntToIp(a, cidr.version), bigIntToIp(b, cidr.version))!);
}

export function checkPools(pools: IpRange[], cidr: Cidr): ParsedRange[] {
  if (!Array.isArray(pools)) throw new InvalidSubnetInputError('allocation_pools must be a list of {start, end}.');
  const hosts = hostRange(cidr);
  const parsed = pools.map((pool) => {
    const label = `${pool?.start}-${pool?.end}`;
    const range = parseRange(pool?.start, pool?.end);
    if (!range) throw new InvalidAllocationPoolError(label, 'is not a range of addresses of one IP version, start before end');
    if (range.first.version !== cidr.version || range.first.value < hosts.first || range.last.value > hosts.last) {
      throw new InvalidAllocationPoolError(label, `spans beyond the host addresses of subnet cidr ${cidr.text}`);
    }
    return range;
  });
  const sorted = [...parsed].sort((a, b) => (a.first.value < b.first.value ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1]!, sorted[i]!];
    if (rangesOverlap({ first: a.first.value, last: a.last.value }, { first: b.first.value, last: b.last.value })) {
      throw new OverlappingAllocationPoolsError(`${a.range.start}-${a.range.end}`, `${b.range.start}-${b.range.end}`, cidr.text);
    }
  }
  return sorted;
}

export function assertGatewayOutsidePools(gatewayIp: string | null, pools: ParsedRange[]): void {
  if (gatewayIp === null) return;
  const gateway = parseIpAddress(gatewayIp)!.value;
  const hit = pools.find((p) => gateway >= p.first.value && gateway <= p.last.value);
  if (hit) throw new GatewayConflictWithAllocationPoolsError(gatewayIp, `${hit.range.start}-${hit.range.end}`);
}

export function checkExcluded(entries: string[], cidr: Cidr): IpRange[] {
  if (!Array.isArray(entries)) throw new InvalidSubnetInputError('excluded IPs must be a list.');
  return entries.map((entry) => {
    const range = parseExcludeEntry(entry);
    if (!range || range.first.version !== cidr.version || range.first.value < cidr.first || range.last.value > cidr.last) {
      throw new InvalidSubnetInputError(`excluded IP entry '${entry}' is not an address or range (a..b) inside ${cidr.text}.`);
    }
    return range.range;
  });
}

export function checkNameservers(servers: string[]): string[] {
  if (!Array.isArray(servers)) throw new InvalidSubnetInputError('dns_nameservers must be a list.');
  if (servers.length > MAX_DNS_NAMESERVERS) {
    throw new InvalidSubnetInputError(`A maximum of ${MAX_DNS_NAMESERVERS} DNS nameservers is allowed for a subnet.`);
  }
  const seen = new Set<string>();
  return servers.map((text) => {
    const ip = parseIpAddress(text);
    if (!ip) throw new InvalidSubnetInputError(`'${text}' is not a valid nameserver.`);
    if (seen.has(ip.text)) throw new InvalidSubnetInputError(`Duplicate nameserver '${text}'.`);
    seen.add(ip.text);
    return ip.text;
  });
}

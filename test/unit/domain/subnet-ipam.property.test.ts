import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { canonicalIp } from '../../../src/domain/ip/ip-address.js';
import { bigIntToIp } from '../../../src/domain/ip/ip-number.js';
import { DomainError } from '../../../src/domain/shared/domain-error.js';
import type { SubnetCommand } from '../../../src/domain/subnet/subnet.commands.js';
import { subnetDecider } from '../../../src/domain/subnet/subnet.decider.js';
import { IpAddressGenerationFailureError } from '../../../src/domain/subnet/subnet.errors.js';
import type { SubnetState } from '../../../src/domain/subnet/subnet.state.js';
import { NETWORK_ID, NOW, SUBNET_ID } from './subnet-fixtures.js';

type Op = { kind: 'pool'; port: number } | { kind: 'request'; port: number; offset: number } | { kind: 'release'; port: number; pick: number };

/** More ports than pool addresses, so runs reach exhaustion too. */
const PORTS = 60;
let exhaustions = 0;

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('pool' as const), port: fc.nat(PORTS - 1) }),
  fc.record({ kind: fc.constant('pool' as const), port: fc.nat(PORTS - 1) }),
  fc.record({ kind: fc.constant('request' as const), port: fc.nat(PORTS - 1), offset: fc.nat(34) }),
  fc.record({ kind: fc.constant('release' as const), port: fc.nat(PORTS - 1), pick: fc.nat(8) }),
);

/** A /27 (or /123), small so pools run out, with an excluded range and one or two pools around the gateway, placed at random. */
const layout = (version: 4 | 6) =>
  fc
    .record({ exclStart: fc.integer({ min: 1, max: 30 }), exclLen: fc.nat(5), split: fc.integer({ min: 2, max: 28 }), twoPools: fc.boolean() })
    .map((r) => ({ ...r, version }));

type Layout = { version: 4 | 6; exclStart: number; exclLen: number; split: number; twoPools: boolean };

const base = (version: 4 | 6) => (version === 4 ? ipaddr.parse('10.20.30.0') : ipaddr.parse('2001:db8:0:7::'));
const at = (version: 4 | 6, offset: number) =>
  bigIntToIp(BigInt('0x' + Buffer.from(base(version).toByteArray()).toString('hex')) + BigInt(offset), version);

function createCommand(l: Layout): SubnetCommand {
  const cidr = l.version === 4 ? '10.20.30.0/27' : '2001:db8:0:7::/123';
  const pools = l.twoPools
    ? [{ start: at(l.version, 1), end: at(l.version, l.split - 1) }, { start: at(l.version, l.split + 1), end: at(l.version, 30) }]
    : [{ start: at(l.version, 2), end: at(l.version, 30) }];
  return {
    type: 'CreateSubnet',
    data: {
      subnetId: SUBNET_ID,
      networkId: NETWORK_ID,
      projectId: 'p1',
      name: 'prop',
      ipVersion: l.version,
      cidr,
      // The gateway sits in the gap between the pools when there are two, else nowhere in a pool.
      gatewayIp: at(l.version, l.twoPools ? l.split : 1),
      allocationPools: pools,
      excludedIps: [`${at(l.version, l.exclStart)}..${at(l.version, Math.min(l.exclStart + l.exclLen, 31))}`],
    },
  };
}

function run(l: Layout, ops: Op[]): void {
  const context = { now: NOW };
  const create = createCommand(l);
  let state: SubnetState = subnetDecider.decide(create, null, context).reduce(subnetDecider.evolve, null as SubnetState);
  const subnet = state!;
  const inPools = (ip: string) => {
    const v = ipaddr.parse(ip);
    return subnet.definition.allocationPools.some((p) => within(v, p.start, p.end));
  };
  const excluded = (ip: string) => subnet.definition.excludedRanges.some((r) => within(ipaddr.parse(ip), r.start, r.end));
  const model = new Map<string, string>();

  for (const step of ops) {
    const portId = `port-${step.port}`;
    let command: SubnetCommand;
    if (step.kind === 'pool') command = { type: 'AllocateIp', data: { subnetId: SUBNET_ID, portId, ipAddress: null } };
    else if (step.kind === 'request') command = { type: 'AllocateIp', data: { subnetId: SUBNET_ID, portId, ipAddress: at(l.version, step.offset) } };
    else {
      const held = [...model].filter(([, p]) => p === portId).map(([a]) => a);
      const ip = held[step.pick % Math.max(held.length, 1)] ?? at(l.version, step.pick + 1);
      command = { type: 'ReleaseIp', data: { subnetId: SUBNET_ID, portId, ipAddress: ip } };
    }
    let events;
    try {
      events = subnetDecider.decide(command, state, context);
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      if (error instanceof IpAddressGenerationFailureError) {
        exhaustions++;
        // Exhausted only when every pool address that may be handed out is really held.
        const free = poolAddresses(subnet.definition.allocationPools).filter((ip) => ip !== subnet.definition.gatewayIp && !excluded(ip) && !model.has(ip));
        expect(free).toEqual([]);
      }
      continue;
    }
    for (const event of events) {
      if (event.type === 'IpAllocated') {
        const ip = event.data.ipAddress;
        expect(model.has(ip)).toBe(false);
        expect(ip).not.toBe(subnet.definition.gatewayIp);
        expect(excluded(ip)).toBe(false);
        expect(ipaddr.parse(ip).match(ipaddr.parseCIDR(subnet.definition.cidr))).toBe(true);
        if (event.data.method === 'pool') expect(inPools(ip)).toBe(true);
        model.set(ip, event.data.portId);
      } else if (event.type === 'IpReleased') {
        expect(model.get(event.data.ipAddress)).toBe(event.data.portId);
        model.delete(event.data.ipAddress);
      }
      state = subnetDecider.evolve(state, event);
    }
  }
  expect(new Map(state!.allocations.entries())).toEqual(model);
}

function within(v: ipaddr.IPv4 | ipaddr.IPv6, start: string, end: string): boolean {
  const bytes = v.toByteArray();
  const cmp = (other: string) => Buffer.compare(Buffer.from(bytes), Buffer.from(ipaddr.parse(other).toByteArray()));
  return v.kind() === ipaddr.parse(start).kind() && cmp(start) >= 0 && cmp(end) <= 0;
}

function poolAddresses(pools: { start: string; end: string }[]): string[] {
  const all: string[] = [];
  for (const pool of pools) {
    for (let v = ipaddr.parse(pool.start); ; v = next(v)) {
      all.push(canonicalIp(v.toString())!);
      if (all[all.length - 1] === pool.end) break;
    }
  }
  return all;
}

function next(v: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  const bytes = v.toByteArray();
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i]! < 255) {
      bytes[i]! += 1;
      break;
    }
    bytes[i] = 0;
  }
  return ipaddr.fromByteArray(bytes);
}

describe('Subnet IPAM properties', () => {
  it.each([4, 6] as const)('IPv%i: any sequence of allocations and releases never hands out an address twice, the gateway, an excluded address, or a pool pick outside the pools', (version) => {
    fc.assert(
      fc.property(layout(version), fc.array(op, { minLength: 1, maxLength: 150, size: 'large' }), (l, ops) => run(l, ops)),
      { numRuns: 50 },
    );
    expect(exhaustions).toBeGreaterThan(0);
  });
});

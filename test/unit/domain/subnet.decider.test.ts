import { subnetDecider } from '../../../src/domain/subnet/subnet.decider.js';
import {
  ExcludedIpInUseError,
  GatewayConflictWithAllocationPoolsError,
  GatewayIpInUseError,
  InvalidAllocationPoolError,
  InvalidIpAddressError,
  InvalidSubnetInputError,
  IpAddressAlreadyAllocatedError,
  IpAddressGenerationFailureError,
  IpExcludedError,
  IpIsBroadcastAddressError,
  IpIsGatewayError,
  IpIsNetworkAddressError,
  IpNotInSubnetError,
  OverlappingAllocationPoolsError,
  SubnetExistsError,
  SubnetInUseError,
  SubnetNotFoundError,
} from '../../../src/domain/subnet/subnet.errors.js';
import type { SubnetEvent } from '../../../src/domain/subnet/subnet.events.js';
import { addressesHeldBy } from '../../../src/domain/subnet/subnet.state.js';
import { poolSize } from '../../../src/domain/subnet/subnet-layout.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { allocated, createdV4, createV4, createV6, NETWORK_ID, NOW, PORT_A, PORT_B, released, SUBNET_ID } from './subnet-fixtures.js';

const spec = deciderSpec(subnetDecider, { now: NOW });
const created = (overrides: Partial<Extract<SubnetEvent, { type: 'SubnetCreated' }>['data']>): SubnetEvent => ({
  type: 'SubnetCreated',
  data: { ...(createdV4.data as Extract<SubnetEvent, { type: 'SubnetCreated' }>['data']), ...overrides },
});
const allocate = (ipAddress: string | null, portId = PORT_A) => ({ type: 'AllocateIp' as const, data: { subnetId: SUBNET_ID, portId, ipAddress } });

describe('Subnet decider: create', () => {
  it('given no subnet, when an IPv4 subnet is created with defaults, then the gateway is the first host and the pool every other host', () => {
    spec.given([]).when({ type: 'CreateSubnet', data: createV4 }).then([createdV4]);
  });

  it('given no subnet, when an IPv6 /64 is created, then its pool runs to the last address (no broadcast in IPv6) and its size is 2^64 - 2', () => {
    spec.given([]).when({ type: 'CreateSubnet', data: { ...createV6, cidr: '2001:0DB8:0:0::/64' } }).thenState((subnet) => {
      expect(subnet!.definition.cidr).toBe('2001:db8::/64');
      expect(subnet!.definition.gatewayIp).toBe('2001:db8::1');
      expect(subnet!.definition.allocationPools).toEqual([{ start: '2001:db8::2', end: '2001:db8::ffff:ffff:ffff:ffff' }]);
      expect(poolSize(subnet!.layout)).toBe(2n ** 64n - 2n);
    });
  });

  it('given no subnet, when created with no gateway, then the pool is every host', () => {
    spec.given([]).when({ type: 'CreateSubnet', data: { ...createV4, gatewayIp: null } }).thenState((subnet) => {
      expect(subnet!.definition.gatewayIp).toBeNull();
      expect(subnet!.definition.allocationPools).toEqual([{ start: '10.0.0.1', end: '10.0.0.254' }]);
    });
  });

  it('given no subnet, when created with a gateway in the middle, then the default pools are split around it (as Neutron)', () => {
    spec.given([]).when({ type: 'CreateSubnet', data: { ...createV4, gatewayIp: '10.0.0.100' } }).thenState((subnet) => {
      expect(subnet!.definition.allocationPools).toEqual([
        { start: '10.0.0.1', end: '10.0.0.99' },
        { start: '10.0.0.101', end: '10.0.0.254' },
      ]);
    });
  });

  it('given no subnet, when created with pools, exclusions and DNS, then they are kept in canonical form, pools sorted', () => {
    const data = {
      ...createV6,
      allocationPools: [{ start: '2001:db8::100', end: '2001:DB8::1ff' }, { start: '2001:db8::10', end: '2001:db8::20' }],
      excludedIps: ['2001:db8::15', '2001:db8::1a0..2001:db8::1af'],
      dnsNameservers: ['2001:4860:4860:0:0:0:0:8888'],
      enableDhcp: false,
    };
    spec.given([]).when({ type: 'CreateSubnet', data }).thenState((subnet) => {
      expect(subnet!.definition).toMatchObject({
        allocationPools: [{ start: '2001:db8::10', end: '2001:db8::20' }, { start: '2001:db8::100', end: '2001:db8::1ff' }],
        excludedRanges: [{ start: '2001:db8::15', end: '2001:db8::15' }, { start: '2001:db8::1a0', end: '2001:db8::1af' }],
        dnsNameservers: ['2001:4860:4860::8888'],
        enableDhcp: false,
      });
    });
  });

  it('given a subnet (even deleted), when its id is created again, then SubnetExists', () => {
    spec.given([createdV4]).when({ type: 'CreateSubnet', data: createV4 }).thenThrows(SubnetExistsError, `Subnet ${SUBNET_ID} already exists.`);
    const deleted: SubnetEvent = { type: 'SubnetDeleted', data: { subnetId: SUBNET_ID, networkId: NETWORK_ID, deletedAt: NOW } };
    spec.given([createdV4, deleted]).when({ type: 'CreateSubnet', data: createV4 }).thenThrows(SubnetExistsError);
  });

  it.each([
    ['an ip_version of 5', { ipVersion: 5 }, /ip_version 5 is not 4 or 6/],
    ['a CIDR that is no CIDR', { cidr: '10.0.0.0/33' }, /'10.0.0.0\/33' is not a valid IP subnet/],
    ['host bits set', { cidr: '10.0.0.5/24' }, /'10.0.0.5\/24' isn't a recognized IP subnet cidr, '10.0.0.0\/24' is recommended/],
    ['a v6 CIDR for ip_version 4', { cidr: '2001:db8::/64' }, /not an IPv4 subnet/],
    ['a /31', { cidr: '10.0.0.0/31' }, /too small/],
    ['a gateway outside the CIDR', { gatewayIp: '10.0.1.1' }, /Gateway 10.0.1.1 is not a valid host address/],
    ['the broadcast address as gateway', { gatewayIp: '10.0.0.255' }, /Gateway/],
    ['an excluded entry outside the CIDR', { excludedIps: ['10.0.1.0..10.0.1.9'] }, /excluded IP entry/],
    ['an excluded range backwards', { excludedIps: ['10.0.0.9..10.0.0.1'] }, /excluded IP entry/],
    ['a bad nameserver', { dnsNameservers: ['8.8.8'] }, /'8.8.8' is not a valid nameserver/],
    ['a duplicate nameserver', { dnsNameservers: ['8.8.8.8', '8.8.8.8'] }, /Duplicate nameserver/],
    ['six nameservers', { dnsNameservers: ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4', '1.1.1.5', '1.1.1.6'] }, /maximum of 5/],
    ['a name of 256 characters', { name: 'x'.repeat(256) }, /name/],
  ])('given no subnet, when created with %s, then InvalidInput (400)', (_why, change, message) => {
    spec.given([]).when({ type: 'CreateSubnet', data: { ...createV4, ...change } }).thenThrows(InvalidSubnetInputError, message);
  });

  it.each([
    ['a pool past the CIDR', [{ start: '10.0.0.10', end: '10.0.1.10' }], /spans beyond/],
    ['a pool on the network address', [{ start: '10.0.0.0', end: '10.0.0.10' }], /spans beyond/],
    ['a pool on the broadcast address', [{ start: '10.0.0.200', end: '10.0.0.255' }], /spans beyond/],
    ['a pool ending before it starts', [{ start: '10.0.0.20', end: '10.0.0.10' }], /start before end/],
    ['a pool of mixed versions', [{ start: '10.0.0.20', end: '2001:db8::1' }], /one IP version/],
  ])('given no subnet, when created with %s, then InvalidAllocationPool (400)', (_why, allocationPools, message) => {
    spec.given([]).when({ type: 'CreateSubnet', data: { ...createV4, allocationPools } }).thenThrows(InvalidAllocationPoolError, message);
  });

  it('given no subnet, when created with overlapping pools, then OverlappingAllocationPools (409)', () => {
    const allocationPools = [{ start: '10.0.0.50', end: '10.0.0.60' }, { start: '10.0.0.10', end: '10.0.0.50' }];
    spec
      .given([])
      .when({ type: 'CreateSubnet', data: { ...createV4, allocationPools } })
      .thenThrows(OverlappingAllocationPoolsError, 'Found overlapping allocation pools: 10.0.0.10-10.0.0.50 and 10.0.0.50-10.0.0.60 for subnet 10.0.0.0/24.');
  });

  it('given no subnet, when created with the gateway inside a pool, then GatewayConflictWithAllocationPools (409)', () => {
    spec
      .given([])
      .when({ type: 'CreateSubnet', data: { ...createV4, allocationPools: [{ start: '10.0.0.1', end: '10.0.0.9' }] } })
      .thenThrows(GatewayConflictWithAllocationPoolsError, 'Gateway ip 10.0.0.1 conflicts with allocation pool 10.0.0.1-10.0.0.9.');
  });
});

describe('Subnet decider: allocate a chosen address', () => {
  it('given a subnet, when a port asks for a free address in another spelling, then IpAllocated with the canonical text', () => {
    spec.given([created({ ipVersion: 6, cidr: '2001:db8::/64', gatewayIp: '2001:db8::1', allocationPools: [] })])
      .when(allocate('2001:DB8:0::0:abc'))
      .then([allocated('2001:db8::abc')]);
  });

  it('given a subnet, when a port asks for an address outside the pools but inside the CIDR, then it gets it (as Neutron)', () => {
    spec.given([created({ allocationPools: [{ start: '10.0.0.100', end: '10.0.0.200' }] })]).when(allocate('10.0.0.7')).then([allocated('10.0.0.7')]);
  });

  it('given the port holds the address, when it asks for it again, then nothing (a retried step)', () => {
    spec.given([createdV4, allocated('10.0.0.7')]).when(allocate('10.0.0.7')).thenNothing();
  });

  it.each([
    ['not an address', '10.0.0.300', InvalidIpAddressError, "Invalid input for fixed_ips. Reason: '10.0.0.300' is not a valid IP address."],
    ['outside the CIDR', '10.0.1.7', IpNotInSubnetError, 'IP address 10.0.1.7 is not a valid IP for the specified subnet.'],
    ['of the other IP version', '2001:db8::7', IpNotInSubnetError, /not a valid IP for the specified subnet/],
    ['the network address', '10.0.0.0', IpIsNetworkAddressError, /network address of subnet/],
    ['the broadcast address', '10.0.0.255', IpIsBroadcastAddressError, /broadcast address of subnet/],
    ['the gateway', '10.0.0.1', IpIsGatewayError, `IP address 10.0.0.1 is the gateway of subnet ${SUBNET_ID}.`],
    ['an excluded address', '10.0.0.12', IpExcludedError, /excluded from allocation/],
    ['an address taken by another port', '10.0.0.7', IpAddressAlreadyAllocatedError, `IP address 10.0.0.7 already allocated in subnet ${SUBNET_ID}`],
  ])('given a subnet, when a port asks for %s, then a typed refusal', (_why, ip, error, message) => {
    spec
      .given([created({ excludedRanges: [{ start: '10.0.0.10', end: '10.0.0.19' }] }), allocated('10.0.0.7', PORT_B)])
      .when(allocate(ip))
      .thenThrows(error, message);
  });

  it('maps each refusal to the status Neutron answers: malformed or outside 400, taken or reserved 409', () => {
    expect(new IpNotInSubnetError('x', 's').kind).toBe('invalid_input');
    expect(new IpIsNetworkAddressError('x', 's').kind).toBe('invalid_input');
    expect(new IpIsBroadcastAddressError('x', 's').kind).toBe('invalid_input');
    expect(new InvalidIpAddressError('x').kind).toBe('invalid_input');
    expect(new IpIsGatewayError('x', 's').kind).toBe('conflict');
    expect(new IpExcludedError('x', 's').kind).toBe('conflict');
    expect(new IpAddressAlreadyAllocatedError('x', 's').kind).toBe('conflict');
    expect(new IpAddressGenerationFailureError('n', 's').kind).toBe('conflict');
  });

  it('given an IPv6 subnet, when a port asks for its last address, then it gets it (IPv6 has no broadcast)', () => {
    spec.given([created({ ipVersion: 6, cidr: '2001:db8::/120', gatewayIp: '2001:db8::1', allocationPools: [] })])
      .when(allocate('2001:db8::ff'))
      .then([allocated('2001:db8::ff')]);
  });

  it('given a deleted or unknown subnet, when an address is asked for, then SubnetNotFound', () => {
    spec.given([]).when(allocate('10.0.0.7')).thenThrows(SubnetNotFoundError, `Subnet ${SUBNET_ID} could not be found.`);
  });
});

describe('Subnet decider: allocate from the pools', () => {
  it('given a fresh subnet, when a port asks for any address, then the first of the pool', () => {
    spec.given([createdV4]).when(allocate(null)).then([allocated('10.0.0.2', PORT_A, 'pool')]);
  });

  it('given addresses picked before, when another port asks, then the one after the last picked, skipping taken, excluded and the gateway', () => {
    spec
      .given([
        created({ gatewayIp: '10.0.0.5', allocationPools: [{ start: '10.0.0.1', end: '10.0.0.4' }, { start: '10.0.0.6', end: '10.0.0.20' }], excludedRanges: [{ start: '10.0.0.7', end: '10.0.0.9' }] }),
        allocated('10.0.0.4', PORT_A, 'pool'),
        allocated('10.0.0.6', 'port-c'),
        allocated('10.0.0.10', 'port-d'),
      ])
      .when(allocate(null, PORT_B))
      .then([allocated('10.0.0.11', PORT_B, 'pool')]);
  });

  it('given the cursor at the end of the pools, when a port asks, then the search wraps to a released address at the start', () => {
    spec
      .given([
        created({ allocationPools: [{ start: '10.0.0.2', end: '10.0.0.4' }] }),
        allocated('10.0.0.2', 'p1', 'pool'),
        allocated('10.0.0.3', 'p2', 'pool'),
        allocated('10.0.0.4', 'p3', 'pool'),
        released('10.0.0.2', 'p1'),
      ])
      .when(allocate(null, PORT_B))
      .then([allocated('10.0.0.2', PORT_B, 'pool')]);
  });

  it('given every pool address taken, when a port asks, then IpAddressGenerationFailure (409)', () => {
    spec
      .given([created({ allocationPools: [{ start: '10.0.0.2', end: '10.0.0.3' }] }), allocated('10.0.0.2', 'p1', 'pool'), allocated('10.0.0.3', 'p2')])
      .when(allocate(null, PORT_B))
      .thenThrows(IpAddressGenerationFailureError, `No more IP addresses available on network ${NETWORK_ID}.`);
  });

  it('given no pools at all, when a port asks, then IpAddressGenerationFailure', () => {
    spec.given([created({ allocationPools: [] })]).when(allocate(null)).thenThrows(IpAddressGenerationFailureError);
  });

  it('given a /64 whose first 2^60 pool addresses are excluded, when a port asks, then the search jumps the range instead of walking it', () => {
    spec
      .given([created({ ipVersion: 6, cidr: '2001:db8::/64', gatewayIp: '2001:db8::1', allocationPools: [{ start: '2001:db8::2', end: '2001:db8::ffff:ffff:ffff:ffff' }], excludedRanges: [{ start: '2001:db8::2', end: '2001:db8::fff:ffff:ffff:ffff' }] })])
      .when(allocate(null))
      .then([allocated('2001:db8:0:0:1000::', PORT_A, 'pool')]);
  });

  it('given the port already holds a pool address here, when it asks again, then nothing (a retried step)', () => {
    spec.given([createdV4, allocated('10.0.0.2', PORT_A, 'pool')]).when(allocate(null)).thenNothing();
  });
});

describe('Subnet decider: release', () => {
  const release = (ipAddress: string, portId = PORT_A) => ({ type: 'ReleaseIp' as const, data: { subnetId: SUBNET_ID, portId, ipAddress } });

  it('given a port holds an address, when it releases it, then IpReleased and the address is free again', () => {
    spec.given([createdV4, allocated('10.0.0.7')]).when(release('10.0.0.7')).then([released('10.0.0.7')]);
    spec.given([createdV4, allocated('10.0.0.7')]).when(release('10.0.0.7')).thenState((subnet) => {
      expect(subnet!.allocations.size).toBe(0);
      expect(addressesHeldBy(subnet!, PORT_A)).toEqual([]);
    });
  });

  it('given the address is free or held by another port, when a port releases it, then nothing (a late duplicate never frees another port\'s address)', () => {
    spec.given([createdV4]).when(release('10.0.0.7')).thenNothing();
    spec.given([createdV4, allocated('10.0.0.7', PORT_B)]).when(release('10.0.0.7')).thenNothing();
  });
});

describe('Subnet decider: update', () => {
  const update = (data: object) => ({ type: 'UpdateSubnet' as const, data: { subnetId: SUBNET_ID, ...data } });

  it('given a subnet, when name, DNS and pools change, then SubnetUpdated with only what changed', () => {
    spec
      .given([createdV4])
      .when(update({ name: 'edge-v4', description: 'edge', dnsNameservers: ['8.8.8.8'], allocationPools: [{ start: '10.0.0.10', end: '10.0.0.99' }] }))
      .then([
        {
          type: 'SubnetUpdated',
          data: { subnetId: SUBNET_ID, changes: { description: 'edge', dnsNameservers: ['8.8.8.8'], allocationPools: [{ start: '10.0.0.10', end: '10.0.0.99' }] }, updatedAt: NOW },
        },
      ]);
  });

  it('given a subnet, when nothing really changes, then nothing', () => {
    spec.given([createdV4]).when(update({ name: 'edge-v4', gatewayIp: '10.0.0.1', enableDhcp: true })).thenNothing();
  });

  it('given a subnet, when the gateway moves to a free address outside the pools, then SubnetUpdated and the new gateway is refused to ports', () => {
    const moved = update({ gatewayIp: '10.0.0.254', allocationPools: [{ start: '10.0.0.2', end: '10.0.0.253' }] });
    spec.given([createdV4]).when(moved).thenState((subnet) => {
      expect(subnet!.definition.gatewayIp).toBe('10.0.0.254');
      expect(() => subnetDecider.decide(allocate('10.0.0.254'), subnet, { now: NOW })).toThrow(IpIsGatewayError);
    });
  });

  it('given a port holds an address, when the gateway moves onto it, then GatewayIpInUse (409)', () => {
    spec
      .given([created({ allocationPools: [] }), allocated('10.0.0.9')])
      .when(update({ gatewayIp: '10.0.0.9' }))
      .thenThrows(GatewayIpInUseError, `Current gateway ip 10.0.0.9 already in use by port ${PORT_A}. Unable to update.`);
  });

  it('given the default pool, when the gateway moves into it, then GatewayConflictWithAllocationPools', () => {
    spec.given([createdV4]).when(update({ gatewayIp: '10.0.0.50' })).thenThrows(GatewayConflictWithAllocationPoolsError);
  });

  it('given a subnet, when the gateway is removed, then the gateway is null', () => {
    spec.given([createdV4]).when(update({ gatewayIp: null })).then([{ type: 'SubnetUpdated', data: { subnetId: SUBNET_ID, changes: { gatewayIp: null }, updatedAt: NOW } }]);
  });

  it('given a port holds an address, when an update excludes it, then ExcludedIpInUse; excluding free addresses is fine', () => {
    spec.given([createdV4, allocated('10.0.0.9')]).when(update({ excludedIps: ['10.0.0.5..10.0.0.10'] })).thenThrows(ExcludedIpInUseError);
    spec.given([createdV4, allocated('10.0.0.9')]).when(update({ excludedIps: ['10.0.0.10..10.0.0.20'] })).thenState((subnet) => {
      expect(subnet!.definition.excludedRanges).toEqual([{ start: '10.0.0.10', end: '10.0.0.20' }]);
    });
  });

  it('given a subnet, when updated with overlapping pools, then OverlappingAllocationPools', () => {
    spec.given([createdV4]).when(update({ allocationPools: [{ start: '10.0.0.2', end: '10.0.0.9' }, { start: '10.0.0.9', end: '10.0.0.20' }] })).thenThrows(OverlappingAllocationPoolsError);
  });

  it('given no subnet, when updated, then SubnetNotFound', () => {
    spec.given([]).when(update({ name: 'x' })).thenThrows(SubnetNotFoundError);
  });
});

describe('Subnet decider: delete', () => {
  const del = { type: 'DeleteSubnet' as const, data: { subnetId: SUBNET_ID } };

  it('given a subnet without allocations, when deleted, then SubnetDeleted naming its network', () => {
    spec.given([createdV4, allocated('10.0.0.7'), released('10.0.0.7')]).when(del).then([{ type: 'SubnetDeleted', data: { subnetId: SUBNET_ID, networkId: NETWORK_ID, deletedAt: NOW } }]);
  });

  it('given a port holds an address, when the subnet is deleted, then SubnetInUse (409)', () => {
    spec.given([createdV4, allocated('10.0.0.7')]).when(del).thenThrows(SubnetInUseError, `Unable to complete operation on subnet ${SUBNET_ID}: One or more ports have an IP allocation from this subnet.`);
  });

  it('given a deleted subnet, when deleted again, then SubnetNotFound', () => {
    spec.given([createdV4, { type: 'SubnetDeleted', data: { subnetId: SUBNET_ID, networkId: NETWORK_ID, deletedAt: NOW } }]).when(del).thenThrows(SubnetNotFoundError);
  });
});

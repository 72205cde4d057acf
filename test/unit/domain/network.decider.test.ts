import { generatedMac, canonicalMac } from '../../../src/domain/ip/mac-address.js';
import { networkDecider } from '../../../src/domain/network/network.decider.js';
import {
  InvalidMacAddressError,
  InvalidNetworkInputError,
  InvalidSharedSettingError,
  MacAddressInUseError,
  NetworkExistsError,
  NetworkHasSubnetsError,
  NetworkInUseError,
  NetworkNotFoundError,
  SubnetVersionTakenError,
} from '../../../src/domain/network/network.errors.js';
import type { NetworkEvent } from '../../../src/domain/network/network.events.js';
import { deciderSpec } from '../../support/decider-spec.js';

const NOW = '2026-11-22T10:00:00.000Z';
const NET = 'net-1';
const spec = deciderSpec(networkDecider, { now: NOW });

const created: NetworkEvent = {
  type: 'NetworkCreated',
  data: { networkId: NET, projectId: 'p1', name: 'edge', description: '', shared: false, external: false, mtu: 1442, adminStateUp: true, createdAt: NOW },
};
const v4Added: NetworkEvent = { type: 'NetworkSubnetAdded', data: { networkId: NET, subnet: { subnetId: 's4', ipVersion: 4, cidr: '10.0.0.0/24' } } };
const macReserved = (macAddress: string, portId = 'port-a', projectId = 'p1'): NetworkEvent => ({
  type: 'MacReserved',
  data: { networkId: NET, macAddress, portId, projectId },
});
const deleted: NetworkEvent = { type: 'NetworkDeleted', data: { networkId: NET, deletedAt: NOW } };

describe('Network decider: create and update', () => {
  it('given no network, when created with a name only, then NetworkCreated with Geneve MTU 1442, not shared, not external, up', () => {
    spec.given([]).when({ type: 'CreateNetwork', data: { networkId: NET, projectId: 'p1', name: 'edge' } }).then([created]);
  });

  it('given no network, when created shared, external, with MTU 8942 and down, then it keeps them', () => {
    spec
      .given([])
      .when({ type: 'CreateNetwork', data: { networkId: NET, projectId: 'p1', name: 'ext', shared: true, external: true, mtu: 8942, adminStateUp: false } })
      .thenState((n) => expect(n).toMatchObject({ shared: true, external: true, mtu: 8942, adminStateUp: false }));
  });

  it('given a network (even deleted), when its id is created again, then NetworkExists', () => {
    spec.given([created]).when({ type: 'CreateNetwork', data: { networkId: NET, projectId: 'p1', name: 'x' } }).thenThrows(NetworkExistsError);
    spec.given([created, deleted]).when({ type: 'CreateNetwork', data: { networkId: NET, projectId: 'p1', name: 'x' } }).thenThrows(NetworkExistsError);
  });

  it.each([
    ['an MTU of 67', { mtu: 67 }, /mtu 67 must be a whole number from 68 to 8942/],
    ['an MTU above jumbo frames less Geneve', { mtu: 8943 }, /mtu 8943/],
    ['a fractional MTU', { mtu: 1400.5 }, /mtu/],
    ['a name of 256 characters', { name: 'n'.repeat(256) }, /name/],
    ['shared as a string', { shared: 'yes' as unknown as boolean }, /shared must be true or false/],
  ])('given no network, when created with %s, then InvalidInput (400)', (_why, change, message) => {
    spec.given([]).when({ type: 'CreateNetwork', data: { networkId: NET, projectId: 'p1', name: 'edge', ...change } }).thenThrows(InvalidNetworkInputError, message);
  });

  it('given a network, when name, shared and MTU change, then NetworkUpdated with only what changed', () => {
    spec
      .given([created])
      .when({ type: 'UpdateNetwork', data: { networkId: NET, name: 'edge', shared: true, mtu: 1400 } })
      .then([{ type: 'NetworkUpdated', data: { networkId: NET, changes: { shared: true, mtu: 1400 }, updatedAt: NOW } }]);
  });

  it('given a network, when nothing changes, then nothing', () => {
    spec.given([created]).when({ type: 'UpdateNetwork', data: { networkId: NET, name: 'edge', mtu: 1442 } }).thenNothing();
  });

  it('given a network with an IPv6 subnet, when its MTU goes below 1280, then InvalidInput', () => {
    const v6: NetworkEvent = { type: 'NetworkSubnetAdded', data: { networkId: NET, subnet: { subnetId: 's6', ipVersion: 6, cidr: '2001:db8::/64' } } };
    spec.given([created, v6]).when({ type: 'UpdateNetwork', data: { networkId: NET, mtu: 1200 } }).thenThrows(InvalidNetworkInputError, /from 1280/);
    spec.given([created, v4Added]).when({ type: 'UpdateNetwork', data: { networkId: NET, mtu: 1200 } }).thenState((n) => expect(n!.mtu).toBe(1200));
  });

  it('given a shared network with a port of another project, when it is made not shared, then InvalidSharedSetting (409)', () => {
    const shared: NetworkEvent = { type: 'NetworkUpdated', data: { networkId: NET, changes: { shared: true }, updatedAt: NOW } };
    spec.given([created, shared, macReserved('fa:16:3e:00:00:01', 'port-x', 'p2')]).when({ type: 'UpdateNetwork', data: { networkId: NET, shared: false } }).thenThrows(InvalidSharedSettingError);
    spec.given([created, shared, macReserved('fa:16:3e:00:00:01')]).when({ type: 'UpdateNetwork', data: { networkId: NET, shared: false } }).thenState((n) => expect(n!.shared).toBe(false));
  });

  it('given a deleted network, when updated, then NetworkNotFound', () => {
    spec.given([created, deleted]).when({ type: 'UpdateNetwork', data: { networkId: NET, name: 'x' } }).thenThrows(NetworkNotFoundError, `Network ${NET} could not be found.`);
  });
});

describe('Network decider: subnets (dual stack = one subnet per IP version)', () => {
  it('given a network, when an IPv4 then an IPv6 subnet are added, then both are recorded', () => {
    const v6 = { networkId: NET, subnetId: 's6', ipVersion: 6, cidr: '2001:db8::/64' };
    spec.given([created]).when({ type: 'AddSubnetToNetwork', data: { networkId: NET, subnetId: 's4', ipVersion: 4, cidr: '10.0.0.0/24' } }).then([v4Added]);
    spec.given([created, v4Added]).when({ type: 'AddSubnetToNetwork', data: v6 }).thenState((n) => expect(n!.subnets.map((s) => s.ipVersion)).toEqual([4, 6]));
  });

  it('given an IPv4 subnet, when a second IPv4 subnet is added, then SubnetVersionTaken (409); the same subnet again is nothing', () => {
    spec.given([created, v4Added]).when({ type: 'AddSubnetToNetwork', data: { networkId: NET, subnetId: 's4b', ipVersion: 4, cidr: '10.1.0.0/24' } }).thenThrows(SubnetVersionTakenError, /already has an IPv4 subnet \(s4\)/);
    spec.given([created, v4Added]).when({ type: 'AddSubnetToNetwork', data: { networkId: NET, subnetId: 's4', ipVersion: 4, cidr: '10.0.0.0/24' } }).thenNothing();
  });

  it('given a network with MTU 1200, when an IPv6 subnet is added, then InvalidInput', () => {
    const small: NetworkEvent = { type: 'NetworkUpdated', data: { networkId: NET, changes: { mtu: 1200 }, updatedAt: NOW } };
    spec.given([created, small]).when({ type: 'AddSubnetToNetwork', data: { networkId: NET, subnetId: 's6', ipVersion: 6, cidr: '2001:db8::/64' } }).thenThrows(InvalidNetworkInputError, /at least 1280/);
  });

  it('given no network, when a subnet is added, then NetworkNotFound', () => {
    spec.given([]).when({ type: 'AddSubnetToNetwork', data: { networkId: NET, subnetId: 's4', ipVersion: 4, cidr: '10.0.0.0/24' } }).thenThrows(NetworkNotFoundError);
  });

  it('given a subnet, when removed, then NetworkSubnetRemoved; removing it again is nothing', () => {
    const removed: NetworkEvent = { type: 'NetworkSubnetRemoved', data: { networkId: NET, subnetId: 's4' } };
    spec.given([created, v4Added]).when({ type: 'RemoveSubnetFromNetwork', data: { networkId: NET, subnetId: 's4' } }).then([removed]);
    spec.given([created, v4Added, removed]).when({ type: 'RemoveSubnetFromNetwork', data: { networkId: NET, subnetId: 's4' } }).thenNothing();
  });
});

describe('Network decider: MAC registry (unique per network)', () => {
  it('given a network, when a port reserves a MAC in upper case with dashes, then MacReserved in canonical form', () => {
    spec.given([created]).when({ type: 'ReserveMac', data: { networkId: NET, portId: 'port-a', projectId: 'p1', macAddress: 'FA-16-3E-00-00-01' } }).then([macReserved('fa:16:3e:00:00:01')]);
  });

  it('given a MAC held by a port, when another port reserves it, then MacAddressInUse (409); the same port again is nothing', () => {
    const reserve = (portId: string) => ({ type: 'ReserveMac' as const, data: { networkId: NET, portId, projectId: 'p1', macAddress: 'fa:16:3e:00:00:01' } });
    spec.given([created, macReserved('fa:16:3e:00:00:01')]).when(reserve('port-b')).thenThrows(MacAddressInUseError, `Unable to complete operation for network ${NET}. The mac address fa:16:3e:00:00:01 is in use.`);
    spec.given([created, macReserved('fa:16:3e:00:00:01')]).when(reserve('port-a')).thenNothing();
  });

  it.each(['fa:16:3e:00:00', 'zz:16:3e:00:00:01', '01:00:5e:00:00:01', '00:00:00:00:00:00', 'fa:16:3e-00-00-01'])('given a network, when %s is reserved, then InvalidMacAddress (400)', (mac) => {
    spec.given([created]).when({ type: 'ReserveMac', data: { networkId: NET, portId: 'port-a', projectId: 'p1', macAddress: mac } }).thenThrows(InvalidMacAddressError);
  });

  it('given a MAC held by a port, when released by it, then MacReleased; by another port, or again, nothing', () => {
    const release = (portId: string) => ({ type: 'ReleaseMac' as const, data: { networkId: NET, portId, macAddress: 'fa:16:3e:00:00:01' } });
    const released: NetworkEvent = { type: 'MacReleased', data: { networkId: NET, macAddress: 'fa:16:3e:00:00:01', portId: 'port-a' } };
    spec.given([created, macReserved('fa:16:3e:00:00:01')]).when(release('port-a')).then([released]);
    spec.given([created, macReserved('fa:16:3e:00:00:01')]).when(release('port-b')).thenNothing();
    spec.given([created, macReserved('fa:16:3e:00:00:01'), released]).when(release('port-a')).thenNothing();
  });

  it('generates MACs under fa:16:3e (locally administered, unicast) from the bytes the handler draws', () => {
    expect(generatedMac([0, 0xab, 0x5])).toBe('fa:16:3e:00:ab:05');
    expect(canonicalMac(generatedMac([255, 255, 255]))).toBe('fa:16:3e:ff:ff:ff');
  });
});

describe('Network decider: delete', () => {
  const del = { type: 'DeleteNetwork' as const, data: { networkId: NET } };

  it('given a network with nothing on it, when deleted, then NetworkDeleted', () => {
    spec.given([created]).when(del).then([deleted]);
  });

  it('given a port holds a MAC on it, when deleted, then NetworkInUse (409)', () => {
    spec.given([created, macReserved('fa:16:3e:00:00:01')]).when(del).thenThrows(NetworkInUseError, `Unable to complete operation on network ${NET}. There are one or more ports still in use on the network.`);
  });

  it('given a subnet remains, when deleted, then NetworkHasSubnets (409)', () => {
    spec.given([created, v4Added]).when(del).thenThrows(NetworkHasSubnetsError, /subnets still on the network: s4/);
  });

  it('given a deleted network, when a MAC is reserved or it is deleted again, then NetworkNotFound (a port create racing a delete loses cleanly)', () => {
    spec.given([created, deleted]).when({ type: 'ReserveMac', data: { networkId: NET, portId: 'port-a', projectId: 'p1', macAddress: 'fa:16:3e:00:00:01' } }).thenThrows(NetworkNotFoundError);
    spec.given([created, deleted]).when(del).thenThrows(NetworkNotFoundError);
  });
});

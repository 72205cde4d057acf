import type { CreateSubnetData } from '../../../src/domain/subnet/subnet.commands.js';
import type { SubnetEvent } from '../../../src/domain/subnet/subnet.events.js';

export const NOW = '2026-11-22T10:00:00.000Z';
export const SUBNET_ID = 'a1b2c3d4-0000-4000-8000-000000000001';
export const NETWORK_ID = 'a1b2c3d4-0000-4000-8000-0000000000aa';
export const PORT_A = 'port-a';
export const PORT_B = 'port-b';

export const createV4: CreateSubnetData = {
  subnetId: SUBNET_ID,
  networkId: NETWORK_ID,
  projectId: 'p1',
  name: 'edge-v4',
  ipVersion: 4,
  cidr: '10.0.0.0/24',
};

export const createV6: CreateSubnetData = { ...createV4, name: 'edge-v6', ipVersion: 6, cidr: '2001:db8::/64' };

/** The SubnetCreated a default 10.0.0.0/24 makes: gateway .1, one pool .2 to .254. */
export const createdV4: SubnetEvent = {
  type: 'SubnetCreated',
  data: {
    subnetId: SUBNET_ID,
    networkId: NETWORK_ID,
    projectId: 'p1',
    name: 'edge-v4',
    description: '',
    ipVersion: 4,
    cidr: '10.0.0.0/24',
    gatewayIp: '10.0.0.1',
    allocationPools: [{ start: '10.0.0.2', end: '10.0.0.254' }],
    excludedRanges: [],
    dnsNameservers: [],
    enableDhcp: true,
    createdAt: NOW,
  },
};

export const allocated = (ipAddress: string, portId = PORT_A, method: 'pool' | 'requested' = 'requested'): SubnetEvent => ({
  type: 'IpAllocated',
  data: { subnetId: SUBNET_ID, ipAddress, portId, method },
});

export const released = (ipAddress: string, portId = PORT_A): SubnetEvent => ({
  type: 'IpReleased',
  data: { subnetId: SUBNET_ID, ipAddress, portId },
});

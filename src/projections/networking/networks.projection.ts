import { StreamRowProjection } from '../stream-row-projection.js';
import { evolveNetworkView, NETWORK_COLUMNS, NETWORK_STREAM_PREFIX, networkToRow, rowToNetwork, type NetworkRow, type NetworkView } from './network-view.js';
import { evolvePortView, PORT_COLUMNS, PORT_STREAM_PREFIX, portToRow, rowToPort, type PortRow, type PortView } from './port-view.js';
import { evolveSubnetView, rowToSubnet, SUBNET_COLUMNS, SUBNET_STREAM_PREFIX, subnetToRow, type SubnetRow, type SubnetView } from './subnet-view.js';

/** Neutron's networks: one row per network stream. */
export class NetworksProjection extends StreamRowProjection<NetworkView, NetworkRow> {
  constructor() {
    super({ name: 'networks', table: 'networks', streamPrefix: NETWORK_STREAM_PREFIX, columns: NETWORK_COLUMNS, toRow: networkToRow, fromRow: rowToNetwork, evolve: evolveNetworkView });
  }
}

/** Neutron's subnets with their used/total address counts: a batch of allocations writes the row once. */
export class SubnetsProjection extends StreamRowProjection<SubnetView, SubnetRow> {
  constructor() {
    super({ name: 'subnets', table: 'subnets', streamPrefix: SUBNET_STREAM_PREFIX, columns: SUBNET_COLUMNS, toRow: subnetToRow, fromRow: rowToSubnet, evolve: evolveSubnetView });
  }
}

/** Neutron's ports (the NicPorts). */
export class PortsProjection extends StreamRowProjection<PortView, PortRow> {
  constructor() {
    super({ name: 'ports', table: 'ports', streamPrefix: PORT_STREAM_PREFIX, columns: PORT_COLUMNS, toRow: portToRow, fromRow: rowToPort, evolve: evolvePortView });
  }
}

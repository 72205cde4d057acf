import { parseIpAddress } from '../ip/ip-address.js';
import { toNumeric, rangeContains, type ParsedRange } from '../ip/ip-range.js';
import type { DecisionContext, Decider } from '../shared/decider.js';
import { checkRequestedAddress, nextFreeAddress } from './ip-allocation.js';
import type { SubnetCommand, UpdateSubnetData } from './subnet.commands.js';
import {
  assertGatewayOutsidePools,
  checkDescription,
  checkExcluded,
  checkGateway,
  checkName,
  checkNameservers,
  checkPools,
  defineSubnet,
} from './subnet-definition.js';
import { ExcludedIpInUseError, GatewayIpInUseError, IpAddressGenerationFailureError, SubnetExistsError, SubnetInUseError, SubnetNotFoundError } from './subnet.errors.js';
import type { SubnetChanges, SubnetEvent } from './subnet.events.js';
import { layoutOf } from './subnet-layout.js';
import { subnetSnapshots } from './subnet-snapshot-support.js';
import { addressesHeldBy, emptyAllocations, type Subnet, type SubnetState } from './subnet.state.js';

export function decide(command: SubnetCommand, state: SubnetState, context: DecisionContext): SubnetEvent[] {
  switch (command.type) {
    case 'CreateSubnet':
      // A deleted subnet's id stays taken: ports' history and the audit trail still name it.
      if (state) throw new SubnetExistsError(command.data.subnetId);
      return [{ type: 'SubnetCreated', data: { ...defineSubnet(command.data), createdAt: context.now } }];
    case 'UpdateSubnet': {
      const subnet = existing(state, command.data.subnetId);
      const changes = changesOf(subnet, command.data);
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'SubnetUpdated', data: { subnetId: subnet.definition.subnetId, changes, updatedAt: context.now } }];
    }
    case 'AllocateIp': {
      const subnet = existing(state, command.data.subnetId);
      const { subnetId, portId, ipAddress } = command.data;
      if (ipAddress !== null) {
        const ip = checkRequestedAddress(subnet, ipAddress, portId);
        if (subnet.allocations.holderOf(ip.text) === portId) return [];
        return [{ type: 'IpAllocated', data: { subnetId, ipAddress: ip.text, portId, method: 'requested' } }];
      }
      if (addressesHeldBy(subnet, portId).length > 0) return [];
      const next = nextFreeAddress(subnet);
      if (next === null) throw new IpAddressGenerationFailureError(subnet.definition.networkId, subnetId);
      return [{ type: 'IpAllocated', data: { subnetId, ipAddress: next, portId, method: 'pool' } }];
    }
    case 'ReleaseIp': {
      const subnet = existing(state, command.data.subnetId);
      const { subnetId, portId } = command.data;
      const ip = parseIpAddress(command.data.ipAddress);
      if (!ip || subnet.allocations.holderOf(ip.text) !== portId) return [];
      return [{ type: 'IpReleased', data: { subnetId, ipAddress: ip.text, portId } }];
    }
    case 'DeleteSubnet': {
      const subnet = existing(state, command.data.subnetId);
      if (subnet.allocations.size > 0) throw new SubnetInUseError(subnet.definition.subnetId);
      return [{ type: 'SubnetDeleted', data: { subnetId: subnet.definition.subnetId, networkId: subnet.definition.networkId, deletedAt: context.now } }];
    }
    default: {
      const exhaustive: never = command;
      throw new Error(`Unknown command ${(exhaustive as { type: string }).type}`);
    }
  }
}

export function evolve(state: SubnetState, event: SubnetEvent): SubnetState {
  switch (event.type) {
    case 'SubnetCreated': {
      const { createdAt, ...definition } = event.data;
      return { definition, layout: layoutOf(definition), ...emptyAllocations(), cursor: null, createdAt, updatedAt: createdAt, deleted: false };
    }
    case 'SubnetUpdated': {
      if (!state) return state;
      const definition = { ...state.definition, ...event.data.changes };
      return { ...state, definition, layout: layoutOf(definition), updatedAt: event.data.updatedAt };
    }
    case 'IpAllocated': {
      if (!state) return state;
      const { ipAddress, portId, method } = event.data;
      const held = addressesHeldBy(state, portId);
      return {
        ...state,
        allocations: state.allocations.with(ipAddress, portId),
        byPort: held.includes(ipAddress) ? state.byPort : state.byPort.set(portId, [...held, ipAddress]),
        cursor: method === 'pool' ? ipAddress : state.cursor,
      };
    }
    case 'IpReleased': {
      if (!state) return state;
      const { ipAddress, portId } = event.data;
      const held = addressesHeldBy(state, portId).filter((a) => a !== ipAddress);
      return {
        ...state,
        allocations: state.allocations.without(ipAddress),
        byPort: held.length ? state.byPort.set(portId, held) : state.byPort.delete(portId),
      };
    }
    case 'SubnetDeleted':
      return state && { ...state, deleted: true, updatedAt: event.data.deletedAt };
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

export const initialState = (): SubnetState => null;

export const subnetDecider: Decider<SubnetCommand, SubnetEvent, SubnetState> = { decide, evolve, initialState, snapshots: subnetSnapshots };

function existing(state: SubnetState, subnetId: string): Subnet {
  if (!state || state.deleted) throw new SubnetNotFoundError(subnetId);
  return state;
}

/** The fields an update really changes, each validated against the subnet as it will be. */
function changesOf(subnet: Subnet, update: UpdateSubnetData): SubnetChanges {
  const current = subnet.definition;
  const cidr = subnet.layout.cidr;
  const changes: SubnetChanges = {};
  if (update.name !== undefined && checkName(update.name) !== current.name) changes.name = update.name;
  if (update.description !== undefined && checkDescription(update.description) !== current.description) changes.description = update.description;
  if (update.enableDhcp !== undefined && update.enableDhcp !== current.enableDhcp) changes.enableDhcp = update.enableDhcp;
  if (update.dnsNameservers !== undefined) {
    const servers = checkNameservers(update.dnsNameservers);
    if (JSON.stringify(servers) !== JSON.stringify(current.dnsNameservers)) changes.dnsNameservers = servers;
  }
  if (update.gatewayIp !== undefined) {
    const gateway = checkGateway(update.gatewayIp, cidr);
    const holder = gateway === null ? undefined : subnet.allocations.holderOf(gateway);
    if (holder !== undefined) throw new GatewayIpInUseError(gateway!, holder);
    if (gateway !== current.gatewayIp) changes.gatewayIp = gateway;
  }
  let pools: ParsedRange[] | null = null;
  if (update.allocationPools !== undefined) {
    pools = checkPools(update.allocationPools, cidr);
    const ranges = pools.map((p) => p.range);
    if (JSON.stringify(ranges) !== JSON.stringify(current.allocationPools)) changes.allocationPools = ranges;
  }
  if (changes.gatewayIp !== undefined || changes.allocationPools !== undefined) {
    const effectivePools = pools ?? checkPools(current.allocationPools, cidr);
    assertGatewayOutsidePools(changes.gatewayIp !== undefined ? changes.gatewayIp : current.gatewayIp, effectivePools);
  }
  if (update.excludedIps !== undefined) {
    const excluded = checkExcluded(update.excludedIps, cidr);
    const numeric = excluded.map(toNumeric);
    for (const [address, portId] of subnet.allocations.entries()) {
      const value = parseIpAddress(address)!.value;
      if (numeric.some((r) => rangeContains(r, value))) throw new ExcludedIpInUseError(address, portId);
    }
    if (JSON.stringify(excluded) !== JSON.stringify(current.excludedRanges)) changes.excludedRanges = excluded;
  }
  return changes;
}

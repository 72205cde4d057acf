import { canonicalMac } from '../ip/mac-address.js';
import type { DecisionContext, Decider } from '../shared/decider.js';
import { PersistentMap } from '../shared/persistent-map.js';
import type { CreateNetworkData, NetworkCommand } from './network.commands.js';
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
} from './network.errors.js';
import type { NetworkChanges, NetworkDefinition, NetworkEvent } from './network.events.js';
import { DEFAULT_MTU, MAX_MTU, MIN_MTU, MIN_MTU_IPV6 } from './network-mtu.js';
import type { Network, NetworkState } from './network.state.js';

export function decide(command: NetworkCommand, state: NetworkState, context: DecisionContext): NetworkEvent[] {
  switch (command.type) {
    case 'CreateNetwork':
      if (state) throw new NetworkExistsError(command.data.networkId);
      return [{ type: 'NetworkCreated', data: { ...defineNetwork(command.data), createdAt: context.now } }];
    case 'UpdateNetwork': {
      const network = existing(state, command.data.networkId);
      const { networkId: _id, ...update } = command.data;
      const changes = changesOf(network, update);
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'NetworkUpdated', data: { networkId: network.networkId, changes, updatedAt: context.now } }];
    }
    case 'AddSubnetToNetwork': {
      const network = existing(state, command.data.networkId);
      const { subnetId, ipVersion, cidr } = command.data;
      if (network.subnets.some((s) => s.subnetId === subnetId)) return [];
      if (ipVersion !== 4 && ipVersion !== 6) throw new InvalidNetworkInputError(`ip_version ${ipVersion} is not 4 or 6.`);
      const sameFamily = network.subnets.find((s) => s.ipVersion === ipVersion);
      if (sameFamily) throw new SubnetVersionTakenError(network.networkId, ipVersion, sameFamily.subnetId);
      if (ipVersion === 6 && network.mtu < MIN_MTU_IPV6) {
        throw new InvalidNetworkInputError(`IPv6 subnets need a network MTU of at least ${MIN_MTU_IPV6}; network ${network.networkId} has ${network.mtu}.`);
      }
      return [{ type: 'NetworkSubnetAdded', data: { networkId: network.networkId, subnet: { subnetId, ipVersion, cidr } } }];
    }
    case 'RemoveSubnetFromNetwork': {
      // Also after the network was deleted? It cannot be: deletion is refused while subnets remain.
      const network = existing(state, command.data.networkId);
      if (!network.subnets.some((s) => s.subnetId === command.data.subnetId)) return [];
      return [{ type: 'NetworkSubnetRemoved', data: { networkId: network.networkId, subnetId: command.data.subnetId } }];
    }
    case 'ReserveMac': {
      const network = existing(state, command.data.networkId);
      const { portId, projectId } = command.data;
      const macAddress = canonicalMac(command.data.macAddress);
      if (!macAddress) throw new InvalidMacAddressError(command.data.macAddress);
      const holder = network.macs.get(macAddress);
      if (holder?.portId === portId) return [];
      if (holder) throw new MacAddressInUseError(network.networkId, macAddress);
      return [{ type: 'MacReserved', data: { networkId: network.networkId, macAddress, portId, projectId } }];
    }
    case 'ReleaseMac': {
      const network = existing(state, command.data.networkId);
      const macAddress = canonicalMac(command.data.macAddress);
      if (!macAddress || network.macs.get(macAddress)?.portId !== command.data.portId) return [];
      return [{ type: 'MacReleased', data: { networkId: network.networkId, macAddress, portId: command.data.portId } }];
    }
    case 'DeleteNetwork': {
      const network = existing(state, command.data.networkId);
      if (network.macs.size > 0) throw new NetworkInUseError(network.networkId);
      if (network.subnets.length > 0) throw new NetworkHasSubnetsError(network.networkId, network.subnets.map((s) => s.subnetId));
      return [{ type: 'NetworkDeleted', data: { networkId: network.networkId, deletedAt: context.now } }];
    }
    default: {
      const exhaustive: never = command;
      throw new Error(`Unknown command ${(exhaustive as { type: string }).type}`);
    }
  }
}

export function evolve(state: NetworkState, event: NetworkEvent): NetworkState {
  switch (event.type) {
    case 'NetworkCreated': {
      const { createdAt, ...definition } = event.data;
      return { ...definition, subnets: [], macs: PersistentMap.empty(), createdAt, updatedAt: createdAt, deleted: false };
    }
    case 'NetworkUpdated':
      return state && { ...state, ...event.data.changes, updatedAt: event.data.updatedAt };
    case 'NetworkSubnetAdded':
      return state && { ...state, subnets: [...state.subnets, event.data.subnet] };
    case 'NetworkSubnetRemoved':
      return state && { ...state, subnets: state.subnets.filter((s) => s.subnetId !== event.data.subnetId) };
    case 'MacReserved':
      return state && { ...state, macs: state.macs.set(event.data.macAddress, { portId: event.data.portId, projectId: event.data.projectId }) };
    case 'MacReleased':
      return state && { ...state, macs: state.macs.delete(event.data.macAddress) };
    case 'NetworkDeleted':
      return state && { ...state, deleted: true, updatedAt: event.data.deletedAt };
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

export const initialState = (): NetworkState => null;

export const networkDecider: Decider<NetworkCommand, NetworkEvent, NetworkState> = { decide, evolve, initialState };

function existing(state: NetworkState, networkId: string): Network {
  if (!state || state.deleted) throw new NetworkNotFoundError(networkId);
  return state;
}

function defineNetwork(input: CreateNetworkData): NetworkDefinition {
  const network: NetworkDefinition = {
    networkId: input.networkId,
    projectId: input.projectId,
    name: input.name,
    description: input.description ?? '',
    shared: input.shared ?? false,
    external: input.external ?? false,
    mtu: input.mtu ?? DEFAULT_MTU,
    adminStateUp: input.adminStateUp ?? true,
  };
  checkText('name', network.name);
  checkText('description', network.description);
  checkFlags(network);
  checkMtu(network.mtu, MIN_MTU);
  return network;
}

function changesOf(network: Network, update: NetworkChanges): NetworkChanges {
  if (update.name !== undefined) checkText('name', update.name);
  if (update.description !== undefined) checkText('description', update.description);
  checkFlags(update);
  if (update.mtu !== undefined) checkMtu(update.mtu, network.subnets.some((s) => s.ipVersion === 6) ? MIN_MTU_IPV6 : MIN_MTU);
  if (update.shared === false && network.shared && [...network.macs.entries()].some(([, p]) => p.projectId !== network.projectId)) {
    throw new InvalidSharedSettingError(network.networkId);
  }
  return Object.fromEntries(
    Object.entries(update).filter(([key, value]) => value !== undefined && network[key as keyof NetworkChanges] !== value),
  ) as NetworkChanges;
}

function checkText(field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length > 255) throw new InvalidNetworkInputError(`${field} must be a string of at most 255 characters.`);
}

function checkFlags(flags: Partial<Pick<NetworkDefinition, 'shared' | 'external' | 'adminStateUp'>>): void {
  for (const [field, value] of Object.entries({ shared: flags.shared, 'router:external': flags.external, admin_state_up: flags.adminStateUp })) {
    if (value !== undefined && typeof value !== 'boolean') throw new InvalidNetworkInputError(`${field} must be true or false.`);
  }
}

function checkMtu(mtu: number, min: number): void {
  if (!Number.isInteger(mtu) || mtu < min || mtu > MAX_MTU) {
    throw new InvalidNetworkInputError(`mtu ${String(mtu)} must be a whole number from ${min} to ${MAX_MTU}.`);
  }
}

import type { DecisionContext, Decider } from '../shared/decider.js';
import type { PortCommand } from './port.commands.js';
import { assertSecurityConsistent, checkFlag, checkSecurityGroups, checkText, checkVnicType, definePort } from './port-definition.js';
import { InvalidPortInputError, PortBoundError, PortExistsError, PortInUseError, PortNotFoundError, PortPhaseConflictError } from './port.errors.js';
import type { PortChanges, PortEvent } from './port.events.js';
import { isAttached, type Port, type PortState } from './port.state.js';

export function decide(command: PortCommand, state: PortState, context: DecisionContext): PortEvent[] {
  const now = context.now;
  switch (command.type) {
    case 'CreatePort':
      if (state) throw new PortExistsError(command.data.portId);
      return [{ type: 'PortCreated', data: { ...definePort(command.data), createdAt: now } }];
    case 'UpdatePort': {
      const port = existing(state, command.data.portId);
      const changes = changesOf(port, command.data);
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'PortUpdated', data: { portId: port.portId, changes, updatedAt: now } }];
    }
    case 'RequestPortBinding': {
      const port = existing(state, command.data.portId);
      const { deviceId, deviceOwner, hostId } = command.data;
      if (typeof deviceId !== 'string' || !deviceId) throw new InvalidPortInputError('binding a port needs a device_id.');
      checkText('device_owner', deviceOwner);
      if (isAttached(port)) {
        if (port.deviceId !== deviceId) throw new PortInUseError(port.portId, port.networkId, port.deviceId);
        if (port.phase === 'unbinding') throw new PortPhaseConflictError('bind', port.portId, port.phase);
        return [];
      }
      return [{ type: 'PortBindingRequested', data: { portId: port.portId, deviceId, deviceOwner, hostId, requestedAt: now } }];
    }
    case 'ConfirmPortBinding': {
      const port = existing(state, command.data.portId);
      if (port.phase === 'bound' && port.deviceId === command.data.deviceId) return [];
      if (port.phase !== 'binding' || port.deviceId !== command.data.deviceId) throw new PortPhaseConflictError('confirm binding', port.portId, port.phase);
      return [{ type: 'PortBound', data: { portId: port.portId, deviceId: port.deviceId, hostId: command.data.hostId ?? port.hostId, boundAt: now } }];
    }
    case 'FailPortBinding': {
      const port = existing(state, command.data.portId);
      if (port.phase === 'created' || port.phase === 'unbound') return [];
      if (port.phase !== 'binding' || port.deviceId !== command.data.deviceId) throw new PortPhaseConflictError('fail binding', port.portId, port.phase);
      return [{ type: 'PortBindingFailed', data: { portId: port.portId, deviceId: port.deviceId, reason: command.data.reason, failedAt: now } }];
    }
    case 'RequestPortUnbinding': {
      const port = existing(state, command.data.portId);
      if (port.phase === 'created' || port.phase === 'unbound' || port.phase === 'unbinding') return [];
      if (port.phase === 'binding') throw new PortPhaseConflictError('unbind', port.portId, port.phase);
      return [{ type: 'PortUnbindingRequested', data: { portId: port.portId, deviceId: port.deviceId, requestedAt: now } }];
    }
    case 'ConfirmPortUnbinding': {
      const port = existing(state, command.data.portId);
      if (port.phase === 'created' || port.phase === 'unbound') return [];
      if (port.phase !== 'unbinding') throw new PortPhaseConflictError('confirm unbinding', port.portId, port.phase);
      return [{ type: 'PortUnbound', data: { portId: port.portId, deviceId: port.deviceId, unboundAt: now } }];
    }
    case 'MovePortBinding': {
      const port = existing(state, command.data.portId);
      if (port.phase !== 'bound') throw new PortPhaseConflictError('move binding', port.portId, port.phase);
      if (port.hostId === command.data.hostId) return [];
      return [{ type: 'PortBindingHostChanged', data: { portId: port.portId, hostId: command.data.hostId, previousHostId: port.hostId } }];
    }
    case 'DeletePort': {
      const port = existing(state, command.data.portId);
      if (isAttached(port)) throw new PortBoundError(port.portId, port.deviceId, port.phase);
      const { portId, networkId, macAddress, fixedIps } = port;
      return [{ type: 'PortDeleted', data: { portId, networkId, macAddress, fixedIps, deletedAt: now } }];
    }
    default: {
      const exhaustive: never = command;
      throw new Error(`Unknown command ${(exhaustive as { type: string }).type}`);
    }
  }
}

export function evolve(state: PortState, event: PortEvent): PortState {
  switch (event.type) {
    case 'PortCreated': {
      const { createdAt, ...definition } = event.data;
      return { ...definition, phase: 'created', deviceId: '', hostId: null, createdAt, updatedAt: createdAt, deleted: false };
    }
    case 'PortUpdated':
      return state && { ...state, ...event.data.changes, updatedAt: event.data.updatedAt };
    case 'PortBindingRequested': {
      const { deviceId, deviceOwner, hostId, requestedAt } = event.data;
      return state && { ...state, phase: 'binding', deviceId, deviceOwner, hostId, updatedAt: requestedAt };
    }
    case 'PortBound':
      return state && { ...state, phase: 'bound', hostId: event.data.hostId, updatedAt: event.data.boundAt };
    case 'PortBindingFailed':
      return state && { ...state, phase: 'unbound', deviceId: '', hostId: null, updatedAt: event.data.failedAt };
    case 'PortUnbindingRequested':
      return state && { ...state, phase: 'unbinding', updatedAt: event.data.requestedAt };
    case 'PortUnbound':
      return state && { ...state, phase: 'unbound', deviceId: '', hostId: null, updatedAt: event.data.unboundAt };
    case 'PortBindingHostChanged':
      return state && { ...state, hostId: event.data.hostId };
    case 'PortDeleted':
      return state && { ...state, deleted: true, updatedAt: event.data.deletedAt };
    default: {
      const exhaustive: never = event;
      return exhaustive;
    }
  }
}

export const initialState = (): PortState => null;

export const portDecider: Decider<PortCommand, PortEvent, PortState> = { decide, evolve, initialState };

function existing(state: PortState, portId: string): Port {
  if (!state || state.deleted) throw new PortNotFoundError(portId);
  return state;
}

function changesOf(port: Port, update: Extract<PortCommand, { type: 'UpdatePort' }>['data']): PortChanges {
  const changes: PortChanges = {};
  if (update.name !== undefined && checkText('name', update.name) !== port.name) changes.name = update.name;
  if (update.description !== undefined && checkText('description', update.description) !== port.description) changes.description = update.description;
  if (update.adminStateUp !== undefined && checkFlag('admin_state_up', update.adminStateUp) !== port.adminStateUp) changes.adminStateUp = update.adminStateUp;
  if (update.portSecurityEnabled !== undefined && checkFlag('port_security_enabled', update.portSecurityEnabled) !== port.portSecurityEnabled) {
    changes.portSecurityEnabled = update.portSecurityEnabled;
  }
  if (update.securityGroups !== undefined) {
    const groups = checkSecurityGroups(update.securityGroups);
    if (JSON.stringify(groups) !== JSON.stringify(port.securityGroups)) changes.securityGroups = groups;
  }
  if (update.vnicType !== undefined) {
    const vnicType = checkVnicType(update.vnicType);
    if (vnicType !== port.vnicType) {
      // The cluster's interface binding is chosen when the NIC is plugged; it cannot change under a VM.
      if (isAttached(port)) throw new PortPhaseConflictError('update binding:vnic_type of', port.portId, port.phase);
      changes.vnicType = vnicType;
    }
  }
  assertSecurityConsistent(changes.portSecurityEnabled ?? port.portSecurityEnabled, changes.securityGroups ?? port.securityGroups);
  return changes;
}

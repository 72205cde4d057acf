import { InvalidMacAddressError } from '../../../src/domain/network/network.errors.js';
import type { CreatePortData } from '../../../src/domain/port/port.commands.js';
import { portDecider } from '../../../src/domain/port/port.decider.js';
import {
  InvalidPortInputError,
  InvalidVnicTypeError,
  PortBoundError,
  PortExistsError,
  PortInUseError,
  PortNotFoundError,
  PortPhaseConflictError,
  PortSecurityHasSecurityGroupsError,
} from '../../../src/domain/port/port.errors.js';
import type { FixedIp, PortEvent } from '../../../src/domain/port/port.events.js';
import { portStatus, vifType } from '../../../src/domain/port/port.state.js';
import { deciderSpec } from '../../support/decider-spec.js';

const NOW = '2026-11-22T10:00:00.000Z';
const PORT = 'port-1';
const VM = 'vm-1';
const spec = deciderSpec(portDecider, { now: NOW });

const create: CreatePortData = {
  portId: PORT,
  networkId: 'net-1',
  projectId: 'p1',
  macAddress: 'FA:16:3E:01:02:03',
  fixedIps: [
    { subnetId: 's4', ipAddress: '10.0.0.5' },
    { subnetId: 's6', ipAddress: '2001:DB8::5' },
  ],
};
const created: PortEvent = {
  type: 'PortCreated',
  data: {
    portId: PORT,
    networkId: 'net-1',
    projectId: 'p1',
    name: '',
    description: '',
    adminStateUp: true,
    macAddress: 'fa:16:3e:01:02:03',
    fixedIps: [
      { subnetId: 's4', ipAddress: '10.0.0.5' },
      { subnetId: 's6', ipAddress: '2001:db8::5' },
    ],
    vnicType: 'normal',
    deviceOwner: '',
    portSecurityEnabled: true,
    securityGroups: [],
    createdAt: NOW,
  },
};
const bindingRequested: PortEvent = { type: 'PortBindingRequested', data: { portId: PORT, deviceId: VM, deviceOwner: 'compute:nova', hostId: 'node-1', requestedAt: NOW } };
const bound: PortEvent = { type: 'PortBound', data: { portId: PORT, deviceId: VM, hostId: 'node-1', boundAt: NOW } };
const unbindingRequested: PortEvent = { type: 'PortUnbindingRequested', data: { portId: PORT, deviceId: VM, requestedAt: NOW } };
const unbound: PortEvent = { type: 'PortUnbound', data: { portId: PORT, deviceId: VM, unboundAt: NOW } };
const deleted: PortEvent = { type: 'PortDeleted', data: { portId: PORT, networkId: 'net-1', macAddress: 'fa:16:3e:01:02:03', fixedIps: (created.data as { fixedIps: FixedIp[] }).fixedIps, deletedAt: NOW } };

const bind = (deviceId = VM) => ({ type: 'RequestPortBinding' as const, data: { portId: PORT, deviceId, deviceOwner: 'compute:nova', hostId: 'node-1' } });
const confirm = (deviceId = VM) => ({ type: 'ConfirmPortBinding' as const, data: { portId: PORT, deviceId, hostId: 'node-1' } });
const unbind = { type: 'RequestPortUnbinding' as const, data: { portId: PORT } };
const confirmUnbind = { type: 'ConfirmPortUnbinding' as const, data: { portId: PORT } };
const del = { type: 'DeletePort' as const, data: { portId: PORT } };

describe('Port decider: create', () => {
  it('given no port, when created dual stack with a MAC, then PortCreated in phase created (addressed, unbound), canonical MAC and IPs', () => {
    spec.given([]).when({ type: 'CreatePort', data: create }).then([created]);
    spec.given([]).when({ type: 'CreatePort', data: create }).thenState((port) => {
      expect(port!.phase).toBe('created');
      expect(portStatus(port!)).toBe('DOWN');
      expect(vifType(port!)).toBe('unbound');
    });
  });

  it.each(['macvtap', 'direct', 'vhostuser'])('given no port, when created with vnic_type %s, then it is passed through', (vnicType) => {
    spec.given([]).when({ type: 'CreatePort', data: { ...create, vnicType } }).thenState((port) => expect(port!.vnicType).toBe(vnicType));
  });

  it('given a port (even deleted), when its id is created again, then PortExists', () => {
    spec.given([created]).when({ type: 'CreatePort', data: create }).thenThrows(PortExistsError);
    spec.given([created, deleted]).when({ type: 'CreatePort', data: create }).thenThrows(PortExistsError);
  });

  it.each([
    ['two IPv4 addresses', { fixedIps: [{ subnetId: 's4', ipAddress: '10.0.0.5' }, { subnetId: 's4b', ipAddress: '10.1.0.5' }] }, /one fixed IP per IP family/],
    ['one subnet twice', { fixedIps: [{ subnetId: 's4', ipAddress: '10.0.0.5' }, { subnetId: 's4', ipAddress: '2001:db8::5' }] }, /one fixed IP per subnet/],
    ['a malformed fixed IP', { fixedIps: [{ subnetId: 's4', ipAddress: '10.0.0' }] }, /not a valid IP address/],
    ['a fixed IP without subnet', { fixedIps: [{ subnetId: '', ipAddress: '10.0.0.5' }] }, /names no subnet/],
    ['a name of 256 characters', { name: 'x'.repeat(256) }, /name/],
    ['admin_state_up as a string', { adminStateUp: 'up' as unknown as boolean }, /admin_state_up must be true or false/],
    ['a security group that is no id', { securityGroups: [''] }, /security_groups/],
  ])('given no port, when created with %s, then InvalidInput (400)', (_why, change, message) => {
    spec.given([]).when({ type: 'CreatePort', data: { ...create, ...change } }).thenThrows(InvalidPortInputError, message);
  });

  it('given no port, when created with a multicast MAC, then InvalidMacAddress (400)', () => {
    spec.given([]).when({ type: 'CreatePort', data: { ...create, macAddress: '01:00:5e:00:00:01' } }).thenThrows(InvalidMacAddressError);
  });

  it('given no port, when created with vnic_type baremetal, then InvalidVnicType listing the accepted ones', () => {
    spec
      .given([])
      .when({ type: 'CreatePort', data: { ...create, vnicType: 'baremetal' } })
      .thenThrows(InvalidVnicTypeError, "Invalid input for binding:vnic_type. Reason: 'baremetal' is not in ['normal', 'macvtap', 'direct', 'vhostuser'].");
  });

  it('given no port, when created with port security off and a security group, then PortSecurityPortHasSecurityGroup (409)', () => {
    spec.given([]).when({ type: 'CreatePort', data: { ...create, portSecurityEnabled: false, securityGroups: ['sg-1'] } }).thenThrows(PortSecurityHasSecurityGroupsError);
  });
});

describe('Port decider: update', () => {
  const update = (data: object) => ({ type: 'UpdatePort' as const, data: { portId: PORT, ...data } });

  it('given a port, when name, admin state and security groups change, then PortUpdated with only what changed', () => {
    spec
      .given([created])
      .when(update({ name: 'nic0', adminStateUp: true, securityGroups: ['sg-1', 'sg-1'] }))
      .then([{ type: 'PortUpdated', data: { portId: PORT, changes: { name: 'nic0', securityGroups: ['sg-1'] }, updatedAt: NOW } }]);
  });

  it('given a port, when nothing changes, then nothing', () => {
    spec.given([created]).when(update({ name: '', vnicType: 'normal' })).thenNothing();
  });

  it('given a port with a security group, when port security is turned off, then PortSecurityPortHasSecurityGroup; off with the groups removed is fine', () => {
    const withGroup: PortEvent = { type: 'PortUpdated', data: { portId: PORT, changes: { securityGroups: ['sg-1'] }, updatedAt: NOW } };
    spec.given([created, withGroup]).when(update({ portSecurityEnabled: false })).thenThrows(PortSecurityHasSecurityGroupsError);
    spec.given([created, withGroup]).when(update({ portSecurityEnabled: false, securityGroups: [] })).thenState((p) => expect(p!.portSecurityEnabled).toBe(false));
  });

  it('given an unbound port, when its vnic_type changes, then PortUpdated; while bound, PortPhaseConflict', () => {
    spec.given([created]).when(update({ vnicType: 'direct' })).thenState((p) => expect(p!.vnicType).toBe('direct'));
    spec.given([created, bindingRequested, bound]).when(update({ vnicType: 'direct' })).thenThrows(PortPhaseConflictError, /while it is in phase bound/);
  });

  it('given a deleted port, when updated, then PortNotFound', () => {
    spec.given([created, deleted]).when(update({ name: 'x' })).thenThrows(PortNotFoundError, `Port ${PORT} could not be found.`);
  });
});

describe('Port decider: binding (created → binding → bound → unbinding → unbound)', () => {
  it('given a created port, when a VM binds it, then PortBindingRequested and status BUILD', () => {
    spec.given([created]).when(bind()).then([bindingRequested]);
    spec.given([created]).when(bind()).thenState((p) => expect([p!.phase, p!.deviceId, portStatus(p!)]).toEqual(['binding', VM, 'BUILD']));
  });

  it('given a binding port, when the binding is confirmed, then PortBound, status ACTIVE and vif_type ovs', () => {
    spec.given([created, bindingRequested]).when(confirm()).then([bound]);
    spec.given([created, bindingRequested]).when(confirm()).thenState((p) => expect([p!.phase, portStatus(p!), vifType(p!)]).toEqual(['bound', 'ACTIVE', 'ovs']));
  });

  it('given a bound port that is administratively down, then its status is DOWN', () => {
    const down: PortEvent = { type: 'PortUpdated', data: { portId: PORT, changes: { adminStateUp: false }, updatedAt: NOW } };
    spec.given([created, down, bindingRequested]).when(confirm()).thenState((p) => expect(portStatus(p!)).toBe('DOWN'));
  });

  it('given a port binding or bound to a VM, when the same VM binds again, then nothing (a retried step)', () => {
    spec.given([created, bindingRequested]).when(bind()).thenNothing();
    spec.given([created, bindingRequested, bound]).when(bind()).thenNothing();
    spec.given([created, bindingRequested, bound]).when(confirm()).thenNothing();
  });

  it('given a port bound to a VM, when another VM binds it, then PortInUse (409)', () => {
    spec
      .given([created, bindingRequested, bound])
      .when(bind('vm-2'))
      .thenThrows(PortInUseError, `Unable to complete operation on port ${PORT} for network net-1. Port already has an attached device ${VM}.`);
  });

  it('given a port unbinding, when the same VM binds it again, then PortPhaseConflict (wait for the detach)', () => {
    spec.given([created, bindingRequested, bound, unbindingRequested]).when(bind()).thenThrows(PortPhaseConflictError, /phase unbinding/);
  });

  it('given a bind without device, then InvalidInput', () => {
    spec.given([created]).when(bind('')).thenThrows(InvalidPortInputError, /device_id/);
  });

  it('given a port not binding, when a binding is confirmed, then PortPhaseConflict', () => {
    spec.given([created]).when(confirm()).thenThrows(PortPhaseConflictError, /Cannot 'confirm binding' port port-1 while it is in phase created/);
    spec.given([created, bindingRequested]).when(confirm('vm-2')).thenThrows(PortPhaseConflictError);
  });

  it('given a binding port, when the attach fails, then PortBindingFailed and it is free again; failing again is nothing', () => {
    const fail = { type: 'FailPortBinding' as const, data: { portId: PORT, deviceId: VM, reason: 'hotplug refused' } };
    const failed: PortEvent = { type: 'PortBindingFailed', data: { portId: PORT, deviceId: VM, reason: 'hotplug refused', failedAt: NOW } };
    spec.given([created, bindingRequested]).when(fail).then([failed]);
    spec.given([created, bindingRequested, failed]).when(fail).thenNothing();
    spec.given([created, bindingRequested, failed]).when(bind('vm-2')).thenState((p) => expect(p!.deviceId).toBe('vm-2'));
    spec.given([created, bindingRequested, bound]).when(fail).thenThrows(PortPhaseConflictError);
  });

  it('given a bound port, when detached, then PortUnbindingRequested, then PortUnbound with the device cleared', () => {
    spec.given([created, bindingRequested, bound]).when(unbind).then([unbindingRequested]);
    spec.given([created, bindingRequested, bound, unbindingRequested]).when(confirmUnbind).then([unbound]);
    spec.given([created, bindingRequested, bound, unbindingRequested]).when(confirmUnbind).thenState((p) => expect([p!.phase, p!.deviceId, p!.hostId]).toEqual(['unbound', '', null]));
  });

  it('given an unbound port, when detached or confirmed again, then nothing; while binding, PortPhaseConflict', () => {
    spec.given([created]).when(unbind).thenNothing();
    spec.given([created, bindingRequested, bound, unbindingRequested]).when(unbind).thenNothing();
    spec.given([created, bindingRequested, bound, unbindingRequested, unbound]).when(confirmUnbind).thenNothing();
    spec.given([created, bindingRequested]).when(unbind).thenThrows(PortPhaseConflictError, /phase binding/);
    spec.given([created, bindingRequested, bound]).when(confirmUnbind).thenThrows(PortPhaseConflictError, /phase bound/);
  });

  it('given a bound port, when live migration moves it, then PortBindingHostChanged; unbound, PortPhaseConflict', () => {
    const move = (hostId: string) => ({ type: 'MovePortBinding' as const, data: { portId: PORT, hostId } });
    spec.given([created, bindingRequested, bound]).when(move('node-2')).then([{ type: 'PortBindingHostChanged', data: { portId: PORT, hostId: 'node-2', previousHostId: 'node-1' } }]);
    spec.given([created, bindingRequested, bound]).when(move('node-1')).thenNothing();
    spec.given([created]).when(move('node-2')).thenThrows(PortPhaseConflictError);
  });
});

describe('Port decider: delete', () => {
  it('given an unbound port, when deleted, then PortDeleted carrying its MAC and fixed IPs for release', () => {
    spec.given([created]).when(del).then([deleted]);
    spec.given([created, bindingRequested, bound, unbindingRequested, unbound]).when(del).then([deleted]);
  });

  it.each([
    ['binding', [created, bindingRequested]],
    ['bound', [created, bindingRequested, bound]],
    ['unbinding', [created, bindingRequested, bound, unbindingRequested]],
  ])('given a port %s, when deleted, then PortBound: detach first (409)', (phase, events) => {
    spec.given(events as PortEvent[]).when(del).thenThrows(PortBoundError, `Port ${PORT} is attached to device ${VM} (phase ${phase}); detach it first.`);
  });

  it('given a deleted port, when deleted again, then PortNotFound', () => {
    spec.given([created, deleted]).when(del).thenThrows(PortNotFoundError);
  });
});

import type { RecordedEvent } from '../../../src/adapters/event-store/event-envelope.js';
import { networkDecider } from '../../../src/domain/network/network.decider.js';
import type { NetworkCommand } from '../../../src/domain/network/network.commands.js';
import { networkStreamId } from '../../../src/domain/network/network.events.js';
import { portDecider } from '../../../src/domain/port/port.decider.js';
import type { PortCommand } from '../../../src/domain/port/port.commands.js';
import { portStreamId } from '../../../src/domain/port/port.events.js';
import type { Decider } from '../../../src/domain/shared/decider.js';
import { subnetDecider } from '../../../src/domain/subnet/subnet.decider.js';
import type { SubnetCommand } from '../../../src/domain/subnet/subnet.commands.js';
import { subnetStreamId } from '../../../src/domain/subnet/subnet.events.js';

type Step = [streamId: string, decider: Decider<unknown, { type: string; data: unknown }, unknown>, command: unknown];

const net = (c: NetworkCommand): Step => [networkStreamId(c.data.networkId), networkDecider as never, c];
const sub = (c: SubnetCommand): Step => [subnetStreamId(c.data.subnetId), subnetDecider as never, c];
const port = (c: PortCommand): Step => [portStreamId(c.data.portId), portDecider as never, c];

/**
 * A networking log written by the deciders themselves, in the order the sagas will run them: a
 * dual-stack network, ports created (MAC, then addresses, then the port), bound, one detached and
 * deleted with its addresses and MAC released, a subnet update, and a second network created and
 * deleted. Returned as RecordedEvents (positions from 1) for appendEventLog.
 */
export function networkingEventLog(): RecordedEvent[] {
  const N = 'net-1';
  const steps: Step[] = [
    net({ type: 'CreateNetwork', data: { networkId: N, projectId: 'p1', name: 'edge' } }),
    net({ type: 'AddSubnetToNetwork', data: { networkId: N, subnetId: 's4', ipVersion: 4, cidr: '10.0.0.0/24' } }),
    sub({ type: 'CreateSubnet', data: { subnetId: 's4', networkId: N, projectId: 'p1', name: 'v4', ipVersion: 4, cidr: '10.0.0.0/24', excludedIps: ['10.0.0.2..10.0.0.9'] } }),
    net({ type: 'AddSubnetToNetwork', data: { networkId: N, subnetId: 's6', ipVersion: 6, cidr: '2001:db8::/64' } }),
    sub({ type: 'CreateSubnet', data: { subnetId: 's6', networkId: N, projectId: 'p1', name: 'v6', ipVersion: 6, cidr: '2001:db8::/64' } }),
  ];
  for (const [i, id] of ['pa', 'pb', 'pc'].entries()) {
    const mac = `fa:16:3e:00:00:0${i + 1}`;
    steps.push(
      net({ type: 'ReserveMac', data: { networkId: N, portId: id, projectId: 'p1', macAddress: mac } }),
      sub({ type: 'AllocateIp', data: { subnetId: 's4', portId: id, ipAddress: i === 1 ? '10.0.0.100' : null } }),
      sub({ type: 'AllocateIp', data: { subnetId: 's6', portId: id, ipAddress: null } }),
    );
  }
  const fixed = { pa: ['10.0.0.10', '2001:db8::2'], pb: ['10.0.0.100', '2001:db8::3'], pc: ['10.0.0.11', '2001:db8::4'] } as const;
  for (const [i, id] of (['pa', 'pb', 'pc'] as const).entries()) {
    steps.push(
      port({
        type: 'CreatePort',
        data: { portId: id, networkId: N, projectId: 'p1', macAddress: `fa:16:3e:00:00:0${i + 1}`, vnicType: i === 2 ? 'vhostuser' : undefined, fixedIps: [{ subnetId: 's4', ipAddress: fixed[id][0] }, { subnetId: 's6', ipAddress: fixed[id][1] }] },
      }),
    );
  }
  steps.push(
    port({ type: 'RequestPortBinding', data: { portId: 'pa', deviceId: 'vm-1', deviceOwner: 'compute:nova', hostId: 'node-1' } }),
    port({ type: 'RequestPortBinding', data: { portId: 'pb', deviceId: 'vm-1', deviceOwner: 'compute:nova', hostId: 'node-1' } }),
    port({ type: 'ConfirmPortBinding', data: { portId: 'pa', deviceId: 'vm-1', hostId: 'node-1' } }),
    port({ type: 'FailPortBinding', data: { portId: 'pb', deviceId: 'vm-1', reason: 'hotplug refused' } }),
    port({ type: 'UpdatePort', data: { portId: 'pa', name: 'nic0', securityGroups: ['sg-1'] } }),
    port({ type: 'MovePortBinding', data: { portId: 'pa', hostId: 'node-2' } }),
    port({ type: 'RequestPortBinding', data: { portId: 'pc', deviceId: 'vm-2', deviceOwner: 'compute:nova', hostId: null } }),
    port({ type: 'ConfirmPortBinding', data: { portId: 'pc', deviceId: 'vm-2', hostId: 'node-1' } }),
    port({ type: 'RequestPortUnbinding', data: { portId: 'pc' } }),
    port({ type: 'ConfirmPortUnbinding', data: { portId: 'pc' } }),
    port({ type: 'DeletePort', data: { portId: 'pc' } }),
    sub({ type: 'ReleaseIp', data: { subnetId: 's4', portId: 'pc', ipAddress: fixed.pc[0] } }),
    sub({ type: 'ReleaseIp', data: { subnetId: 's6', portId: 'pc', ipAddress: fixed.pc[1] } }),
    net({ type: 'ReleaseMac', data: { networkId: N, portId: 'pc', macAddress: 'fa:16:3e:00:00:03' } }),
    sub({ type: 'UpdateSubnet', data: { subnetId: 's4', name: 'v4-edge', allocationPools: [{ start: '10.0.0.10', end: '10.0.0.199' }], dnsNameservers: ['10.0.0.53'] } }),
    net({ type: 'UpdateNetwork', data: { networkId: N, shared: true, mtu: 1400 } }),
    net({ type: 'CreateNetwork', data: { networkId: 'net-2', projectId: 'p2', name: 'scratch', external: true } }),
    net({ type: 'AddSubnetToNetwork', data: { networkId: 'net-2', subnetId: 's9', ipVersion: 4, cidr: '192.168.9.0/24' } }),
    sub({ type: 'CreateSubnet', data: { subnetId: 's9', networkId: 'net-2', projectId: 'p2', name: 'tmp', ipVersion: 4, cidr: '192.168.9.0/24', gatewayIp: null } }),
    sub({ type: 'DeleteSubnet', data: { subnetId: 's9' } }),
    net({ type: 'RemoveSubnetFromNetwork', data: { networkId: 'net-2', subnetId: 's9' } }),
    net({ type: 'DeleteNetwork', data: { networkId: 'net-2' } }),
  );

  const states = new Map<string, unknown>();
  const revisions = new Map<string, number>();
  const log: RecordedEvent[] = [];
  for (const [streamId, decider, command] of steps) {
    const at = new Date(Date.UTC(2026, 10, 22, 11, 0, log.length)).toISOString();
    const state = states.has(streamId) ? states.get(streamId) : decider.initialState();
    const events = decider.decide(command, state, { now: at });
    states.set(streamId, events.reduce(decider.evolve, state));
    for (const event of events) {
      const revision = revisions.get(streamId) ?? 0;
      revisions.set(streamId, revision + 1);
      const n = log.length;
      log.push({
        id: `019d0000-0000-7000-9000-${String(n).padStart(12, '0')}`,
        type: event.type,
        schemaVersion: 1,
        data: event.data,
        metadata: { requestId: `req-00000000-0000-4000-9000-${String(n).padStart(12, '0')}`, correlationId: 'c', causationId: 'c', actor: { userId: 'admin', projectId: 'p1', roles: ['admin'] } },
        occurredAt: at,
        streamId,
        revision,
        position: n + 1,
        recordedAt: at,
      });
    }
  }
  return log;
}

import { subnetDecider } from '../../../src/domain/subnet/subnet.decider.js';
import type { SubnetEvent } from '../../../src/domain/subnet/subnet.events.js';
import { fromSubnetSnapshot, toSubnetSnapshot, type SubnetSnapshot } from '../../../src/domain/subnet/subnet-snapshot.js';
import { parseIpAddress } from '../../../src/domain/ip/ip-address.js';
import { bigIntToIp } from '../../../src/domain/ip/ip-number.js';
import { addressesHeldBy, type SubnetState } from '../../../src/domain/subnet/subnet.state.js';
import { allocated, createV4, NOW, released, SUBNET_ID } from './subnet-fixtures.js';

const context = { now: NOW };
const fold = (events: SubnetEvent[], from: SubnetState = null) => events.reduce(subnetDecider.evolve, from);
/** The snapshot in one canonical text (allocations sorted): comparing 45,000 pairs with toEqual alone takes seconds. */
const sorted = (s: SubnetSnapshot | null) => JSON.stringify(s && { ...s, allocations: [...s.allocations].sort(([a], [b]) => (a < b ? -1 : 1)) });

/** A busy /16: 50,000 pool allocations by as many ports (written as the allocator would), then every tenth released. */
function busySubnetLog(): SubnetEvent[] {
  const events = subnetDecider.decide({ type: 'CreateSubnet', data: { ...createV4, cidr: '10.8.0.0/16' } }, null, context);
  const first = parseIpAddress('10.8.0.2')!.value;
  for (let i = 0; i < 50_000; i++) events.push(allocated(bigIntToIp(first + BigInt(i), 4), `port-${i}`, 'pool'));
  for (let i = 0; i < 50_000; i += 10) events.push(released(bigIntToIp(first + BigInt(i), 4), `port-${i}`));
  return events;
}

describe('Subnet snapshots', () => {
  const log = busySubnetLog();
  const folded = fold(log);

  it('given a busy subnet, when its fold is snapshotted as JSON and restored, then it equals the fold and decides the same', () => {
    const restored = fromSubnetSnapshot(JSON.parse(JSON.stringify(toSubnetSnapshot(folded))) as SubnetSnapshot);

    expect(sorted(toSubnetSnapshot(restored))).toBe(sorted(toSubnetSnapshot(folded)));
    expect(restored!.allocations.size).toBe(45_000);
    expect(addressesHeldBy(restored!, 'port-1')).toEqual(addressesHeldBy(folded!, 'port-1'));
    const next = { type: 'AllocateIp' as const, data: { subnetId: SUBNET_ID, portId: 'late', ipAddress: null } };
    expect(subnetDecider.decide(next, restored, context)).toEqual(subnetDecider.decide(next, folded, context));
    const taken = { type: 'AllocateIp' as const, data: { subnetId: SUBNET_ID, portId: 'late', ipAddress: '10.8.0.3' } };
    expect(() => subnetDecider.decide(taken, restored, context)).toThrow('IP address 10.8.0.3 already allocated');
  });

  it('given a snapshot taken part way, when the rest of the stream is folded onto it, then it equals folding the whole stream', () => {
    const cut = 30_001;
    const fromSnapshot = fold(log.slice(cut), fromSubnetSnapshot(toSubnetSnapshot(fold(log.slice(0, cut)))));
    expect(sorted(toSubnetSnapshot(fromSnapshot))).toBe(sorted(toSubnetSnapshot(folded)));
  });

  it('given no subnet, then the snapshot is null and restores to null', () => {
    expect(toSubnetSnapshot(null)).toBeNull();
    expect(fromSubnetSnapshot(null)).toBeNull();
  });

  it('keeps released addresses free and the cursor where the allocator left it', () => {
    const snapshot = toSubnetSnapshot(fold([...log.slice(0, 3), allocated('10.8.0.200', 'x'), released('10.8.0.200', 'x')]))!;
    expect(snapshot.allocations.map(([a]) => a).sort()).toEqual(['10.8.0.2', '10.8.0.3']);
    expect(snapshot.cursor).toBe('10.8.0.3');
  });
});

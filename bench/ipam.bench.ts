import type { NewEvent } from '../src/adapters/event-store/event-envelope.js';
import { parseIpAddress } from '../src/domain/ip/ip-address.js';
import { bigIntToIp } from '../src/domain/ip/ip-number.js';
import type { SubnetEvent } from '../src/domain/subnet/subnet.events.js';
import { SUBNET_EVENT_VERSIONS, subnetStreamId } from '../src/domain/subnet/subnet.events.js';
import { subnetDecider } from '../src/domain/subnet/subnet.decider.js';
import { fromSubnetSnapshot, toSubnetSnapshot } from '../src/domain/subnet/subnet-snapshot.js';
import type { SubnetState } from '../src/domain/subnet/subnet.state.js';
import { AggregateExecutor } from '../src/handlers/shared/aggregate-executor.js';
import { SystemClock } from '../src/handlers/shared/clock.js';
import { SYSTEM_ACTOR } from '../src/handlers/shared/command-metadata.js';
import { UuidV7Generator } from '../src/handlers/shared/uuid-v7-generator.js';
import { fmt, timed, type Rate } from './support/measure.js';
import { freshStorage, type StoreKind } from './support/stores.js';

export interface IpamFigures {
  allocations: number;
  /** Cold load of the subnet stream through the executor: read every event, fold. */
  coldLoad: Rate;
  /** Cold load through a snapshot-aware executor, the snapshot 999 events behind the head (the most between two snapshots). */
  coldLoadSnapshotBehind: Rate;
  /** The same with the snapshot at the head (read, parse, restore, an empty tail). */
  coldLoadSnapshotAtHead: Rate;
  /** Writing a snapshot of the whole subnet (toSnapshot, JSON, one upsert), what the background write costs. */
  snapshotWrite: Rate;
  /** The fold alone, in memory. */
  fold: Rate;
  /** Restoring the same state from a JSON snapshot (what a snapshot-aware load would do instead). */
  snapshotRestore: Rate;
  snapshotBytes: number;
  /** AllocateIp (next free) through a warm executor, one after another. */
  allocate: Rate;
}

const ids = new UuidV7Generator();

/**
 * The median of several timed runs: single cold loads on a shared, loaded machine swing by a factor
 * of two or more (GC, other processes), which hides the difference measured here.
 */
const RUNS = 5;
async function median(operations: number, fn: () => Promise<void>): Promise<Rate> {
  const rates: Rate[] = [];
  for (let i = 0; i < RUNS; i++) rates.push(await timed(operations, fn));
  return rates.sort((a, b) => a.seconds - b.seconds)[Math.floor(RUNS / 2)]!;
}
const meta = { requestId: 'req-00000000-0000-7000-8000-000000000000', actor: SYSTEM_ACTOR };

/** A busy /16: `allocations` IpAllocated events on one subnet stream, then warm allocations through the executor. */
export async function benchIpam(kind: StoreKind, allocations: number): Promise<IpamFigures> {
  const storage = await freshStorage(kind);
  try {
    const stream = subnetStreamId('bench-subnet');
    const create = subnetDecider.decide(
      { type: 'CreateSubnet', data: { subnetId: 'bench-subnet', networkId: 'n', projectId: 'p', name: 'busy', ipVersion: 4, cidr: '10.64.0.0/14' } },
      null,
      { now: new Date().toISOString() },
    );
    const first = parseIpAddress('10.64.0.2')!.value;
    const log: SubnetEvent[] = [...create];
    for (let i = 0; i < allocations; i++) {
      log.push({ type: 'IpAllocated', data: { subnetId: 'bench-subnet', ipAddress: bigIntToIp(first + BigInt(i), 4), portId: `port-${i}`, method: 'pool' } });
    }
    const envelope = (e: SubnetEvent): NewEvent => ({ id: ids.next(), type: e.type, schemaVersion: 1, data: e.data, metadata: { ...meta, correlationId: meta.requestId, causationId: meta.requestId }, occurredAt: new Date().toISOString() });
    for (let i = 0; i < log.length; i += 1_000) {
      await storage.store.append(stream, log.slice(i, i + 1_000).map(envelope), { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
    }

    // A first load warms the database's page cache, so the loads compared below all read warm pages.
    await new AggregateExecutor(storage.store, new SystemClock(), ids).load(stream, subnetDecider);
    const coldLoad = await median(log.length, async () => {
      await new AggregateExecutor(storage.store, new SystemClock(), ids).load(stream, subnetDecider);
    });
    let folded: SubnetState = null;
    const fold = await median(log.length, async () => {
      folded = log.reduce(subnetDecider.evolve, null as SubnetState);
    });

    const support = subnetDecider.snapshots!;
    const head = log.length - 1;
    const writeSnapshot = (revision: number, state: SubnetState) =>
      storage.snapshots.write({ streamId: stream, revision, version: support.version, data: JSON.stringify(support.toSnapshot(state)), writtenAt: new Date().toISOString() });
    const snapshotAware = () => new AggregateExecutor(storage.store, new SystemClock(), ids, { snapshots: storage.snapshots });
    await writeSnapshot(head - 999, log.slice(0, head - 999 + 1).reduce(subnetDecider.evolve, null as SubnetState));
    const coldLoadSnapshotBehind = await median(log.length, async () => {
      await snapshotAware().load(stream, subnetDecider);
    });
    const snapshotWrite = await median(1, async () => {
      await writeSnapshot(head, folded);
    });
    const coldLoadSnapshotAtHead = await median(log.length, async () => {
      await snapshotAware().load(stream, subnetDecider);
    });
    const json = JSON.stringify(toSubnetSnapshot(folded));
    const snapshotRestore = await median(allocations, async () => {
      fromSubnetSnapshot(JSON.parse(json));
    });
    const commands = 2_000;
    const executor = new AggregateExecutor(storage.store, new SystemClock(), ids);
    await executor.load(stream, subnetDecider);
    const allocate = await timed(commands, async () => {
      for (let i = 0; i < commands; i++) {
        await executor.execute(stream, subnetDecider, { type: 'AllocateIp', data: { subnetId: 'bench-subnet', portId: `late-${i}`, ipAddress: null } }, meta, SUBNET_EVENT_VERSIONS);
      }
    });
    return { allocations, coldLoad, coldLoadSnapshotBehind, coldLoadSnapshotAtHead, snapshotWrite, fold, snapshotRestore, snapshotBytes: json.length, allocate };
  } finally {
    await storage.dispose();
  }
}

export function ipamRows(kind: StoreKind, f: IpamFigures): string[] {
  const ms = (r: Rate) => `${fmt(r.seconds * 1000)} ms`;
  return [
    `| ${kind} | busy subnet: cold load through the executor, no snapshot (read + fold every event) | ${ms(f.coldLoad)} | ${fmt(f.allocations)} allocation events |`,
    `| ${kind} | busy subnet: cold load, snapshot 999 events behind the head (restore + read and fold 999) | ${ms(f.coldLoadSnapshotBehind)} | ${fmt(f.allocations)} allocation events |`,
    `| ${kind} | busy subnet: cold load, snapshot at the head | ${ms(f.coldLoadSnapshotAtHead)} | ${fmt(f.allocations)} allocation events |`,
    `| ${kind} | busy subnet: write a snapshot (background, every 1,000 events) | ${ms(f.snapshotWrite)} | ${fmt(f.allocations)} allocations |`,
    `| ${kind} | busy subnet: fold alone, in memory | ${ms(f.fold)} (${fmt(f.fold.perSecond)} events/s) | ${fmt(f.allocations)} allocation events |`,
    `| ${kind} | busy subnet: restore from a JSON snapshot | ${ms(f.snapshotRestore)} | ${fmt(f.allocations)} allocations, ${fmt(f.snapshotBytes / 1024)} KiB |`,
    `| ${kind} | busy subnet: AllocateIp (next free), warm executor, sequential, durable append | ${fmt(f.allocate.perSecond)} commands/s | ${fmt(f.allocate.operations)} commands on ${fmt(f.allocations)} allocated |`,
  ];
}

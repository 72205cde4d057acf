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
  /** The fold alone, in memory. */
  fold: Rate;
  /** Restoring the same state from a JSON snapshot (what a snapshot-aware load would do instead). */
  snapshotRestore: Rate;
  snapshotBytes: number;
  /** AllocateIp (next free) through a warm executor, one after another. */
  allocate: Rate;
}

const ids = new UuidV7Generator();
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

    const executor = new AggregateExecutor(storage.store, new SystemClock(), ids);
    const coldLoad = await timed(log.length, async () => {
      await executor.load(stream, subnetDecider);
    });
    let folded: SubnetState = null;
    const fold = await timed(log.length, async () => {
      folded = log.reduce(subnetDecider.evolve, null as SubnetState);
    });
    const json = JSON.stringify(toSubnetSnapshot(folded));
    const snapshotRestore = await timed(allocations, async () => {
      fromSubnetSnapshot(JSON.parse(json));
    });
    const commands = 2_000;
    const allocate = await timed(commands, async () => {
      for (let i = 0; i < commands; i++) {
        await executor.execute(stream, subnetDecider, { type: 'AllocateIp', data: { subnetId: 'bench-subnet', portId: `late-${i}`, ipAddress: null } }, meta, SUBNET_EVENT_VERSIONS);
      }
    });
    return { allocations, coldLoad, fold, snapshotRestore, snapshotBytes: json.length, allocate };
  } finally {
    await storage.dispose();
  }
}

export function ipamRows(kind: StoreKind, f: IpamFigures): string[] {
  const ms = (r: Rate) => `${fmt(r.seconds * 1000)} ms`;
  return [
    `| ${kind} | busy subnet: cold load through the executor (read + fold) | ${ms(f.coldLoad)} | ${fmt(f.allocations)} allocation events |`,
    `| ${kind} | busy subnet: fold alone, in memory | ${ms(f.fold)} (${fmt(f.fold.perSecond)} events/s) | ${fmt(f.allocations)} allocation events |`,
    `| ${kind} | busy subnet: restore from a JSON snapshot | ${ms(f.snapshotRestore)} | ${fmt(f.allocations)} allocations, ${fmt(f.snapshotBytes / 1024)} KiB |`,
    `| ${kind} | busy subnet: AllocateIp (next free), warm executor, sequential, durable append | ${fmt(f.allocate.perSecond)} commands/s | ${fmt(f.allocate.operations)} commands on ${fmt(f.allocations)} allocated |`,
  ];
}

import { WrongExpectedVersionError } from '../../../src/adapters/event-store/wrong-expected-version.error.js';
import { IpAddressGenerationFailureError } from '../../../src/domain/subnet/subnet.errors.js';
import { subnetDecider } from '../../../src/domain/subnet/subnet.decider.js';
import { SUBNET_EVENT_VERSIONS, subnetStreamId } from '../../../src/domain/subnet/subnet.events.js';
import { AggregateExecutor } from '../../../src/handlers/shared/aggregate-executor.js';
import { SystemClock } from '../../../src/handlers/shared/clock.js';
import { UuidV7Generator } from '../../../src/handlers/shared/uuid-v7-generator.js';
import { SYSTEM_ACTOR } from '../../../src/handlers/shared/command-metadata.js';
import { backends, type Backend } from '../projections/read-model-harness.js';

const SUBNET = 's-busy';
const meta = { requestId: 'req-00000000-0000-4000-8000-000000000001', actor: SYSTEM_ACTOR };

describe.each(await backends())('concurrent allocations on one subnet (%s)', (_dialect, open) => {
  let backend: Backend;
  beforeEach(async () => {
    backend = await open();
  });
  afterEach(async () => {
    await backend.close();
  });

  /** Many callers, each its own executor (as API replicas are, each with its own cache of folded states). */
  async function allocateConcurrently(cidr: string, callers: number): Promise<PromiseSettledResult<unknown>[]> {
    const executors = Array.from({ length: callers }, () => new AggregateExecutor(backend.store, new SystemClock(), new UuidV7Generator()));
    const create = { type: 'CreateSubnet' as const, data: { subnetId: SUBNET, networkId: 'n', projectId: 'p', name: 'busy', ipVersion: cidr.includes(':') ? 6 : 4, cidr } };
    await executors[0]!.execute(subnetStreamId(SUBNET), subnetDecider, create, meta, SUBNET_EVENT_VERSIONS);
    return Promise.allSettled(
      executors.map((executor, i) =>
        executor.execute(subnetStreamId(SUBNET), subnetDecider, { type: 'AllocateIp', data: { subnetId: SUBNET, portId: `port-${i}`, ipAddress: null } }, meta, SUBNET_EVENT_VERSIONS),
      ),
    );
  }

  async function allocatedAddresses(): Promise<string[]> {
    const events = await backend.store.readStream(subnetStreamId(SUBNET));
    return events.filter((e) => e.type === 'IpAllocated').map((e) => (e.data as { ipAddress: string }).ipAddress);
  }

  it.each(['10.9.0.0/24', '2001:db8:9::/64'])('given %s, when 30 callers allocate at once, then each succeeds or conflicts cleanly and no address is handed out twice', async (cidr) => {
    const results = await allocateConcurrently(cidr, 30);

    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    for (const failure of failures) expect(failure.reason).toBeInstanceOf(WrongExpectedVersionError);
    const addresses = await allocatedAddresses();
    expect(addresses.length).toBe(results.length - failures.length);
    expect(addresses.length).toBeGreaterThan(0);
    expect(new Set(addresses).size).toBe(addresses.length);
  });

  it('given a subnet with room for 5, when 12 callers allocate at once, then at most 5 succeed, the rest conflict or find the pool exhausted', async () => {
    const results = await allocateConcurrently('10.9.0.0/29', 12);

    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason instanceof WrongExpectedVersionError || r.reason instanceof IpAddressGenerationFailureError).toBe(true);
    }
    const addresses = await allocatedAddresses();
    expect(addresses.length).toBeLessThanOrEqual(5);
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(addresses.every((a) => a !== '10.9.0.1' && a !== '10.9.0.0' && a !== '10.9.0.7')).toBe(true);
  });
});

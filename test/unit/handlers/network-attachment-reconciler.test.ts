import { PermanentAdapterError } from '../../../src/adapters/adapter-errors.js';
import type { NetworkAttachmentClusterPort, NetworkAttachmentRef, NetworkAttachmentSpec } from '../../../src/adapters/kubernetes/cluster.port.js';
import type { SqlDatabase } from '../../../src/adapters/sql/sql-database.js';
import type { NetworkCommand } from '../../../src/domain/network/network.commands.js';
import { networkDecider } from '../../../src/domain/network/network.decider.js';
import { NETWORK_EVENT_VERSIONS, networkStreamId } from '../../../src/domain/network/network.events.js';
import type { SubnetCommand } from '../../../src/domain/subnet/subnet.commands.js';
import { subnetDecider } from '../../../src/domain/subnet/subnet.decider.js';
import { SUBNET_EVENT_VERSIONS, subnetStreamId } from '../../../src/domain/subnet/subnet.events.js';
import { NetworkAttachmentReconciler } from '../../../src/handlers/networking/network-attachment-reconciler.js';
import { AggregateExecutor } from '../../../src/handlers/shared/aggregate-executor.js';
import { SystemClock } from '../../../src/handlers/shared/clock.js';
import { UuidV7Generator } from '../../../src/handlers/shared/uuid-v7-generator.js';
import { SYSTEM_ACTOR } from '../../../src/handlers/shared/command-metadata.js';
import { openSqliteReadModelDb } from '../../support/read-model-db.js';
import { InMemoryEventStore } from '../projections/in-memory-event-store.js';

const meta = { requestId: 'req-00000000-0000-4000-8000-00000000000c', actor: SYSTEM_ACTOR };

/** A cluster that keeps what it was asked for; a name can be made to refuse permanently. */
class FakeCluster implements NetworkAttachmentClusterPort {
  readonly attachments = new Map<string, NetworkAttachmentSpec>();
  readonly refused = new Set<string>();
  async ensureNetworkAttachment(spec: NetworkAttachmentSpec): Promise<void> {
    if (this.refused.has(spec.ref.name)) throw new PermanentAdapterError('AlreadyExists', `${spec.ref.name} belongs to another network`);
    this.attachments.set(spec.ref.name, spec);
  }
  async deleteNetworkAttachment(ref: NetworkAttachmentRef): Promise<void> {
    this.attachments.delete(ref.name);
  }
}

describe('NetworkAttachmentReconciler', () => {
  let store: InMemoryEventStore;
  let db: SqlDatabase;
  let executor: AggregateExecutor;
  let cluster: FakeCluster;
  let reconciler: NetworkAttachmentReconciler;
  const errors: unknown[] = [];
  const network = (command: NetworkCommand) => executor.execute(networkStreamId(command.data.networkId), networkDecider, command, meta, NETWORK_EVENT_VERSIONS);
  const subnet = (command: SubnetCommand) => executor.execute(subnetStreamId(command.data.subnetId), subnetDecider, command, meta, SUBNET_EVENT_VERSIONS);
  const settled = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(check()).toBe(true);
  };

  beforeEach(async () => {
    store = new InMemoryEventStore();
    db = await openSqliteReadModelDb();
    executor = new AggregateExecutor(store, new SystemClock(), new UuidV7Generator());
    cluster = new FakeCluster();
    reconciler = new NetworkAttachmentReconciler({
      store,
      db,
      cluster,
      sources: {
        loadNetwork: async (id) => (await executor.load(networkStreamId(id), networkDecider)).state,
        loadSubnet: async (id) => (await executor.load(subnetStreamId(id), subnetDecider)).state,
      },
      retryDelayMs: 10,
      onError: (e) => errors.push(e),
    });
    await reconciler.start();
  });
  afterEach(async () => {
    await reconciler.stop();
    await db.close();
  });

  it('given a network, its subnets and its deletion as events, then the cluster follows: NAD, then the Kube-OVN Subnet widened to dual stack, then nothing', async () => {
    await network({ type: 'CreateNetwork', data: { networkId: 'n1', projectId: 'Tenant_A', name: 'n1' } });
    await settled(() => cluster.attachments.has('net-n1'));
    expect(cluster.attachments.get('net-n1')).toEqual({ ref: { namespace: 'vp-tenant-a', name: 'net-n1' }, networkId: 'n1', subnets: [] });

    await network({ type: 'AddSubnetToNetwork', data: { networkId: 'n1', subnetId: 's4', ipVersion: 4, cidr: '10.0.0.0/24' } });
    await subnet({ type: 'CreateSubnet', data: { subnetId: 's4', networkId: 'n1', projectId: 'Tenant_A', name: 's4', ipVersion: 4, cidr: '10.0.0.0/24', excludedIps: ['10.0.0.2..10.0.0.9'] } });
    await network({ type: 'AddSubnetToNetwork', data: { networkId: 'n1', subnetId: 's6', ipVersion: 6, cidr: 'fd00::/64' } });
    await subnet({ type: 'CreateSubnet', data: { subnetId: 's6', networkId: 'n1', projectId: 'Tenant_A', name: 's6', ipVersion: 6, cidr: 'fd00::/64' } });
    await settled(() => cluster.attachments.get('net-n1')?.subnets.length === 2);
    expect(cluster.attachments.get('net-n1')!.subnets).toEqual([
      { cidr: '10.0.0.0/24', gatewayIp: '10.0.0.1', excludeIps: ['10.0.0.1', '10.0.0.2..10.0.0.9'] },
      { cidr: 'fd00::/64', gatewayIp: 'fd00::1', excludeIps: ['fd00::1'] },
    ]);

    await subnet({ type: 'DeleteSubnet', data: { subnetId: 's4' } });
    await network({ type: 'RemoveSubnetFromNetwork', data: { networkId: 'n1', subnetId: 's4' } });
    await subnet({ type: 'DeleteSubnet', data: { subnetId: 's6' } });
    await network({ type: 'RemoveSubnetFromNetwork', data: { networkId: 'n1', subnetId: 's6' } });
    await network({ type: 'DeleteNetwork', data: { networkId: 'n1' } });
    await settled(() => !cluster.attachments.has('net-n1'));
  });

  it('given a network the cluster refuses for good, then it is reported and later networks are still made', async () => {
    cluster.refused.add('net-bad');
    await network({ type: 'CreateNetwork', data: { networkId: 'bad', projectId: 'p', name: 'bad' } });
    await network({ type: 'CreateNetwork', data: { networkId: 'good', projectId: 'p', name: 'good' } });
    await settled(() => cluster.attachments.has('net-good'));
    expect(errors.some((e) => e instanceof PermanentAdapterError && e.code === 'AlreadyExists')).toBe(true);
  });
});

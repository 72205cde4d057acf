import { PermanentAdapterError } from '../../adapters/adapter-errors.js';
import type { RecordedEvent } from '../../adapters/event-store/event-envelope.js';
import type { EventStore } from '../../adapters/event-store/event-store.port.js';
import type { NetworkAttachmentClusterPort, NetworkAttachmentRef } from '../../adapters/kubernetes/cluster.port.js';
import type { SqlDatabase, SqlExecutor } from '../../adapters/sql/sql-database.js';
import { NETWORK_STREAM_PREFIX } from '../../domain/network/network.events.js';
import { SUBNET_STREAM_PREFIX } from '../../domain/subnet/subnet.events.js';
import { CheckpointedConsumer } from '../shared/checkpointed-consumer.js';
import { networkAttachmentFor, type NetworkAttachmentSources } from './network-attachment-spec.js';

const CHECKPOINT = 'network-attachments';

/** The events that change what a network needs in the cluster. */
const NETWORK_EVENTS = new Set(['NetworkCreated', 'NetworkSubnetAdded', 'NetworkSubnetRemoved', 'NetworkDeleted']);
const SUBNET_EVENTS = new Set(['SubnetCreated', 'SubnetUpdated', 'SubnetDeleted']);

export interface NetworkAttachmentReconcilerOptions {
  store: EventStore;
  db: SqlDatabase;
  cluster: NetworkAttachmentClusterPort;
  sources: NetworkAttachmentSources;
  retryDelayMs?: number;
  /** Checked in the checkpoint write's transaction: throws when this process lost the lease (see DeferredCheckpoint). */
  fence?: (tx: SqlExecutor) => Promise<void>;
  onError?(error: unknown): void;
}

/**
 * Keeps each network's NetworkAttachmentDefinition and Kube-OVN Subnet as its streams say (created
 * with the network, widened as subnets come, removed with it). It reads $all from its own checkpoint
 * and, for every network a batch touches, asks the cluster for the whole end state from the current
 * streams, so it is idempotent and a crash re-running batches does no harm; the checkpoint moves only
 * after the cluster took the batch (and is written at most every second or 1,000 events, as the
 * process manager's), and a failed batch is retried (the cluster was unreachable).
 */
export class NetworkAttachmentReconciler {
  private readonly consumer: CheckpointedConsumer;

  constructor(private readonly options: NetworkAttachmentReconcilerOptions) {
    this.consumer = new CheckpointedConsumer({
      store: options.store,
      db: options.db,
      name: CHECKPOINT,
      handle: (events) => this.handle(events),
      batchSize: 200,
      retryDelayMs: options.retryDelayMs,
      fence: options.fence,
      onError: options.onError,
    });
  }

  get position(): number {
    return this.consumer.position;
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  /**
   * One network now, from its streams (the NIC steps call it before they plug into the network, so
   * an attach right after a create does not wait for the subscription). The NAD's ref; null for a
   * network that never existed.
   */
  async reconcile(networkId: string): Promise<NetworkAttachmentRef | null> {
    const { spec, ref } = await networkAttachmentFor(this.options.sources, networkId);
    if (spec) await this.options.cluster.ensureNetworkAttachment(spec);
    else if (ref) await this.options.cluster.deleteNetworkAttachment(ref);
    return ref;
  }

  private async handle(events: RecordedEvent[]): Promise<void> {
    const networks = new Set<string>();
    for (const event of events) {
      const data = event.data as { networkId?: string; subnetId?: string };
      if (event.streamId.startsWith(NETWORK_STREAM_PREFIX) && NETWORK_EVENTS.has(event.type)) {
        networks.add(event.streamId.slice(NETWORK_STREAM_PREFIX.length));
      } else if (event.streamId.startsWith(SUBNET_STREAM_PREFIX) && SUBNET_EVENTS.has(event.type)) {
        const networkId = data.networkId ?? (await this.options.sources.loadSubnet(event.streamId.slice(SUBNET_STREAM_PREFIX.length)))?.definition.networkId;
        if (networkId) networks.add(networkId);
      }
    }
    for (const networkId of networks) {
      try {
        await this.reconcile(networkId);
      } catch (error) {
        // A refusal that no retry changes (a NAD of that name that belongs to another network) must
        // not hold up every later network: it is reported, and the NIC steps meet it again.
        if (!(error instanceof PermanentAdapterError)) throw error;
        this.options.onError?.(error);
      }
    }
  }
}

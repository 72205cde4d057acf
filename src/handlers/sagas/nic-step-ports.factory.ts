import type { CommandBus } from '@nestjs/cqrs';
import type { ClusterPort, LiveChangeClusterPort } from '../../adapters/kubernetes/cluster.port.js';
import type { FabricPort } from '../../adapters/ovs/fabric.port.js';
import { NetworkNotFoundError } from '../../domain/network/network.errors.js';
import { DeletePortCommand } from '../networking/networking-flows.command.js';
import { ExecutePortCommand } from '../networking/execute-port-command.command.js';
import type { AggregateExecutor } from '../shared/aggregate-executor.js';
import type { NicStepPorts } from '../workers/steps/nic-step-ports.js';
import type { NetworkAttachmentReconciler } from '../networking/network-attachment-reconciler.js';
import { excludedIpsOf, liveSubnetsOf, networkAttachmentRef } from '../networking/network-attachment-spec.js';
import { NetworkingStreams } from '../networking/networking-streams.js';

const HOTPLUG_OPERATIONS = ['attachNic', 'detachNic', 'getVmi'] as const;

/** Whether a cluster adapter can hot-plug NICs (the KubeVirt adapter can; a test's cluster double may not). */
export function supportsNicHotplug(cluster: object): cluster is LiveChangeClusterPort {
  return HOTPLUG_OPERATIONS.every((op) => typeof (cluster as Record<string, unknown>)[op] === 'function');
}

/**
 * The NIC steps' ports on the app's command bus (the networking handlers), its event store and its
 * fabric. `attachments` makes a network's NAD and Kube-OVN Subnet (null where the cluster adapter
 * cannot: the NAD's ref is then only named, for an operator to make).
 */
export function nicStepPortsFor(deps: {
  cluster: ClusterPort;
  fabric: FabricPort;
  bus: CommandBus;
  executor: AggregateExecutor;
  attachments?: NetworkAttachmentReconciler | null;
}): NicStepPorts {
  const { bus } = deps;
  const streams = new NetworkingStreams(deps.executor);
  return {
    networkAttachment: async (networkId) => {
      const ref = deps.attachments ? await deps.attachments.reconcile(networkId) : null;
      if (ref) return ref;
      const network = await streams.loadNetwork(networkId);
      if (!network) throw new NetworkNotFoundError(networkId);
      return networkAttachmentRef(network);
    },
    cluster: supportsNicHotplug(deps.cluster) ? deps.cluster : null,
    fabric: deps.fabric,
    port: (command, meta) => bus.execute(new ExecutePortCommand(command, meta)),
    loadPort: (portId) => streams.loadPort(portId),
    deletePort: (portId, meta) => bus.execute(new DeletePortCommand(portId, meta)),
    switchFor: async (networkId) => {
      const network = await streams.loadNetwork(networkId);
      if (!network || network.deleted) throw new NetworkNotFoundError(networkId);
      const subnets = await liveSubnetsOf(streams, network);
      return { id: networkId, name: network.name, cidrs: subnets.map((d) => d.cidr), excludeIps: subnets.flatMap(excludedIpsOf) };
    },
  };
}

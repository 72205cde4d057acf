import type { CommandBus } from '@nestjs/cqrs';
import type { ClusterPort, LiveChangeClusterPort } from '../../adapters/kubernetes/cluster.port.js';
import type { FabricPort, LogicalSwitchSpec } from '../../adapters/ovs/fabric.port.js';
import { networkDecider } from '../../domain/network/network.decider.js';
import { NetworkNotFoundError } from '../../domain/network/network.errors.js';
import { networkStreamId } from '../../domain/network/network.events.js';
import { portDecider } from '../../domain/port/port.decider.js';
import { portStreamId } from '../../domain/port/port.events.js';
import { subnetDecider } from '../../domain/subnet/subnet.decider.js';
import { subnetStreamId } from '../../domain/subnet/subnet.events.js';
import { DeletePortCommand } from '../networking/networking-flows.command.js';
import { ExecutePortCommand } from '../networking/execute-port-command.command.js';
import type { AggregateExecutor } from '../shared/aggregate-executor.js';
import type { NicStepPorts } from '../workers/steps/nic-step-ports.js';
import type { NetworkAttachmentReconciler } from '../networking/network-attachment-reconciler.js';
import { networkAttachmentRef } from '../networking/network-attachment-spec.js';

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
  const { bus, executor } = deps;
  const loadNetwork = async (networkId: string) => (await executor.load(networkStreamId(networkId), networkDecider)).state;
  return {
    networkAttachment: async (networkId) => {
      const ref = deps.attachments ? await deps.attachments.reconcile(networkId) : null;
      if (ref) return ref;
      const network = await loadNetwork(networkId);
      if (!network) throw new NetworkNotFoundError(networkId);
      return networkAttachmentRef(network);
    },
    cluster: supportsNicHotplug(deps.cluster) ? deps.cluster : null,
    fabric: deps.fabric,
    port: (command, meta) => bus.execute(new ExecutePortCommand(command, meta)),
    loadPort: async (portId) => (await executor.load(portStreamId(portId), portDecider)).state,
    deletePort: (portId, meta) => bus.execute(new DeletePortCommand(portId, meta)),
    switchFor: async (networkId) => {
      const network = (await executor.load(networkStreamId(networkId), networkDecider)).state;
      if (!network || network.deleted) throw new NetworkNotFoundError(networkId);
      const spec: LogicalSwitchSpec = { id: networkId, name: network.name, cidrs: [], excludeIps: [] };
      for (const { subnetId } of network.subnets) {
        const subnet = (await executor.load(subnetStreamId(subnetId), subnetDecider)).state;
        if (!subnet || subnet.deleted) continue;
        const d = subnet.definition;
        spec.cidrs.push(d.cidr);
        if (d.gatewayIp) spec.excludeIps.push(d.gatewayIp);
        for (const r of d.excludedRanges) spec.excludeIps.push(r.start === r.end ? r.start : `${r.start}..${r.end}`);
      }
      return spec;
    },
  };
}

import type { NetworkAttachmentRef, NetworkAttachmentSpec } from '../../adapters/kubernetes/cluster.port.js';
import type { Network, NetworkState } from '../../domain/network/network.state.js';
import type { SubnetDefinition } from '../../domain/subnet/subnet.events.js';
import type { SubnetState } from '../../domain/subnet/subnet.state.js';
import { vmRef } from '../workers/steps/vm-spec.js';

/**
 * Where a network's Multus attachment lives: `net-<network id>` in its project's namespace (the one
 * its project's VMs live in). VMs of other projects on a shared network name it "<namespace>/<nad>",
 * so one Kube-OVN Subnet, tied to the one NAD by its provider, serves them all.
 */
export function networkAttachmentRef(network: { networkId: string; projectId: string }): NetworkAttachmentRef {
  return { namespace: vmRef({ id: '', projectId: network.projectId }).namespace, name: `net-${network.networkId}`.toLowerCase() };
}

/** Reads a network and its subnets; what the cluster should hold for it. */
export interface NetworkAttachmentSources {
  loadNetwork(networkId: string): Promise<NetworkState>;
  loadSubnet(subnetId: string): Promise<SubnetState>;
}

/**
 * The attachment a live network needs: its subnets' CIDRs, gateways and excluded ranges (a subnet
 * being created or deleted is left out until its stream says it exists). null for a network that is
 * absent or deleted, with the ref to remove when it was deleted.
 */
export async function networkAttachmentFor(
  sources: NetworkAttachmentSources,
  networkId: string,
): Promise<{ spec: NetworkAttachmentSpec | null; ref: NetworkAttachmentRef | null }> {
  const network = await sources.loadNetwork(networkId);
  if (!network) return { spec: null, ref: null };
  const ref = networkAttachmentRef(network);
  if (network.deleted) return { spec: null, ref };
  const subnets = (await liveSubnetsOf(sources, network)).map((d) => ({ cidr: d.cidr, gatewayIp: d.gatewayIp, excludeIps: excludedIpsOf(d) }));
  return { spec: { ref, networkId, subnets }, ref };
}

/** The definitions of a network's subnets whose streams say they exist (one being created or deleted is left out). */
export async function liveSubnetsOf(sources: Pick<NetworkAttachmentSources, 'loadSubnet'>, network: Network): Promise<SubnetDefinition[]> {
  const definitions: SubnetDefinition[] = [];
  for (const { subnetId } of network.subnets) {
    const subnet = await sources.loadSubnet(subnetId);
    if (subnet && !subnet.deleted) definitions.push(subnet.definition);
  }
  return definitions;
}

/** What a subnet never hands out, as OVN's and Kube-OVN's exclude_ips read it: its gateway, then its excluded ranges ("first..last"). */
export function excludedIpsOf(d: SubnetDefinition): string[] {
  return [...(d.gatewayIp ? [d.gatewayIp] : []), ...d.excludedRanges.map((r) => (r.start === r.end ? r.start : `${r.start}..${r.end}`))];
}

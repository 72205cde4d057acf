import { findResourceType } from '../resources.js';
import type { KubeObject } from '../store/kube-object.js';
import { drain, isTerminating, objectsToReconcile, types, writeObject, type ClusterContext } from './cluster-context.js';
import { ownerOf, type KubeOvnIpam } from './kube-ovn-ipam.js';
import { networksAnnotation, type NetworkStatusEntry } from './network-status.js';
import type { MultusNetwork } from './launcher-pod.js';

const subnets = findResourceType('kubeovn.io', 'v1', 'subnets')!;

/** The Kube-OVN provider of a NAD: "<nad>.<ns>.ovn" for type kube-ovn, "<nad>.<ns>" for kube-ovn IPAM, else none. */
export function providerOf(nad: KubeObject | undefined): string | null {
  if (!nad) return null;
  let config: { type?: string; provider?: string; ipam?: { type?: string; provider?: string } } = {};
  try {
    config = JSON.parse(nad.spec?.config ?? '{}');
  } catch {
    return null;
  }
  const base = `${nad.metadata.name}.${nad.metadata.namespace}`;
  if (config.type === 'kube-ovn') return config.provider ?? `${base}.ovn`;
  if (config.ipam?.type === 'kube-ovn') return config.ipam.provider ?? base;
  return null;
}

export function podNetworks(pod: KubeObject): MultusNetwork[] {
  try {
    return JSON.parse(pod.metadata.annotations?.[networksAnnotation] ?? '[]') as MultusNetwork[];
  } catch {
    return [];
  }
}

const hash = (text: string) => [...text].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

/**
 * kube-ovn-controller for pods: every provider a pod attaches to gets its address annotations
 * (ip_address, mac_address, cidr, gateway, logical_switch, allocated), fixed ones honoured; the
 * addresses of VMs and pods that are gone are released.
 */
export class KubeOvnController {
  private readonly queue;
  /** An address owner may be gone: a pod, VM or VMI was deleted or a pod relabelled (and at the start). */
  private releaseDue = true;

  constructor(private readonly context: ClusterContext, private readonly ipam: KubeOvnIpam) {
    this.queue = context.workQueue();
    context.service.onChange((change) => {
      const plural = change.resource.plural;
      if (plural !== 'pods' && plural !== 'virtualmachines' && plural !== 'virtualmachineinstances') return;
      if (change.type === 'DELETED' || (plural === 'pods' && change.previous && ownerOf(change.previous) !== ownerOf(change.object))) this.releaseDue = true;
    });
  }

  reconcile(): void {
    drain(this.queue, (taken) => {
      for (const pod of objectsToReconcile(this.context, types.pod, taken)) if (!isTerminating(pod)) this.allocate(pod);
    });
    if (!this.releaseDue) return;
    const { service } = this.context;
    const live = new Set<string>();
    for (const pod of service.scan(types.pod)) live.add(ownerOf(pod as KubeObject));
    for (const vm of service.scan(types.vm)) live.add(`vm:${vm.metadata.namespace}/${vm.metadata.name}`);
    for (const vmi of service.scan(types.vmi)) live.add(`vm:${vmi.metadata.namespace}/${vmi.metadata.name}`);
    this.releaseDue = false;
    this.ipam.releaseUnless((owner) => live.has(owner));
  }

  private allocate(pod: KubeObject): void {
    const annotations = { ...(pod.metadata.annotations ?? {}) };
    const owner = ownerOf(pod);
    const providers: Array<{ provider: string; subnet: SubnetView }> = [{ provider: 'ovn', subnet: this.podSubnet(pod) }];
    for (const network of podNetworks(pod)) {
      const provider = providerOf(this.context.service.find(types.nad, network.namespace, network.name));
      if (provider) providers.push({ provider, subnet: this.providerSubnet(provider) });
    }
    for (const { provider, subnet } of providers) {
      if (annotations[`${provider}.kubernetes.io/allocated`] === 'true') continue;
      const fixedIp = annotations[`${provider}.kubernetes.io/ip_address`];
      const fixedMac = annotations[`${provider}.kubernetes.io/mac_address`];
      const allocation = this.ipam.allocate(owner, provider, subnet.cidr, fixedIp, fixedMac, subnet.excludeIps);
      Object.assign(annotations, {
        [`${provider}.kubernetes.io/ip_address`]: allocation.ip,
        [`${provider}.kubernetes.io/mac_address`]: allocation.mac,
        [`${provider}.kubernetes.io/cidr`]: subnet.cidr,
        [`${provider}.kubernetes.io/gateway`]: subnet.gateway,
        [`${provider}.kubernetes.io/logical_switch`]: annotations[`${provider}.kubernetes.io/logical_switch`] ?? subnet.name,
        [`${provider}.kubernetes.io/allocated`]: 'true',
      });
    }
    if (JSON.stringify(annotations) !== JSON.stringify(pod.metadata.annotations ?? {})) {
      writeObject(this.context, types.pod, { ...pod, metadata: { ...pod.metadata, annotations } });
    }
  }

  private podSubnet(pod: KubeObject): SubnetView {
    const all = this.context.service.list(subnets);
    const named = pod.metadata.annotations?.['ovn.kubernetes.io/logical_switch'];
    const subnet = all.find((s) => s.metadata.name === named) ?? all.find((s) => ((s.spec?.namespaces ?? []) as string[]).includes(pod.metadata.namespace!));
    if (subnet?.spec?.cidrBlock) return subnetView(subnet);
    return { cidr: '10.16.0.0/16', gateway: '10.16.0.1', name: 'ovn-default', excludeIps: [] };
  }

  /** The Kube-OVN Subnet whose provider is this NAD's (its CIDRs, gateways and excludeIps); a made-up /16 when there is none. */
  private providerSubnet(provider: string): SubnetView {
    const subnet = this.context.service.list(subnets).find((s) => s.spec?.provider === provider);
    if (subnet?.spec?.cidrBlock) return subnetView(subnet);
    const second = 100 + (hash(provider) % 100);
    return { cidr: `10.${second}.0.0/16`, gateway: `10.${second}.0.1`, name: provider, excludeIps: [] };
  }
}

interface SubnetView {
  /** Kube-OVN's cidrBlock: "v4", "v6" or "v4,v6". */
  cidr: string;
  gateway: string;
  name: string;
  excludeIps: string[];
}

function subnetView(subnet: KubeObject): SubnetView {
  return { cidr: subnet.spec.cidrBlock, gateway: subnet.spec.gateway ?? '', name: subnet.metadata.name, excludeIps: (subnet.spec.excludeIps ?? []) as string[] };
}

/** The network-status Multus would write for a pod given its attachments and Kube-OVN's annotations. */
export function expectedNetworkStatus(context: ClusterContext, pod: KubeObject): NetworkStatusEntry[] | null {
  const annotations = pod.metadata.annotations ?? {};
  if (annotations['ovn.kubernetes.io/allocated'] !== 'true') return null;
  const entries: NetworkStatusEntry[] = [{
    name: 'kube-ovn', interface: 'eth0', ips: [annotations['ovn.kubernetes.io/ip_address']!], mac: annotations['ovn.kubernetes.io/mac_address']!, default: true, dns: {},
  }];
  for (const network of podNetworks(pod)) {
    const nad = context.service.find(types.nad, network.namespace, network.name);
    if (!nad) return null; // Multus cannot set up the sandbox without its NAD
    const provider = providerOf(nad);
    if (provider && annotations[`${provider}.kubernetes.io/allocated`] !== 'true') return null;
    const ip = provider ? annotations[`${provider}.kubernetes.io/ip_address`] : undefined;
    const mac = network.mac ?? (provider ? annotations[`${provider}.kubernetes.io/mac_address`] : undefined) ?? '02:00:00:00:00:01';
    entries.push({ name: `${network.namespace}/${network.name}`, interface: network.interface, ...(ip ? { ips: ip.split(',') } : {}), mac, dns: {} });
  }
  return entries;
}

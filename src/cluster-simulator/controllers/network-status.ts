import type { KubeObject } from '../store/kube-object.js';
import { podInterfaceName } from './launcher-pod.js';

export const networksAnnotation = 'k8s.v1.cni.cncf.io/networks';
export const networkStatusAnnotation = 'k8s.v1.cni.cncf.io/network-status';

export interface NetworkStatusEntry {
  name: string;
  interface: string;
  ips?: string[];
  mac: string;
  default?: boolean;
  dns: Record<string, never>;
}

/** Kube-OVN's pod annotation for a provider's address: the per-interface key first, then the provider key. */
function annotated(pod: KubeObject, nad: string, namespace: string, podIfName: string, field: 'ip_address' | 'mac_address'): string | undefined {
  const annotations = pod.metadata.annotations ?? {};
  const perInterface = annotations[`${nad}.${namespace}.kubernetes.io/${field}.${podIfName}`];
  if (perInterface) return perInterface;
  for (const provider of [`${nad}.${namespace}.ovn`, `${nad}.${namespace}`]) {
    const value = annotations[`${provider}.kubernetes.io/${field}`];
    if (value) return value;
  }
  return undefined;
}

export function splitNetworkName(networkName: string, namespace: string): { namespace: string; name: string } {
  const [ns, name] = networkName.includes('/') ? networkName.split('/') : [namespace, networkName];
  return { namespace: ns!, name: name! };
}

/**
 * VMI status.interfaces as virt-handler reports them, with KubeVirt's infoSource: `multus-status`
 * for an interface Multus reports in the pod's network-status, `domain, guest-agent` once it is in
 * the libvirt domain (`inDomain`, the domain's NICs by interface name). A hotplugged NIC is listed
 * from `multus-status` alone until virt-handler has plugged it into the domain; an unplugged one
 * loses `domain` first and leaves the list once its pod network is gone. The pod network's address
 * comes from the ovn.kubernetes.io annotations, each Multus network's from its provider's.
 */
export function interfacesFor(vmi: KubeObject, pod: KubeObject, inDomain: ReadonlySet<string>): Array<Record<string, unknown>> {
  const interfaces = (vmi.spec?.domain?.devices?.interfaces ?? []) as Array<{ name: string; state?: string }>;
  const networks = (vmi.spec?.networks ?? []) as Array<{ name: string; pod?: unknown; multus?: { networkName: string; default?: boolean } }>;
  let statusList: NetworkStatusEntry[] = [];
  try {
    statusList = JSON.parse(pod.metadata.annotations?.[networkStatusAnnotation] ?? '[]') as NetworkStatusEntry[];
  } catch {
    statusList = [];
  }
  const result: Array<Record<string, unknown>> = [];
  let guestIndex = 0;
  for (const iface of interfaces) {
    const network = networks.find((n) => n.name === iface.name);
    if (!network) continue;
    const domain = inDomain.has(iface.name);
    let ip: string | undefined;
    let mac: string | undefined;
    let podIfName: string;
    let inPod: boolean;
    if (network.pod !== undefined || network.multus?.default) {
      podIfName = 'eth0';
      const entry = statusList.find((s) => s.interface === 'eth0');
      inPod = entry !== undefined;
      ip = pod.metadata.annotations?.['ovn.kubernetes.io/ip_address'] ?? entry?.ips?.[0] ?? pod.status?.podIP;
      mac = pod.metadata.annotations?.['ovn.kubernetes.io/mac_address'] ?? entry?.mac;
    } else if (network.multus) {
      podIfName = podInterfaceName(network.name);
      const entry = statusList.find((s) => s.interface === podIfName);
      inPod = entry !== undefined;
      const { namespace, name } = splitNetworkName(network.multus.networkName, vmi.metadata.namespace!);
      ip = annotated(pod, name, namespace, podIfName, 'ip_address') ?? entry?.ips?.[0];
      mac = annotated(pod, name, namespace, podIfName, 'mac_address') ?? entry?.mac;
    } else continue;
    if (!inPod && !domain) continue; // neither attached to the pod yet nor in the domain (any more)
    const infoSource = [...(domain ? ['domain', 'guest-agent'] : []), ...(inPod ? ['multus-status'] : [])].join(', ');
    result.push({
      name: iface.name,
      // the guest's own name for it and its link come from the domain and the guest agent
      ...(domain ? { interfaceName: `eth${guestIndex++}` } : {}),
      podInterfaceName: podIfName,
      ...(ip ? { ipAddress: ip, ipAddresses: ip.split(',') } : {}), ...(mac ? { mac } : {}),
      infoSource,
      ...(domain ? { linkState: iface.state === 'down' ? 'down' : 'up', queueCount: 1 } : {}),
    });
  }
  return result;
}

/** What KubeVirt boots the domain with: the interfaces the pod has (not one marked absent). */
export function interfacesAtBoot(vmi: KubeObject, pod: KubeObject): string[] {
  const absent = new Set(((vmi.spec?.domain?.devices?.interfaces ?? []) as Array<{ name: string; state?: string }>).filter((i) => i.state === 'absent').map((i) => i.name));
  return interfacesFor(vmi, pod, new Set()).map((i) => i.name as string).filter((name) => !absent.has(name));
}

/** The interfaces a VMI's status lists with the given infoSource (KubeVirt's ", "-joined list). */
export function listedFrom(vmi: KubeObject, source: 'domain' | 'multus-status'): Array<{ name: string; mac?: string; podInterfaceName?: string }> {
  return ((vmi.status?.interfaces ?? []) as Array<{ name: string; mac?: string; podInterfaceName?: string; infoSource?: string }>)
    .filter((i) => (i.infoSource ?? '').split(',').some((part) => part.trim() === source));
}

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
 * VMI status.interfaces as virt-handler reports them: the pod network's address from the
 * ovn.kubernetes.io annotations, each attached Multus network's from its provider's annotations,
 * only for interfaces Multus reports in the pod's network-status.
 */
export function interfacesFor(vmi: KubeObject, pod: KubeObject): Array<Record<string, unknown>> {
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
    if (iface.state === 'absent') continue;
    const network = networks.find((n) => n.name === iface.name);
    if (!network) continue;
    let ip: string | undefined;
    let mac: string | undefined;
    let podIfName: string;
    if (network.pod !== undefined || network.multus?.default) {
      podIfName = 'eth0';
      const entry = statusList.find((s) => s.interface === 'eth0');
      ip = pod.metadata.annotations?.['ovn.kubernetes.io/ip_address'] ?? entry?.ips?.[0] ?? pod.status?.podIP;
      mac = pod.metadata.annotations?.['ovn.kubernetes.io/mac_address'] ?? entry?.mac;
    } else if (network.multus) {
      podIfName = podInterfaceName(network.name);
      const entry = statusList.find((s) => s.interface === podIfName);
      if (!entry) continue; // not attached to the pod yet
      const { namespace, name } = splitNetworkName(network.multus.networkName, vmi.metadata.namespace!);
      ip = annotated(pod, name, namespace, podIfName, 'ip_address') ?? entry.ips?.[0];
      mac = annotated(pod, name, namespace, podIfName, 'mac_address') ?? entry.mac;
    } else continue;
    result.push({
      name: iface.name, interfaceName: `eth${guestIndex++}`, podInterfaceName: podIfName,
      ...(ip ? { ipAddress: ip, ipAddresses: ip.split(',') } : {}), ...(mac ? { mac } : {}),
      infoSource: 'domain, guest-agent, multus-status', linkState: iface.state === 'down' ? 'down' : 'up', queueCount: 1,
    });
  }
  return result;
}

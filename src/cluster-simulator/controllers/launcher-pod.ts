import { createHash } from 'node:crypto';
import { ownerReference, type KubeObject } from '../store/kube-object.js';
import { memoryBytes, parseQuantity } from './quantities.js';

export const launcherImage = 'quay.io/kubevirt/virt-launcher:v1.9.0';

/** vCPUs the domain boots with, and the most it can hot-plug to (maxSockets × cores × threads). */
export function vcpusOf(vmi: KubeObject): { vcpus: number; maxVcpus: number; sockets: number; cores: number; threads: number } {
  const cpu = vmi.spec?.domain?.cpu ?? {};
  const sockets = cpu.sockets ?? 1;
  const cores = cpu.cores ?? 1;
  const threads = cpu.threads ?? 1;
  const maxSockets = cpu.maxSockets ?? sockets * 4;
  return { vcpus: sockets * cores * threads, maxVcpus: maxSockets * cores * threads, sockets, cores, threads };
}

/** Guest memory in bytes (memory.guest, else resources.requests.memory) and its hotplug ceiling. */
export function guestMemoryOf(vmi: KubeObject): { guest: number; maxGuest: number } {
  const domain = vmi.spec?.domain ?? {};
  const guest = memoryBytes(domain.memory?.guest ?? domain.resources?.requests?.memory ?? '128Mi');
  const maxGuest = domain.memory?.maxGuest !== undefined ? memoryBytes(domain.memory.maxGuest) : guest * 4;
  return { guest, maxGuest };
}

/** KubeVirt names secondary pod interfaces "pod" + 11 hex characters of sha256(network name). */
export const podInterfaceName = (networkName: string): string => `pod${createHash('sha256').update(networkName).digest('hex').slice(0, 11)}`;

const filteredAnnotation = (key: string) =>
  key.startsWith('kubectl.kubernetes.io') || key === 'kubevirt.io/latest-observed-api-version' || key === 'kubevirt.io/storage-observed-api-version';

export interface MultusNetwork { name: string; namespace: string; interface: string; mac?: string }

/** The k8s.v1.cni.cncf.io/networks entries KubeVirt generates from spec.networks[].multus. */
export function multusNetworks(vmi: KubeObject, stillInDomain: ReadonlySet<string> = new Set()): MultusNetwork[] {
  const interfaces = (vmi.spec?.domain?.devices?.interfaces ?? []) as Array<{ name: string; macAddress?: string; state?: string }>;
  return ((vmi.spec?.networks ?? []) as Array<{ name: string; multus?: { networkName: string; default?: boolean } }>)
    .filter((n) => n.multus && !n.multus.default)
    // virt-controller unplugs an absent interface's pod network only once it is out of the domain
    .filter((n) => interfaces.find((i) => i.name === n.name)?.state !== 'absent' || stillInDomain.has(n.name))
    .map((n) => {
      const [namespace, name] = n.multus!.networkName.includes('/') ? n.multus!.networkName.split('/') : [vmi.metadata.namespace!, n.multus!.networkName];
      const mac = interfaces.find((i) => i.name === n.name)?.macAddress;
      return { name: name!, namespace: namespace!, interface: podInterfaceName(n.name), ...(mac ? { mac } : {}) };
    });
}

/**
 * The virt-launcher pod virt-controller makes for a VMI: labels kubevirt.io=virt-launcher,
 * kubevirt.io/created-by=<vmi uid>, vm.kubevirt.io/name; the VMI's annotations (but kubectl's and
 * two internal ones); the Multus networks annotation; container "compute" requesting the guest's
 * memory and, unless the VMI asks for more, 100m per vCPU (KubeVirt's cpuAllocationRatio 10).
 */
export function launcherPodFor(vmi: KubeObject, options: { excludeNode?: string; migrationUid?: string } = {}): KubeObject {
  const { vcpus } = vcpusOf(vmi);
  const { guest } = guestMemoryOf(vmi);
  const resources = vmi.spec?.domain?.resources ?? {};
  const requests = {
    cpu: resources.requests?.cpu ?? `${vcpus * 100}m`,
    memory: resources.requests?.memory !== undefined && memoryBytes(resources.requests.memory) > guest ? resources.requests.memory : `${Math.ceil(guest / 2 ** 20)}Mi`,
  };
  const annotations: Record<string, string> = { 'kubevirt.io/domain': vmi.metadata.name };
  for (const [key, value] of Object.entries(vmi.metadata.annotations ?? {})) if (!filteredAnnotation(key)) annotations[key] = value;
  const networks = multusNetworks(vmi);
  if (networks.length > 0) annotations['k8s.v1.cni.cncf.io/networks'] = JSON.stringify(networks);
  const affinity = options.excludeNode
    ? { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'NotIn', values: [options.excludeNode] }] }] } } }
    : vmi.spec?.affinity;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      generateName: `virt-launcher-${vmi.metadata.name}-`,
      labels: {
        ...(vmi.metadata.labels ?? {}),
        'kubevirt.io': 'virt-launcher', 'kubevirt.io/created-by': vmi.metadata.uid, 'vm.kubevirt.io/name': vmi.metadata.name,
        ...(options.migrationUid ? { 'kubevirt.io/migrationJobUID': options.migrationUid } : {}),
      },
      annotations,
      ownerReferences: [ownerReference(vmi)],
    } as unknown as KubeObject['metadata'],
    spec: {
      containers: [{
        name: 'compute', image: launcherImage, command: ['/usr/bin/virt-launcher-monitor', '--qemu-timeout', '300s', '--name', vmi.metadata.name, '--namespace', vmi.metadata.namespace],
        resources: { requests, ...(resources.limits ? { limits: resources.limits } : {}) },
      }],
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: (vmi.spec?.terminationGracePeriodSeconds ?? 30) + 15,
      ...(vmi.spec?.nodeSelector ? { nodeSelector: vmi.spec.nodeSelector } : {}),
      ...(affinity ? { affinity } : {}),
    },
  };
}

export const cpuOfRequest = (pod: KubeObject): number => parseQuantity(pod.spec?.containers?.[0]?.resources?.requests?.cpu ?? 0);

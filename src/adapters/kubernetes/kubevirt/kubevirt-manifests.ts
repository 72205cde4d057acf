import { kubeOvnProvider, PROJECT_ID_LABEL, VM_ID_LABEL, type NicSpec, type VmSpec } from '../cluster.port.js';

/** Object shapes as the API server takes them; only the fields we write. */
export type KubeObject = Record<string, unknown> & { apiVersion: string; kind: string; metadata: Record<string, unknown> };

export const KUBEVIRT = { group: 'kubevirt.io', version: 'v1' } as const;
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'virtplane';

/** The Secret holding a VM's cloud-init user data (never inline: user data may hold credentials). */
export const userDataSecretName = (vmName: string): string => `${vmName}-userdata`;
export const rootDataVolumeName = (vmName: string): string => `${vmName}-root`;

export function namespaceManifest(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } } };
}

export function userDataSecretManifest(spec: VmSpec, userData: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: userDataSecretName(spec.ref.name),
      namespace: spec.ref.namespace,
      labels: { [VM_ID_LABEL]: spec.vmId, [MANAGED_BY_LABEL]: MANAGED_BY },
    },
    type: 'Opaque',
    // KubeVirt reads the key "userdata" of a NoCloud secretRef.
    stringData: { userdata: userData },
  };
}

/**
 * The VirtualMachine for a spec (kubevirt-api.md §1). One core and one thread per socket, so sockets
 * are the vCPU count and maxSockets the CPU hotplug headroom; memory guest/maxGuest likewise.
 * Kube-OVN's fixed addresses go on the template (they reach the launcher pod), Multus networks in
 * spec.networks (KubeVirt writes the pod's networks annotation itself).
 */
export function virtualMachineManifest(spec: VmSpec): KubeObject {
  const { namespace } = spec.ref;
  const { name } = spec.ref;
  const persistent = spec.rootDiskGiB !== undefined || spec.image.startsWith('oci-archive://');
  const nics = spec.nics ?? [];
  const volumes: unknown[] = [
    persistent ? { name: 'root', dataVolume: { name: rootDataVolumeName(name) } } : { name: 'root', containerDisk: { image: containerDiskImage(spec.image) } },
  ];
  const disks: unknown[] = [{ name: 'root', disk: { bus: 'virtio' } }];
  if (spec.userData !== null) {
    disks.push({ name: 'cloudinit', disk: { bus: 'virtio' } });
    volumes.push({ name: 'cloudinit', cloudInitNoCloud: { secretRef: { name: userDataSecretName(name) } } });
  }
  const vm: KubeObject = {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name, namespace, labels: vmLabels(spec) },
    spec: {
      runStrategy: spec.runStrategy,
      ...(persistent ? { dataVolumeTemplates: [rootDataVolumeTemplate(spec)] } : {}),
      template: {
        metadata: { labels: vmLabels(spec), annotations: templateAnnotations(spec, nics) },
        spec: {
          domain: {
            cpu: { sockets: spec.cpu.sockets, cores: 1, threads: 1, maxSockets: spec.cpu.maxSockets },
            memory: { guest: `${spec.memory.guestMiB}Mi`, maxGuest: `${spec.memory.maxGuestMiB}Mi` },
            // A whole CPU per vCPU (KubeVirt's default is a tenth): no CPU overcommit, so placement
            // agrees with the quota and with listNodes' accounting.
            resources: { requests: { cpu: String(spec.cpu.sockets) } },
            devices: { disks, interfaces: [{ name: 'default', bridge: {} }, ...nics.map(nicInterface)] },
          },
          networks: [{ name: 'default', pod: {} }, ...nics.map(nicNetwork)],
          terminationGracePeriodSeconds: 30,
          volumes,
        },
      },
    },
  };
  return vm;
}

export function nicInterface(nic: NicSpec): Record<string, unknown> {
  return { name: nic.name, bridge: {}, ...(nic.macAddress ? { macAddress: nic.macAddress } : {}) };
}

/** The NIC's Multus network; `nic.network` is already the cluster's namespace and name. */
export function nicNetwork(nic: NicSpec): Record<string, unknown> {
  return { name: nic.name, multus: { networkName: `${nic.network.namespace}/${nic.network.name}` } };
}

/** The NIC's fixed address and MAC as Kube-OVN reads them, under its NAD's provider (kubevirt-api.md §1). */
export function kubeOvnAnnotations(nic: NicSpec): Record<string, string> {
  const provider = kubeOvnProvider(nic.network);
  return {
    ...(nic.ipAddress ? { [`${provider}.kubernetes.io/ip_address`]: nic.ipAddress } : {}),
    ...(nic.macAddress ? { [`${provider}.kubernetes.io/mac_address`]: nic.macAddress } : {}),
  };
}

function vmLabels(spec: VmSpec): Record<string, string> {
  return { ...spec.labels, [VM_ID_LABEL]: spec.vmId, [PROJECT_ID_LABEL]: spec.projectId, [MANAGED_BY_LABEL]: MANAGED_BY };
}

function templateAnnotations(spec: VmSpec, nics: NicSpec[]): Record<string, string> {
  // Bridge binding on the pod network is only live-migratable with this opt-in (kubevirt-api.md §1).
  const annotations: Record<string, string> = { 'kubevirt.io/allow-pod-bridge-network-live-migration': 'true' };
  const pod = spec.podNetwork;
  if (pod?.logicalSwitch) annotations['ovn.kubernetes.io/logical_switch'] = pod.logicalSwitch;
  if (pod?.ipAddress) annotations['ovn.kubernetes.io/ip_address'] = pod.ipAddress;
  if (pod?.macAddress) annotations['ovn.kubernetes.io/mac_address'] = pod.macAddress;
  for (const nic of nics) Object.assign(annotations, kubeOvnAnnotations(nic));
  return annotations;
}

function rootDataVolumeTemplate(spec: VmSpec): Record<string, unknown> {
  return {
    metadata: { name: rootDataVolumeName(spec.ref.name) },
    spec: {
      source: { registry: { url: spec.image } },
      storage: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: `${spec.rootDiskGiB ?? 10}Gi` } } },
    },
  };
}

/** containerDisk takes a plain image reference, without the docker:// scheme CDI wants. */
function containerDiskImage(image: string): string {
  return image.replace(/^docker:\/\//, '');
}

export function migrationManifest(namespace: string, name: string, vmiName: string, targetNode?: string): KubeObject {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstanceMigration',
    metadata: { name, namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
    spec: { vmiName, ...(targetNode ? { addedNodeSelector: { 'kubernetes.io/hostname': targetNode } } : {}) },
  };
}

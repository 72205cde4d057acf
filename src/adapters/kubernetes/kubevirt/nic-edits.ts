import { PermanentAdapterError, TransientAdapterError } from '../../adapter-errors.js';
import type { NicSpec, VmRef } from '../cluster.port.js';
import type { CustomObject, KubeApi } from './kube-api.js';
import { KubeApiError } from './kube-errors.js';
import { kubeOvnAnnotations, nicInterface, nicNetwork } from './kubevirt-manifests.js';
import { findLauncherPod } from './launcher-pod.js';

type Iface = Record<string, unknown> & { name: string; state?: string };
type Network = Record<string, unknown> & { name: string };

/**
 * NIC hotplug by editing the VM template (kubevirt-api.md §7). A merge patch replaces whole lists,
 * so it sends the complete interfaces and networks, and carries the resourceVersion it read: a
 * change in between (KubeVirt clearing an unplugged NIC, another edit) is a 409, re-read and retried.
 *
 * The port's fixed IP and MAC are Kube-OVN's `<provider>.kubernetes.io/*` annotations (§1). Kube-OVN
 * reads them from the launcher pod when the new attachment shows in the pod's networks annotation,
 * and a hotplug keeps the pod, so they go on the live launcher pod first (before virt-controller
 * rewrites that annotation) and on the VM template too, where the next pod (restart, migration
 * target) gets them.
 */
export async function attachNic(api: KubeApi, ref: VmRef, nic: NicSpec): Promise<void> {
  const vm = await mustExist(api, ref);
  const { interfaces, networks } = templateNics(vm);
  const existing = interfaces.find((i) => i.name === nic.name);
  if (existing && existing.state !== 'absent') return;
  if (existing) throw new TransientAdapterError('NicDetaching', `NIC ${nic.name} of ${ref.namespace}/${ref.name} is still being unplugged`);
  const annotations = kubeOvnAnnotations(nic);
  if (Object.keys(annotations).length > 0) await annotateLauncherPod(api, ref, annotations);
  const nextNetworks = networks.some((n) => n.name === nic.name) ? networks : [...networks, nicNetwork(nic) as Network];
  await patchNics(api, ref, vm, [...interfaces, nicInterface(nic) as Iface], nextNetworks, annotations);
}

/** A merge patch of the running launcher pod's annotations (none running: the template is enough). */
async function annotateLauncherPod(api: KubeApi, ref: VmRef, annotations: Record<string, string>): Promise<void> {
  const pod = await findLauncherPod(api, ref);
  const name = pod?.metadata?.name;
  if (!name) return;
  const current = pod.metadata?.annotations ?? {};
  if (Object.entries(annotations).every(([k, v]) => current[k] === v)) return;
  try {
    await api.patchPodMetadata(ref.namespace, name, { annotations });
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return; // the pod went away (stopped): the template is enough
    throw error;
  }
}

/** Unplug is `state: absent` on the interface; the network stays until KubeVirt clears both. */
export async function detachNic(api: KubeApi, ref: VmRef, nicName: string): Promise<void> {
  const vm = await mustExist(api, ref);
  const { interfaces } = templateNics(vm);
  const existing = interfaces.find((i) => i.name === nicName);
  if (!existing || existing.state === 'absent') return;
  const next = interfaces.map((i) => (i.name === nicName ? { ...i, state: 'absent' } : i));
  await patchNics(api, ref, vm, next, undefined, {});
}

async function patchNics(
  api: KubeApi,
  ref: VmRef,
  vm: CustomObject,
  interfaces: Iface[],
  networks: Network[] | undefined,
  annotations: Record<string, string>,
): Promise<void> {
  const template = {
    ...(Object.keys(annotations).length > 0 ? { metadata: { annotations } } : {}),
    spec: { domain: { devices: { interfaces } }, ...(networks ? { networks } : {}) },
  };
  const body = { metadata: { resourceVersion: vm.metadata.resourceVersion }, spec: { template } };
  await api.patchCustom('virtualmachines', ref.namespace, ref.name, body, 'application/merge-patch+json');
}

function templateNics(vm: CustomObject): { interfaces: Iface[]; networks: Network[] } {
  const spec = ((vm.spec?.template as { spec?: Record<string, unknown> } | undefined)?.spec ?? {}) as {
    domain?: { devices?: { interfaces?: Iface[] } };
    networks?: Network[];
  };
  return { interfaces: spec.domain?.devices?.interfaces ?? [], networks: spec.networks ?? [] };
}

async function mustExist(api: KubeApi, ref: VmRef): Promise<CustomObject> {
  const vm = await api.getCustom('virtualmachines', ref.namespace, ref.name);
  if (!vm) throw new PermanentAdapterError('VmNotFound', `virtualmachines "${ref.name}" not found in ${ref.namespace}`);
  return vm;
}

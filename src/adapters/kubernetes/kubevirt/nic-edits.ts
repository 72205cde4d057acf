import { PermanentAdapterError, TransientAdapterError } from '../../adapter-errors.js';
import type { NicSpec, VmRef } from '../cluster.port.js';
import type { CustomObject, KubeApi } from './kube-api.js';
import { nicInterface, nicNetwork } from './kubevirt-manifests.js';

type Iface = Record<string, unknown> & { name: string; state?: string };
type Network = Record<string, unknown> & { name: string };

/**
 * NIC hotplug by editing the VM template (kubevirt-api.md §7). A merge patch replaces whole lists,
 * so it sends the complete interfaces and networks, and carries the resourceVersion it read: a
 * change in between (KubeVirt clearing an unplugged NIC, another edit) is a 409, re-read and retried.
 */
export async function attachNic(api: KubeApi, ref: VmRef, nic: NicSpec): Promise<void> {
  const vm = await mustExist(api, ref);
  const { interfaces, networks } = templateNics(vm);
  const existing = interfaces.find((i) => i.name === nic.name);
  if (existing && existing.state !== 'absent') return;
  if (existing) throw new TransientAdapterError('NicDetaching', `NIC ${nic.name} of ${ref.namespace}/${ref.name} is still being unplugged`);
  const nextNetworks = networks.some((n) => n.name === nic.name) ? networks : [...networks, nicNetwork(nic) as Network];
  await patchNics(api, ref, vm, [...interfaces, nicInterface(nic) as Iface], nextNetworks);
}

/** Unplug is `state: absent` on the interface; the network stays until KubeVirt clears both. */
export async function detachNic(api: KubeApi, ref: VmRef, nicName: string): Promise<void> {
  const vm = await mustExist(api, ref);
  const { interfaces } = templateNics(vm);
  const existing = interfaces.find((i) => i.name === nicName);
  if (!existing || existing.state === 'absent') return;
  const next = interfaces.map((i) => (i.name === nicName ? { ...i, state: 'absent' } : i));
  await patchNics(api, ref, vm, next, undefined);
}

async function patchNics(api: KubeApi, ref: VmRef, vm: CustomObject, interfaces: Iface[], networks: Network[] | undefined): Promise<void> {
  const body = {
    metadata: { resourceVersion: vm.metadata.resourceVersion },
    spec: { template: { spec: { domain: { devices: { interfaces } }, ...(networks ? { networks } : {}) } } },
  };
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

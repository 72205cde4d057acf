import { PermanentAdapterError } from '../../adapter-errors.js';
import type { VmRef } from '../cluster.port.js';
import type { VmTemplateSize } from '../vm-size-cluster.port.js';
import type { KubeApi } from './kube-api.js';
import { quantityMiB } from './quantities.js';

type Domain = { cpu?: { sockets?: number; maxSockets?: number }; memory?: { guest?: string; maxGuest?: string }; resources?: { requests?: { cpu?: string } } };

/**
 * Writes the VM template's size (what the next boot gets) as a merge patch of only the fields that
 * differ, guarded by the resourceVersion read (a concurrent edit is a 409; the caller re-reads and
 * retries). Under KubeVirt's LiveUpdate rollout, sockets and guest are live-updatable but the CPU
 * request and the maxima are not: touching those on a running VM would set RestartRequired, after
 * which no change (NIC hotplug included) propagates. So the whole-CPU request follows the sockets
 * only while no VMI runs; until then the launcher pod resize carries the live request.
 */
export async function setVmSize(api: KubeApi, ref: VmRef, size: VmTemplateSize): Promise<void> {
  const vm = await api.getCustom('virtualmachines', ref.namespace, ref.name);
  if (!vm) throw new PermanentAdapterError('VmNotFound', `virtualmachines "${ref.name}" not found in ${ref.namespace}`);
  const domain = ((vm.spec?.template as { spec?: { domain?: Domain } } | undefined)?.spec?.domain ?? {}) as Domain;
  const cpu: Record<string, number> = {};
  if (domain.cpu?.sockets !== size.vcpus) cpu.sockets = size.vcpus;
  if (domain.cpu?.maxSockets !== size.maxVcpus) cpu.maxSockets = size.maxVcpus;
  const memory: Record<string, string> = {};
  if (quantityMiB(domain.memory?.guest) !== size.memoryMiB) memory.guest = `${size.memoryMiB}Mi`;
  if (quantityMiB(domain.memory?.maxGuest) !== size.maxMemoryMiB) memory.maxGuest = `${size.maxMemoryMiB}Mi`;
  const running = (await api.getCustom('virtualmachineinstances', ref.namespace, ref.name)) !== null;
  const request = !running && domain.resources?.requests?.cpu !== String(size.vcpus) ? { resources: { requests: { cpu: String(size.vcpus) } } } : {};
  const patch = {
    ...(Object.keys(cpu).length > 0 ? { cpu } : {}),
    ...(Object.keys(memory).length > 0 ? { memory } : {}),
    ...request,
  };
  if (Object.keys(patch).length === 0) return;
  const body = { metadata: { resourceVersion: vm.metadata.resourceVersion }, spec: { template: { spec: { domain: patch } } } };
  await api.patchCustom('virtualmachines', ref.namespace, ref.name, body, 'application/merge-patch+json');
}

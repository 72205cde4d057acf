import { PermanentAdapterError } from '../../adapter-errors.js';
import type { VmRef } from '../cluster.port.js';
import type { VmTemplateSize } from '../vm-size-cluster.port.js';
import type { CustomObject, KubeApi } from './kube-api.js';
import { quantityMiB } from './quantities.js';

type Domain = { cpu?: { sockets?: number; maxSockets?: number }; memory?: { guest?: string; maxGuest?: string }; resources?: { requests?: { cpu?: string } } };

/**
 * The size a running VM's next boot gets, while its VMI runs (an in-place hot resize, or an undo of
 * one). Why an annotation and not the template: the cluster runs KubeVirt's vmRolloutStrategy
 * LiveUpdate (NIC hotplug needs it, and it is a cluster-wide setting, so Stage is not an option),
 * and under LiveUpdate a template sockets/guest edit on a running VM makes KubeVirt hot-plug by
 * migrating to a new pod, or, for memory on a VM that cannot migrate, sets RestartRequired, after
 * which no template change (NIC hotplug included) reaches the VM until it reboots. The annotation is
 * metadata, which KubeVirt does not roll out; foldBootSize writes it into the template whenever this
 * adapter starts or restarts the VM.
 */
export const BOOT_SIZE_ANNOTATION = 'virtplane.io/boot-size';

/**
 * Writes the size the next boot gets. With no VMI, straight into the template (sockets, maxSockets,
 * guest, maxGuest and the whole-CPU request) as a merge patch of only the fields that differ; with a
 * VMI running, into the boot-size annotation (see above). Guarded by the resourceVersion read (a
 * concurrent edit is a 409; the caller re-reads and retries).
 */
export async function setVmSize(api: KubeApi, ref: VmRef, size: VmTemplateSize): Promise<void> {
  const vm = await mustGetVm(api, ref);
  const running = (await api.getCustom('virtualmachineinstances', ref.namespace, ref.name)) !== null;
  if (running) {
    const wanted = JSON.stringify(size);
    if (bootSizeOf(vm) === wanted) return;
    const body = { metadata: { resourceVersion: vm.metadata.resourceVersion, annotations: { [BOOT_SIZE_ANNOTATION]: wanted } } };
    await api.patchCustom('virtualmachines', ref.namespace, ref.name, body, 'application/merge-patch+json');
    return;
  }
  await writeTemplateSize(api, ref, vm, size);
}

/**
 * Before this adapter starts or restarts a VM: a boot size left by an in-place hot resize goes into
 * the template, so the new VMI boots with it. For a restart the VMI still runs when this is written;
 * KubeVirt may begin a live update in the moment before the restart replaces the VMI, which the
 * restart then ends.
 */
export async function foldBootSize(api: KubeApi, ref: VmRef): Promise<void> {
  const vm = await api.getCustom('virtualmachines', ref.namespace, ref.name);
  const saved = (vm ? bootSizeOf(vm) : undefined);
  if (!vm || saved === undefined) return;
  await writeTemplateSize(api, ref, vm, JSON.parse(saved) as VmTemplateSize);
}

/**
 * KubeVirt's live update (kubevirt-api.md §5): the template's sockets and guest memory on a running
 * VM, which KubeVirt rolls out by migrating it to a bigger launcher pod. The maxima and the CPU
 * request are not touched (changing them on a running VM is RestartRequired). A boot size left by an
 * in-place resize is dropped: the template is the record again.
 */
export async function liveUpdateVmSize(api: KubeApi, ref: VmRef, size: { vcpus: number; memoryMiB: number }): Promise<void> {
  const vm = await mustGetVm(api, ref);
  const domain = templateDomain(vm);
  const cpu = domain.cpu?.sockets !== size.vcpus ? { cpu: { sockets: size.vcpus } } : {};
  const memory = quantityMiB(domain.memory?.guest) !== size.memoryMiB ? { memory: { guest: `${size.memoryMiB}Mi` } } : {};
  const dropBootSize = bootSizeOf(vm) !== undefined;
  if (Object.keys(cpu).length === 0 && Object.keys(memory).length === 0 && !dropBootSize) return;
  const body = {
    metadata: { resourceVersion: vm.metadata.resourceVersion, ...(dropBootSize ? { annotations: { [BOOT_SIZE_ANNOTATION]: null } } : {}) },
    spec: { template: { spec: { domain: { ...cpu, ...memory } } } },
  };
  await api.patchCustom('virtualmachines', ref.namespace, ref.name, body, 'application/merge-patch+json');
}

async function writeTemplateSize(api: KubeApi, ref: VmRef, vm: CustomObject, size: VmTemplateSize): Promise<void> {
  const domain = templateDomain(vm);
  const cpu: Record<string, number> = {};
  if (domain.cpu?.sockets !== size.vcpus) cpu.sockets = size.vcpus;
  if (domain.cpu?.maxSockets !== size.maxVcpus) cpu.maxSockets = size.maxVcpus;
  const memory: Record<string, string> = {};
  if (quantityMiB(domain.memory?.guest) !== size.memoryMiB) memory.guest = `${size.memoryMiB}Mi`;
  if (quantityMiB(domain.memory?.maxGuest) !== size.maxMemoryMiB) memory.maxGuest = `${size.maxMemoryMiB}Mi`;
  const request = domain.resources?.requests?.cpu !== String(size.vcpus) ? { resources: { requests: { cpu: String(size.vcpus) } } } : {};
  const patch = {
    ...(Object.keys(cpu).length > 0 ? { cpu } : {}),
    ...(Object.keys(memory).length > 0 ? { memory } : {}),
    ...request,
  };
  const dropBootSize = bootSizeOf(vm) !== undefined;
  if (Object.keys(patch).length === 0 && !dropBootSize) return;
  const body = {
    metadata: { resourceVersion: vm.metadata.resourceVersion, ...(dropBootSize ? { annotations: { [BOOT_SIZE_ANNOTATION]: null } } : {}) },
    ...(Object.keys(patch).length > 0 ? { spec: { template: { spec: { domain: patch } } } } : {}),
  };
  await api.patchCustom('virtualmachines', ref.namespace, ref.name, body, 'application/merge-patch+json');
}

function bootSizeOf(vm: CustomObject): string | undefined {
  return (vm.metadata.annotations as Record<string, string> | undefined)?.[BOOT_SIZE_ANNOTATION];
}

function templateDomain(vm: CustomObject): Domain {
  return ((vm.spec?.template as { spec?: { domain?: Domain } } | undefined)?.spec?.domain ?? {}) as Domain;
}

async function mustGetVm(api: KubeApi, ref: VmRef): Promise<CustomObject> {
  const vm = await api.getCustom('virtualmachines', ref.namespace, ref.name);
  if (!vm) throw new PermanentAdapterError('VmNotFound', `virtualmachines "${ref.name}" not found in ${ref.namespace}`);
  return vm;
}

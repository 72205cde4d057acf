import type { V1Pod } from '@kubernetes/client-node';
import {
  VM_ID_LABEL,
  type MigrationObservation,
  type MigrationPhase,
  type MigrationState,
  type PodResizeObservation,
  type PrintableStatus,
  type RunStrategy,
  type VmCondition,
  type VmObservation,
  type VmRef,
  type VmiObservation,
  type VmiPhase,
} from '../cluster.port.js';
import type { CustomObject } from './kube-api.js';
import { quantityCpu, quantityMiB } from './quantities.js';

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The port's view of a VirtualMachine and its VMI (null when there is none) as KubeVirt reports them. */
export function observeVirtualMachine(vm: CustomObject, vmi: CustomObject | null, ref: VmRef): VmObservation {
  const status = obj(vm.status);
  const live = vmi && !isStaleVmi(vmi) ? vmi : null;
  const vmiConditions = live ? conditionsOf(live.status) : [];
  const vmConditions = conditionsOf(status);
  const conditions = [...vmConditions, ...vmiConditions.filter((c) => !vmConditions.some((v) => v.type === c.type))];
  const printable = vm.metadata.deletionTimestamp ? 'Terminating' : ((str(status.printableStatus) as PrintableStatus | undefined) ?? beforeController(vm));
  return {
    ref,
    vmId: vm.metadata.labels?.[VM_ID_LABEL] ?? '',
    exists: true,
    uid: vm.metadata.uid ?? '',
    runStrategy: (str(obj(vm.spec).runStrategy) ?? 'Halted') as RunStrategy,
    labels: { ...(vm.metadata.labels ?? {}) },
    printableStatus: printable,
    vmiPhase: live ? ((str(obj(live.status).phase) as VmiPhase | undefined) ?? 'Pending') : null,
    vmiUid: live?.metadata.uid ?? null,
    node: live ? (str(obj(live.status).nodeName) ?? null) : null,
    paused: vmiConditions.some((c) => c.type === 'Paused' && c.status === 'True'),
    conditions,
  };
}

/** Right after create virt-controller has not written a status yet: say what it is about to. */
function beforeController(vm: CustomObject): PrintableStatus {
  return str(obj(vm.spec).runStrategy) === 'Halted' ? 'Stopped' : 'Starting';
}

/** A VMI being deleted after its VM is gone is not the VM's VMI any more. */
function isStaleVmi(vmi: CustomObject): boolean {
  return vmi.metadata.deletionTimestamp !== undefined && ['Succeeded', 'Failed'].includes(str(obj(vmi.status).phase) ?? '');
}

export function conditionsOf(status: unknown): VmCondition[] {
  return arr(obj(status).conditions).map((raw) => {
    const c = obj(raw);
    const condition: VmCondition = { type: str(c.type) ?? '', status: (str(c.status) ?? 'Unknown') as VmCondition['status'] };
    if (str(c.reason)) condition.reason = str(c.reason);
    if (str(c.message)) condition.message = str(c.message);
    return condition;
  });
}

export function observeVmi(vmi: CustomObject, ref: VmRef): VmiObservation {
  const status = obj(vmi.status);
  const topology = obj(status.currentCPUTopology);
  const memory = status.memory === undefined ? null : obj(status.memory);
  const migration = status.migrationState === undefined ? null : obj(status.migrationState);
  return {
    ref,
    uid: vmi.metadata.uid ?? '',
    phase: (str(status.phase) as VmiPhase | undefined) ?? 'Pending',
    node: str(status.nodeName) ?? null,
    conditions: conditionsOf(status),
    interfaces: arr(status.interfaces).map((raw) => {
      const i = obj(raw);
      return {
        name: str(i.name) ?? '',
        ipAddress: str(i.ipAddress),
        ipAddresses: arr(i.ipAddresses).filter((ip): ip is string => typeof ip === 'string'),
        mac: str(i.mac),
        podInterfaceName: str(i.podInterfaceName),
        infoSource: str(i.infoSource),
        inDomain: hasInfoSource(str(i.infoSource), 'domain'),
      };
    }),
    migrationState: migration ? { ...migrationStateOf(migration), migrationUid: str(migration.migrationUid) } : null,
    cpu:
      status.currentCPUTopology === undefined
        ? null
        : { sockets: Number(topology.sockets ?? 1), cores: Number(topology.cores ?? 1), threads: Number(topology.threads ?? 1) },
    memoryMiB: memory
      ? { guestAtBoot: quantityMiB(memory.guestAtBoot), guestRequested: quantityMiB(memory.guestRequested), guestCurrent: quantityMiB(memory.guestCurrent) }
      : null,
  };
}

/**
 * Whether a VMI interface's infoSource names `source`. KubeVirt writes the sources it saw the
 * interface in (`domain`, `guest-agent`, `multus-status`) joined by ", " (pkg/network/vmispec
 * infosource.go); virt-handler adds `domain` once the NIC is plugged into the libvirt domain and
 * drops it once unplugged, while `multus-status` alone means only the pod has the network.
 */
export function hasInfoSource(infoSource: string | undefined, source: 'domain' | 'guest-agent' | 'multus-status'): boolean {
  return (infoSource ?? '').split(',').some((part) => part.trim() === source);
}

function migrationStateOf(m: Json): MigrationState {
  return {
    sourceNode: str(m.sourceNode),
    targetNode: str(m.targetNode),
    completed: m.completed === true,
    failed: m.failed === true,
    failureReason: str(m.failureReason),
    abortRequested: m.abortRequested === true,
    abortStatus: str(m.abortStatus),
    mode: str(m.mode),
    startTimestamp: str(m.startTimestamp),
    endTimestamp: str(m.endTimestamp),
  };
}

/**
 * The migration, with the VMI's migrationState when it is this migration's. KubeVirt writes no
 * memory progress on either object: how much is copied is libvirt's job info on the source node,
 * which the hypervisor port reads (getMigrationJob).
 */
export function observeMigration(migration: CustomObject, vmi: CustomObject | null): MigrationObservation {
  const status = obj(migration.status);
  const phase = (str(status.phase) as MigrationPhase | undefined) ?? 'Pending';
  const vmiMigration = vmi ? obj(obj(vmi.status).migrationState) : {};
  const ours = vmiMigration.migrationUid !== undefined && vmiMigration.migrationUid === migration.metadata.uid;
  return {
    ref: { namespace: migration.metadata.namespace ?? '', name: migration.metadata.name },
    vmiName: str(obj(migration.spec).vmiName) ?? '',
    uid: migration.metadata.uid ?? '',
    phase,
    migrationState: ours ? migrationStateOf(vmiMigration) : null,
    deleting: migration.metadata.deletionTimestamp !== undefined,
  };
}

/**
 * The compute container's resize as the kubelet reports it (kubevirt-api.md §6): the conditions
 * PodResizePending (Deferred/Infeasible) and PodResizeInProgress (Error on failure) win; without
 * them the resize is done once the applied resources equal the spec.
 *
 * A status the kubelet wrote for an earlier generation of the pod (its observedGeneration behind
 * metadata.generation, where the cluster reports one) says nothing of the resize just asked: the
 * answer to a shrink patched right after an Infeasible grow still carries that Infeasible until the
 * kubelet's next sync. Such a pod is Pending.
 */
export function observePodResize(pod: V1Pod, container = 'compute'): PodResizeObservation {
  const spec = pod.spec?.containers.find((c) => c.name === container);
  const status = pod.status?.containerStatuses?.find((c) => c.name === container);
  const desired = resourcesOf(spec?.resources?.requests);
  const applied = resourcesOf(status?.resources?.requests);
  const base = { pod: pod.metadata?.name ?? '', desired, applied };
  const generation = pod.metadata?.generation;
  const seen = (observed: number | undefined) => generation === undefined || observed === undefined || observed >= generation;
  if (!seen(pod.status?.observedGeneration)) return { ...base, state: 'Pending' };
  const conditions = (pod.status?.conditions ?? []).filter((c) => seen(c.observedGeneration));
  const pending = conditions.find((c) => c.type === 'PodResizePending' && c.status === 'True');
  const inProgress = conditions.find((c) => c.type === 'PodResizeInProgress' && c.status === 'True');
  if (pending) {
    const state = pending.reason === 'Infeasible' ? 'Infeasible' : pending.reason === 'Deferred' ? 'Deferred' : 'Pending';
    return { ...base, state, message: pending.message ?? pending.reason };
  }
  if (inProgress) {
    return inProgress.reason === 'Error' ? { ...base, state: 'Error', message: inProgress.message ?? 'resize failed' } : { ...base, state: 'InProgress' };
  }
  const done = desired !== null && applied !== null && desired.vcpus === applied.vcpus && desired.memoryMiB === applied.memoryMiB;
  return { ...base, state: done ? 'Done' : 'Pending' };
}

function resourcesOf(resources: Record<string, string> | undefined): { vcpus: number; memoryMiB: number } | null {
  if (!resources) return null;
  const vcpus = quantityCpu(resources.cpu);
  const memoryMiB = quantityMiB(resources.memory);
  return vcpus === null || memoryMiB === null ? null : { vcpus, memoryMiB };
}

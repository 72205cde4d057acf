import { ApiError } from '../api-errors.js';
import { cloneObject, kubeTime, type KubeObject } from '../store/kube-object.js';
import {
  addFinalizer, conditionOf, drain, isTerminating, launcherPods, objectsToReconcile, removeFinalizer, setCondition, types, writeObject, type ClusterContext, type Condition,
} from './cluster-context.js';
import { guestMemoryOf, launcherImage, launcherPodFor, vcpusOf } from './launcher-pod.js';
import { interfacesAtBoot, interfacesFor } from './network-status.js';
import { mebibytes } from './quantities.js';
import { groupKeyOf, type GroupKey } from './work-queue.js';
import type { GuestDomain } from '../exec/guest-domains.js';

export const vmiFinalizer = 'foregroundDeleteVirtualMachine';

/**
 * virt-controller's VMI loop and virt-handler together: launcher pod, phases Pending → Scheduling
 * → Scheduled → Running (one step per tick), Ready/LiveMigratable/Paused conditions, CPU and
 * memory hotplug into the domain, and teardown when the VMI is deleted or its pod dies.
 */
export class VmiController {
  private readonly queue;
  /**
   * The domain each VMI had when last looked at, and its state then: pause, unpause and virsh act on
   * the domain, not on a stored object, so no store change tells the queue.
   */
  private readonly seenDomains = new Map<GroupKey, { namespace: string; name: string; domain: GuestDomain; state: string }>();

  constructor(private readonly context: ClusterContext) {
    this.queue = context.workQueue();
  }

  reconcile(): void {
    for (const [group, seen] of this.seenDomains) {
      const current = this.context.domains.get(seen.namespace, seen.name);
      if (current === seen.domain && current.state === seen.state) continue;
      if (!current) this.seenDomains.delete(group);
      this.queue.requeue(group);
    }
    drain(this.queue, (taken) => {
      for (const vmi of objectsToReconcile(this.context, types.vmi, taken)) {
        this.reconcileOne(vmi);
        this.remember(vmi);
      }
    });
  }

  private remember(vmi: KubeObject): void {
    const namespace = vmi.metadata.namespace!;
    const name = vmi.metadata.name;
    const domain = this.context.domains.get(namespace, name);
    if (domain) this.seenDomains.set(groupKeyOf(namespace, name), { namespace, name, domain, state: domain.state });
    else this.seenDomains.delete(groupKeyOf(namespace, name));
  }

  private reconcileOne(vmi: KubeObject): void {
    if (isTerminating(vmi)) return this.teardown(vmi);
    const phase = vmi.status?.phase as string | undefined;
    switch (phase) {
      case undefined:
      case '':
        return void this.toPhase(addFinalizer(this.context, types.vmi, vmi, vmiFinalizer), 'Pending');
      case 'Pending': return this.createPod(vmi);
      case 'Scheduling': return this.waitForPod(vmi);
      case 'Scheduled': return this.startDomain(vmi);
      case 'Running': return this.running(vmi);
      default: return undefined;
    }
  }

  private toPhase(vmi: KubeObject, phase: string, changes: Record<string, unknown> = {}): KubeObject {
    const status = { ...cloneObject(vmi.status ?? {}), ...changes, phase };
    status.phaseTransitionTimestamps = [...(status.phaseTransitionTimestamps ?? []), { phase, phaseTransitionTimestamp: kubeTime() }];
    return writeObject(this.context, types.vmi, { ...vmi, status });
  }

  private createPod(vmi: KubeObject): void {
    if (launcherPods(this.context, vmi).length > 0) return void this.toPhase(vmi, 'Scheduling');
    try {
      this.context.service.create(types.pod, vmi.metadata.namespace, launcherPodFor(vmi));
      const conditions = setCondition(vmi.status?.conditions, { type: 'Synchronized', status: null });
      this.toPhase(vmi, 'Scheduling', { conditions });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // as virt-controller: the VMI stays Pending with the reason, and retries (next step)
      this.queue.requeue(groupKeyOf(vmi.metadata.namespace, vmi.metadata.name));
      const conditions = setCondition(vmi.status?.conditions, { type: 'Synchronized', status: 'False', reason: 'FailedCreate', message: `failed to create virtual machine pod: ${error.message}` });
      if (JSON.stringify(conditions) !== JSON.stringify(vmi.status?.conditions)) writeObject(this.context, types.vmi, { ...vmi, status: { ...vmi.status, conditions } });
    }
  }

  private waitForPod(vmi: KubeObject): void {
    const pod = launcherPods(this.context, vmi).find((p) => !isTerminating(p));
    if (!pod) return void this.toPhase(vmi, 'Pending');
    const scheduled = conditionOf(pod, 'PodScheduled');
    let conditions = (vmi.status?.conditions ?? []) as Condition[];
    conditions = scheduled?.status === 'False'
      ? setCondition(conditions, { type: 'PodScheduled', status: 'False', reason: scheduled.reason ?? 'Unschedulable', message: scheduled.message ?? '' })
      : setCondition(conditions, { type: 'PodScheduled', status: null });
    if (pod.spec.nodeName && pod.status?.phase === 'Running') {
      const next = writeObject(this.context, types.vmi, { ...vmi, metadata: { ...vmi.metadata, labels: { ...(vmi.metadata.labels ?? {}), 'kubevirt.io/nodeName': pod.spec.nodeName } } });
      return void this.toPhase(next, 'Scheduled', { nodeName: pod.spec.nodeName, conditions, activePods: { [pod.metadata.uid]: pod.spec.nodeName } });
    }
    if (JSON.stringify(conditions) !== JSON.stringify(vmi.status?.conditions ?? [])) writeObject(this.context, types.vmi, { ...vmi, status: { ...vmi.status, conditions } });
  }

  private startDomain(vmi: KubeObject): void {
    const pod = launcherPods(this.context, vmi).find((p) => !isTerminating(p));
    if (!pod) return void this.fail(vmi, 'the virt-launcher pod is gone');
    const cpu = vcpusOf(vmi);
    const memory = guestMemoryOf(vmi);
    const domain = this.context.domains.ensure(vmi.metadata.namespace!, vmi.metadata.name, {
      vcpus: cpu.vcpus, maxVcpus: cpu.maxVcpus, memoryKiB: Math.round(memory.guest / 1024), maxMemoryKiB: Math.round(memory.maxGuest / 1024),
    });
    const paused = vmi.spec.startStrategy === 'Paused';
    domain.state = paused ? 'paused' : 'running';
    // A real guest boots with no secondary NIC: the real-guest launcher plugs them into libvirt's domain.
    const realGuest = vmi.status?.nodeName !== undefined && vmi.status.nodeName === this.context.realGuestNode;
    domain.nics = interfacesAtBoot(vmi, pod).filter((name) => !realGuest || name === primaryInterface(vmi));
    let conditions = (vmi.status?.conditions ?? []) as Condition[];
    conditions = setCondition(conditions, { type: 'Ready', status: 'True' });
    conditions = setCondition(conditions, this.migratable(vmi));
    conditions = setCondition(conditions, paused ? { type: 'Paused', status: 'True', reason: 'PausedByUser', message: 'VMI was paused by user' } : { type: 'Paused', status: null });
    conditions = setCondition(conditions, { type: 'AgentConnected', status: 'True' });
    this.toPhase(vmi, 'Running', {
      conditions,
      interfaces: interfacesFor(vmi, pod, new Set(domain.nics)),
      currentCPUTopology: { sockets: cpu.sockets, cores: cpu.cores, threads: cpu.threads },
      memory: { guestAtBoot: mebibytes(memory.guest), guestCurrent: mebibytes(memory.guest), guestRequested: mebibytes(memory.guest) },
      migrationMethod: this.migrationMethod(vmi),
      qosClass: pod.status?.qosClass ?? 'Burstable',
      launcherContainerImageVersion: launcherImage,
      guestOSInfo: { id: 'fedora', name: 'Fedora Linux', version: '41' },
    });
  }

  private running(vmi: KubeObject): void {
    const pods = launcherPods(this.context, vmi);
    const active = pods.find((p) => p.spec.nodeName === vmi.status?.nodeName && !isTerminating(p));
    if (!active || active.status?.phase === 'Failed') return this.fail(vmi, 'the virt-launcher pod is gone');
    const domain = this.context.domains.get(vmi.metadata.namespace!, vmi.metadata.name);
    if (!domain) return;
    let status = cloneObject(vmi.status);
    // the domain's state decides the Paused condition (pause/unpause act on libvirt)
    status.conditions = setCondition(status.conditions, domain.state === 'paused'
      ? { type: 'Paused', status: 'True', reason: 'PausedByUser', message: 'VMI was paused by user' }
      : { type: 'Paused', status: null });
    status = this.hotplug(vmi, status);
    if (JSON.stringify(status) !== JSON.stringify(vmi.status)) writeObject(this.context, types.vmi, { ...vmi, status });
  }

  /**
   * CPU and memory hotplug as KubeVirt's LiveUpdate does it: a VMI spec with more sockets or guest
   * memory than the VMI runs with gets HotVCPUChange / HotMemoryChange (and guestRequested); the
   * workload updater (migration-controller.ts) then migrates it to a launcher pod of the new size,
   * and the target applies the change after the switch (applyHotplug). A VMI that cannot migrate
   * keeps the condition: KubeVirt has no other way to hot-plug it (the in-place resize is ours).
   */
  private hotplug(vmi: KubeObject, status: Record<string, any>): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const cpu = vcpusOf(vmi);
    const topology = status.currentCPUTopology ?? {};
    if (topology.sockets !== cpu.sockets) {
      if (conditionOf({ ...vmi, status }, 'HotVCPUChange')?.status !== 'True') {
        status.conditions = setCondition(status.conditions, { type: 'HotVCPUChange', status: 'True' });
      }
    }
    const requested = mebibytes(guestMemoryOf(vmi).guest);
    if (status.memory && status.memory.guestCurrent !== requested && status.memory.guestRequested !== requested) {
      status.memory = { ...status.memory, guestRequested: requested };
      status.conditions = setCondition(status.conditions, { type: 'HotMemoryChange', status: 'True' });
    }
    return status;
  }

  private fail(vmi: KubeObject, reason: string): void {
    this.context.domains.remove(vmi.metadata.namespace!, vmi.metadata.name);
    let conditions = setCondition(vmi.status?.conditions, { type: 'Ready', status: 'False', reason: 'PodTerminating', message: reason });
    conditions = setCondition(conditions, { type: 'Paused', status: null });
    this.toPhase(vmi, 'Failed', { conditions, reason: 'PodFailed' });
  }

  private teardown(vmi: KubeObject): void {
    const pods = launcherPods(this.context, vmi);
    for (const pod of pods) if (!isTerminating(pod)) this.context.service.delete(types.pod, pod.metadata.namespace, pod.metadata.name);
    if (pods.length > 0) return;
    this.context.domains.remove(vmi.metadata.namespace!, vmi.metadata.name);
    let current = vmi;
    if (!['Succeeded', 'Failed'].includes(vmi.status?.phase)) {
      const conditions = setCondition(setCondition(vmi.status?.conditions, { type: 'Ready', status: 'False', reason: 'PodTerminating', message: 'VMI is shutting down' }), { type: 'Paused', status: null });
      current = this.toPhase(vmi, 'Succeeded', { conditions });
    }
    removeFinalizer(this.context, types.vmi, current, vmiFinalizer);
  }

  /** The first failing check of KubeVirt's LiveMigratable condition that the simulator models. */
  private migratable(vmi: KubeObject): Condition {
    const interfaces = (vmi.spec.domain?.devices?.interfaces ?? []) as Array<{ name: string; bridge?: unknown }>;
    const podNetwork = ((vmi.spec.networks ?? []) as Array<{ name: string; pod?: unknown }>).find((n) => n.pod !== undefined);
    const podBridge = podNetwork && interfaces.find((i) => i.name === podNetwork.name)?.bridge !== undefined;
    if (podBridge && vmi.metadata.annotations?.['kubevirt.io/allow-pod-bridge-network-live-migration'] === undefined) {
      return { type: 'LiveMigratable', status: 'False', reason: 'InterfaceNotLiveMigratable', message: 'cannot migrate VMI which does not use masquerade, bridge with kubevirt.io/allow-pod-bridge-network-live-migration VM annotation or a migratable plugin to connect to the pod network' };
    }
    for (const volume of (vmi.spec.volumes ?? []) as Array<{ name: string; dataVolume?: { name: string } }>) {
      if (!volume.dataVolume) continue;
      const dv = this.context.service.find(types.dv, vmi.metadata.namespace, volume.dataVolume.name);
      const modes = (dv?.spec?.storage?.accessModes ?? dv?.spec?.pvc?.accessModes ?? []) as string[];
      if (!modes.includes('ReadWriteMany')) {
        return { type: 'LiveMigratable', status: 'False', reason: 'DisksNotLiveMigratable', message: `cannot migrate VMI: PVC ${volume.dataVolume.name} is not shared, live migration requires that all PVCs must be shared (using ReadWriteMany access mode)` };
      }
    }
    return { type: 'LiveMigratable', status: 'True' };
  }

  private migrationMethod(vmi: KubeObject): string {
    const volumes = (vmi.spec.volumes ?? []) as Array<Record<string, unknown>>;
    return volumes.some((v) => v.containerDisk || v.emptyDisk) ? 'BlockMigration' : 'LiveMigration';
  }
}

/** The interface on the pod network (or Multus default network): the launcher pod's eth0. */
function primaryInterface(vmi: KubeObject): string | undefined {
  return ((vmi.spec?.networks ?? []) as Array<{ name: string; pod?: unknown; multus?: { default?: boolean } }>).find((n) => n.pod !== undefined || n.multus?.default)?.name;
}

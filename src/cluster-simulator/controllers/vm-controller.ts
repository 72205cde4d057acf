import { cloneObject, ownerReference, type KubeObject } from '../store/kube-object.js';
import {
  addFinalizer, conditionOf, drain, isTerminating, launcherPods, objectsToReconcile, removeFinalizer, setCondition, types, writeObject, writeStatus, type ClusterContext, type Condition,
} from './cluster-context.js';
import { parseQuantity } from './quantities.js';

export const vmFinalizer = 'kubevirt.io/virtualMachineControllerFinalize';

export type RunStrategy = 'Always' | 'RerunOnFailure' | 'Manual' | 'Halted' | 'Once';

export function runStrategyOf(vm: KubeObject): RunStrategy {
  if (vm.spec?.runStrategy) return vm.spec.runStrategy as RunStrategy;
  return vm.spec?.running === true ? 'Always' : 'Halted';
}

interface StateChangeRequest {
  action: 'Start' | 'Stop';
  uid?: string;
  data?: Record<string, string>;
}

const finalPhases = ['Succeeded', 'Failed'];

/**
 * virt-controller's VM loop: runStrategy and state change requests decide whether a VMI should
 * exist; the VMI is made from the template; live-updatable template changes (sockets, guest
 * memory, NICs) flow to the running VMI, others set RestartRequired; status mirrors the VMI.
 */
export class VmController {
  /** VMs a Stop request halted (RerunOnFailure/Manual stay down until a Start request), and Once VMs that ran. */
  private readonly stoppedByRequest = new Set<string>();
  private readonly ranOnce = new Set<string>();

  private readonly queue;

  constructor(private readonly context: ClusterContext) {
    this.queue = context.workQueue();
  }

  reconcile(): void {
    drain(this.queue, (taken) => {
      for (const vm of objectsToReconcile(this.context, types.vm, taken)) this.reconcileOne(vm);
    });
  }

  private reconcileOne(initial: KubeObject): void {
    const { service } = this.context;
    let vm = initial;
    const namespace = vm.metadata.namespace!;
    // the VMI shares the VM's name; one KubeVirt would adopt even without an owner reference
    const ownedVmi = service.find(types.vmi, namespace, vm.metadata.name);
    if (isTerminating(vm)) {
      if (ownedVmi && !isTerminating(ownedVmi)) service.delete(types.vmi, namespace, ownedVmi.metadata.name);
      if (!ownedVmi) return removeFinalizer(this.context, types.vm, vm, vmFinalizer);
      return void this.writeVmStatus(vm, ownedVmi);
    }
    vm = addFinalizer(this.context, types.vm, vm, vmFinalizer);
    this.ensureDataVolumes(vm);
    let current = ownedVmi;
    const requests = [...((vm.status?.stateChangeRequests ?? []) as StateChangeRequest[])];
    const strategy = runStrategyOf(vm);
    if (requests.length > 0) {
      const [first] = requests;
      if (first!.action === 'Stop') {
        if (current && (!first!.uid || first!.uid === current.metadata.uid)) {
          if (!isTerminating(current)) service.delete(types.vmi, namespace, current.metadata.name);
        } else {
          requests.shift();
          if (requests.length === 0) this.stoppedByRequest.add(vm.metadata.uid);
        }
      } else if (first!.action === 'Start') {
        if (!current) {
          current = this.createVmi(vm, first!.data?.paused === 'true');
          this.stoppedByRequest.delete(vm.metadata.uid);
          requests.shift();
        } else if (finalPhases.includes(current.status?.phase) && !isTerminating(current)) {
          service.delete(types.vmi, namespace, current.metadata.name);
        } else if (!isTerminating(current)) requests.shift();
      }
    } else {
      current = this.applyRunStrategy(vm, strategy, current);
    }
    if (current && !isTerminating(current) && current.status?.phase === 'Running') this.liveUpdate(vm, current);
    vm = service.get(types.vm, namespace, vm.metadata.name);
    this.writeVmStatus(vm, service.find(types.vmi, namespace, vm.metadata.name), requests);
  }

  private applyRunStrategy(vm: KubeObject, strategy: RunStrategy, vmi: KubeObject | undefined): KubeObject | undefined {
    const { service } = this.context;
    const namespace = vm.metadata.namespace!;
    const phase = vmi?.status?.phase as string | undefined;
    const uid = vm.metadata.uid;
    if (strategy === 'Halted') {
      this.stoppedByRequest.delete(uid);
      if (vmi && !isTerminating(vmi)) service.delete(types.vmi, namespace, vmi.metadata.name);
      return vmi;
    }
    if (!this.dataVolumesReady(vm)) return vmi;
    const shouldRecreate = vmi && !isTerminating(vmi) && phase !== undefined && (
      (strategy === 'Always' && finalPhases.includes(phase)) || (strategy === 'RerunOnFailure' && phase === 'Failed'));
    if (shouldRecreate) {
      service.delete(types.vmi, namespace, vmi.metadata.name);
      return vmi;
    }
    if (vmi) return vmi;
    if (strategy === 'Always') return this.createVmi(vm, false);
    if (strategy === 'RerunOnFailure' && !this.stoppedByRequest.has(uid)) return this.createVmi(vm, false);
    if (strategy === 'Once' && !this.ranOnce.has(uid) && !vm.status?.created) {
      this.ranOnce.add(uid);
      return this.createVmi(vm, false);
    }
    return undefined;
  }

  private createVmi(vm: KubeObject, paused: boolean): KubeObject {
    const template = vm.spec.template ?? {};
    const spec = cloneObject(template.spec ?? {});
    if (paused) spec.startStrategy = 'Paused';
    return this.context.service.create(types.vmi, vm.metadata.namespace, {
      apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance',
      metadata: {
        name: vm.metadata.name,
        labels: { ...(template.metadata?.labels ?? {}), 'kubevirt.io/vm': vm.metadata.name },
        annotations: { ...(template.metadata?.annotations ?? {}), 'kubevirt.io/latest-observed-api-version': 'v1', 'kubevirt.io/storage-observed-api-version': 'v1' },
        ownerReferences: [ownerReference(vm)],
      },
      spec,
    });
  }

  private ensureDataVolumes(vm: KubeObject): void {
    for (const template of (vm.spec.dataVolumeTemplates ?? []) as KubeObject[]) {
      const name = template.metadata?.name;
      if (!name || this.context.service.find(types.dv, vm.metadata.namespace, name)) continue;
      this.context.service.create(types.dv, vm.metadata.namespace, {
        apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume',
        metadata: { ...cloneObject(template.metadata), name, ownerReferences: [ownerReference(vm)] },
        spec: cloneObject(template.spec),
      });
    }
  }

  private dataVolumesReady(vm: KubeObject): boolean {
    const names = [
      ...((vm.spec.dataVolumeTemplates ?? []) as KubeObject[]).map((t) => t.metadata?.name),
      ...((vm.spec.template?.spec?.volumes ?? []) as Array<{ dataVolume?: { name: string } }>).map((v) => v.dataVolume?.name),
    ].filter((n): n is string => Boolean(n));
    return names.every((name) => this.context.service.find(types.dv, vm.metadata.namespace, name)?.status?.phase === 'Succeeded');
  }

  /**
   * LiveUpdate rollout (the cluster's vmRolloutStrategy): sockets within maxSockets, guest memory
   * within maxGuest (on a migratable VMI), and NICs go to the running VMI's spec, where the VMI
   * controller and the workload updater hot-plug them through a migration; anything else changed in
   * the template means RestartRequired (and once set, nothing more propagates until a restart, as
   * KubeVirt does).
   */
  private liveUpdate(vm: KubeObject, vmi: KubeObject): void {
    if (conditionOf(vm, 'RestartRequired')?.status === 'True') return;
    const template = cloneObject(vm.spec.template?.spec ?? {});
    const running = cloneObject(vmi.spec);
    const strip = (spec: Record<string, any>) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const copy = cloneObject(spec);
      delete copy.startStrategy;
      if (copy.domain?.cpu) delete copy.domain.cpu.sockets;
      if (copy.domain?.memory) delete copy.domain.memory.guest;
      if (copy.domain?.devices) delete copy.domain.devices.interfaces;
      delete copy.networks;
      return JSON.stringify(copy);
    };
    if (strip(template) !== strip(running)) return this.restartRequired(vm, 'a non-live-updatable field was changed in the template spec');
    const next = cloneObject(vmi);
    const wantSockets = template.domain?.cpu?.sockets;
    const haveSockets = running.domain?.cpu?.sockets;
    if (wantSockets !== undefined && wantSockets !== haveSockets) {
      const max = running.domain?.cpu?.maxSockets ?? (haveSockets ?? 1) * 4;
      if (wantSockets < (haveSockets ?? 1)) return this.restartRequired(vm, 'Reduction of CPU socket count requires a restart');
      if (wantSockets > max) return this.restartRequired(vm, "CPU sockets updated in template spec to a value higher than what's available");
      next.spec.domain.cpu = { ...(next.spec.domain.cpu ?? {}), sockets: wantSockets };
    }
    const wantGuest = template.domain?.memory?.guest;
    const haveGuest = running.domain?.memory?.guest;
    if (wantGuest !== undefined && parseQuantity(wantGuest) !== parseQuantity(haveGuest)) {
      const bootGuest = parseQuantity(vmi.status?.memory?.guestAtBoot ?? haveGuest);
      const maxGuest = running.domain?.memory?.maxGuest !== undefined ? parseQuantity(running.domain.memory.maxGuest) : parseQuantity(haveGuest) * 4;
      if (parseQuantity(wantGuest) < bootGuest) return this.restartRequired(vm, 'memory updated in template spec to a value lower than what the VM started with');
      if (parseQuantity(wantGuest) > maxGuest) return this.restartRequired(vm, "Memory updated in template spec to a value higher than what's available");
      if (conditionOf(vmi, 'LiveMigratable')?.status !== 'True') return this.restartRequired(vm, 'Memory-hotplug is only available for migratable VMs');
      next.spec.domain.memory = { ...(next.spec.domain.memory ?? {}), guest: wantGuest };
    }
    next.spec.domain.devices = { ...(next.spec.domain.devices ?? {}) };
    if (template.domain?.devices?.interfaces !== undefined) next.spec.domain.devices.interfaces = template.domain.devices.interfaces;
    else delete next.spec.domain.devices.interfaces;
    if (template.networks !== undefined) next.spec.networks = template.networks;
    else delete next.spec.networks;
    if (JSON.stringify(next.spec) !== JSON.stringify(vmi.spec)) writeObject(this.context, types.vmi, next);
  }

  private restartRequired(vm: KubeObject, message: string): void {
    const conditions = setCondition(vm.status?.conditions, { type: 'RestartRequired', status: 'True', message });
    writeStatus(this.context, types.vm, vm, { ...(vm.status ?? {}), conditions });
  }

  private writeVmStatus(vm: KubeObject, vmi: KubeObject | undefined, requests?: StateChangeRequest[]): void {
    const status = cloneObject(vm.status ?? {});
    const phase = vmi?.status?.phase as string | undefined;
    const paused = vmi ? conditionOf(vmi, 'Paused')?.status === 'True' : false;
    const vmiReady = vmi ? conditionOf(vmi, 'Ready')?.status === 'True' : false;
    status.created = Boolean(vmi);
    status.ready = Boolean(vmi && phase === 'Running' && vmiReady && !isTerminating(vmi));
    status.printableStatus = this.printableStatus(vm, vmi, paused);
    status.runStrategy = runStrategyOf(vm);
    status.observedGeneration = vm.metadata.generation;
    status.desiredGeneration = vm.metadata.generation;
    if (requests !== undefined) {
      if (requests.length > 0) status.stateChangeRequests = requests;
      else delete status.stateChangeRequests;
    }
    let conditions = (status.conditions ?? []) as Condition[];
    conditions = setCondition(conditions, status.ready
      ? { type: 'Ready', status: 'True' }
      : { type: 'Ready', status: 'False', reason: vmi ? 'PodNotReady' : 'VMINotExists', message: vmi ? 'VMI is not ready' : 'VMI does not exist' });
    conditions = setCondition(conditions, paused ? { type: 'Paused', status: 'True', reason: 'PausedByUser', message: 'VMI was paused by user' } : { type: 'Paused', status: null });
    const sync = vmi ? conditionOf(vmi, 'Synchronized') : undefined;
    conditions = setCondition(conditions, sync?.status === 'False'
      ? { type: 'Failure', status: 'True', reason: sync.reason ?? 'FailedCreate', message: sync.message ?? '' }
      : { type: 'Failure', status: null });
    const migratable = vmi ? conditionOf(vmi, 'LiveMigratable') : undefined;
    conditions = setCondition(conditions, migratable ? { type: 'LiveMigratable', status: migratable.status, ...(migratable.reason ? { reason: migratable.reason } : {}), ...(migratable.message ? { message: migratable.message } : {}) } : { type: 'LiveMigratable', status: null });
    // a fresh VMI (restart) applies the whole template: RestartRequired is satisfied
    if (!vmi || phase !== 'Running') conditions = setCondition(conditions, { type: 'RestartRequired', status: null });
    status.conditions = conditions;
    if (JSON.stringify(status) !== JSON.stringify(vm.status ?? {})) writeStatus(this.context, types.vm, vm, status);
  }

  private printableStatus(vm: KubeObject, vmi: KubeObject | undefined, paused: boolean): string {
    if (isTerminating(vm)) return 'Terminating';
    if (!vmi) {
      const strategy = runStrategyOf(vm);
      if (strategy !== 'Halted' && !this.dataVolumesReady(vm)) return 'Provisioning';
      return 'Stopped';
    }
    if (isTerminating(vmi)) return 'Stopping';
    const phase = vmi.status?.phase as string | undefined;
    switch (phase) {
      case 'Running':
        if (paused) return 'Paused';
        if (vmi.status?.migrationState && !vmi.status.migrationState.completed) return 'Migrating';
        return 'Running';
      case 'Succeeded':
      case 'Failed':
        return 'Stopped';
      default: {
        const unschedulable = launcherPods(this.context, vmi).some((p) => conditionOf(p, 'PodScheduled')?.reason === 'Unschedulable');
        return unschedulable ? 'ErrorUnschedulable' : 'Starting';
      }
    }
  }
}

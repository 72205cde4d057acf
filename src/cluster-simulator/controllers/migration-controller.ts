import { badRequest } from '../api-errors.js';
import { cloneObject, kubeTime, type KubeObject } from '../store/kube-object.js';
import type { AdmissionRequest } from '../store/resource-service.js';
import {
  addFinalizer, conditionOf, drain, isTerminating, launcherPods, objectsToReconcile, removeFinalizer, setCondition, types, writeObject, writeStatus, type ClusterContext,
} from './cluster-context.js';
import { guestMemoryOf, launcherPodFor, vcpusOf } from './launcher-pod.js';
import { mebibytes } from './quantities.js';
import { groupKeyOf, type GroupKey } from './work-queue.js';

export const migrationFinalizer = 'kubevirt.io/migrationJobFinalize';
const finalPhases = ['Succeeded', 'Failed'];

/**
 * KubeVirt live migration: VMIM phases Pending → Scheduling → Scheduled → PreparingTarget →
 * TargetReady → Running → Succeeded | Failed, one per tick; a target launcher pod on another
 * node; VMI status.migrationState throughout; abort by deleting the VMIM; injected failures.
 */
export class MigrationController {
  private readonly progress = new Map<string, number>();
  /** Hotplug changes (VMI uid and condition times) the workload updater has migrated for. */
  private readonly workloadUpdates = new Set<string>();
  private readonly queue;

  constructor(
    private readonly context: ClusterContext,
    /** Ticks a migration spends transferring memory (Running) before it completes. */
    private readonly transferTicks: number,
  ) {
    this.queue = context.workQueue();
  }

  /** migration-create-admitter: the VMI must exist, run, be migratable and have no unfinished migration (400). */
  admit(request: AdmissionRequest): void {
    if (request.type.plural !== 'virtualmachineinstancemigrations' || request.operation !== 'CREATE') return;
    const vmiName = request.object.spec?.vmiName as string;
    const namespace = request.object.metadata.namespace;
    const vmi = this.context.service.find(types.vmi, namespace, vmiName);
    const deny = (why: string) => badRequest(`admission webhook "migration-create-validator.kubevirt.io" denied the request: ${why}`);
    if (!vmi) throw deny(`the VMI "${vmiName}" does not exist`);
    if (finalPhases.includes(vmi.status?.phase)) throw deny(`Cannot migrate VMI in finalized state.`);
    if (vmi.status?.phase !== 'Running') throw deny(`Cannot migrate VMI which is not running.`); // webhook uses VMI state
    const migratable = conditionOf(vmi, 'LiveMigratable');
    if (migratable?.status === 'False') throw deny(`Cannot migrate VMI, Reason: ${migratable.reason}, Message: ${migratable.message}`);
    const [busy] = this.context.service.list(types.vmim, namespace, (m) => m.spec?.vmiName === vmiName && !finalPhases.includes(m.status?.phase));
    if (busy) throw deny(`in-flight migration detected. Active migration job (${busy.metadata.uid}) is currently already in progress for VMI ${vmiName}.`);
  }

  reconcile(): void {
    drain(this.queue, (taken) => {
      this.updateWorkloads(taken);
      for (const migration of objectsToReconcile(this.context, types.vmim, taken)) {
        this.reconcileOne(migration);
        // copying memory moves on every step without a store change: look again next step
        if (this.context.service.peek(types.vmim, migration.metadata.namespace, migration.metadata.name)?.status?.phase === 'Running') {
          this.queue.requeue(groupKeyOf(migration.metadata.namespace, migration.spec.vmiName));
        }
      }
    });
  }

  /**
   * virt-controller's workload updater (workloadUpdateMethods [LiveMigrate]): a running, migratable
   * VMI with a pending CPU or memory hotplug gets a migration kubevirt-workload-update-*, one per
   * change (KubeVirt retries a failed one after a backoff; here the first failure stands, so a
   * client following the change sees it end).
   */
  private updateWorkloads(taken: Set<GroupKey> | null): void {
    for (const vmi of objectsToReconcile(this.context, types.vmi, taken)) {
      if (isTerminating(vmi) || vmi.status?.phase !== 'Running') continue;
      const pending = ['HotVCPUChange', 'HotMemoryChange'].map((t) => conditionOf(vmi, t)).filter((c) => c?.status === 'True');
      if (pending.length === 0 || conditionOf(vmi, 'LiveMigratable')?.status !== 'True') continue;
      const change = `${vmi.metadata.uid}/${pending.map((c) => c!.lastTransitionTime).join(',')}`;
      if (this.workloadUpdates.has(change)) continue;
      const namespace = vmi.metadata.namespace!;
      const busy = this.context.groups.namesIn(groupKeyOf(namespace, vmi.metadata.name), types.vmim.plural)
        .some(({ name }) => !finalPhases.includes(this.context.service.peek(types.vmim, namespace, name)?.status?.phase));
      if (busy) continue;
      this.workloadUpdates.add(change);
      this.context.service.create(types.vmim, namespace, {
        apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstanceMigration',
        metadata: { generateName: 'kubevirt-workload-update-', annotations: { 'kubevirt.io/workloadUpdateMigration': '' } } as unknown as KubeObject['metadata'],
        spec: { vmiName: vmi.metadata.name },
      });
    }
  }

  private reconcileOne(migration: KubeObject): void {
    const namespace = migration.metadata.namespace!;
    const phase = migration.status?.phase as string | undefined;
    const vmi = this.context.service.find(types.vmi, namespace, migration.spec.vmiName);
    if (isTerminating(migration)) {
      if (phase && !finalPhases.includes(phase)) return this.abort(migration, vmi);
      return removeFinalizer(this.context, types.vmim, migration, migrationFinalizer);
    }
    if (!phase) {
      const withFinalizer = addFinalizer(this.context, types.vmim, migration, migrationFinalizer);
      const labelled = writeObject(this.context, types.vmim, {
        ...withFinalizer, metadata: { ...withFinalizer.metadata, labels: { ...(withFinalizer.metadata.labels ?? {}), 'kubevirt.io/vmi-name': migration.spec.vmiName } },
      });
      return void this.toPhase(labelled, 'Pending');
    }
    if (finalPhases.includes(phase)) return;
    if (!vmi || isTerminating(vmi) || vmi.status?.phase !== 'Running') return this.finish(migration, vmi, false, 'the VMI stopped running during the migration');
    const state = cloneObject(vmi.status.migrationState ?? {});
    const target = launcherPods(this.context, vmi).find((p) => p.metadata.labels?.['kubevirt.io/migrationJobUID'] === migration.metadata.uid);
    switch (phase) {
      case 'Pending': {
        const source = launcherPods(this.context, vmi).find((p) => p.spec.nodeName === vmi.status.nodeName && !isTerminating(p));
        if (!target) this.context.service.create(types.pod, namespace, launcherPodFor(vmi, { excludeNode: vmi.status.nodeName, migrationUid: migration.metadata.uid }));
        const created = launcherPods(this.context, vmi).find((p) => p.metadata.labels?.['kubevirt.io/migrationJobUID'] === migration.metadata.uid)!;
        this.writeState(vmi, {
          migrationUid: migration.metadata.uid, sourceNode: vmi.status.nodeName, sourcePod: source?.metadata.name, targetPod: created.metadata.name, mode: 'PreCopy',
          sourceState: { migrationUid: migration.metadata.uid, node: vmi.status.nodeName, pod: source?.metadata.name },
        });
        return void this.toPhase(migration, 'Scheduling');
      }
      case 'Scheduling':
        if (target?.spec.nodeName && target.status?.phase === 'Running') {
          this.writeState(vmi, { ...state, targetNode: target.spec.nodeName, targetNodeAddress: target.status.hostIP });
          this.toPhase(migration, 'Scheduled');
        }
        return;
      case 'Scheduled':
        return void this.toPhase(migration, 'PreparingTarget');
      case 'PreparingTarget':
        this.writeState(vmi, { ...state, targetNodeDomainDetected: true, targetNodeDomainReadyTimestamp: kubeTime(), targetState: { migrationUid: migration.metadata.uid, node: state.targetNode, pod: state.targetPod } });
        return void this.toPhase(migration, 'TargetReady');
      case 'TargetReady':
        this.writeState(vmi, { ...state, startTimestamp: kubeTime() });
        this.progress.set(migration.metadata.uid, 0);
        this.copied(vmi, state.sourceNode, 0);
        return void this.toPhase(migration, 'Running');
      case 'Running': {
        const done = (this.progress.get(migration.metadata.uid) ?? 0) + 1;
        this.progress.set(migration.metadata.uid, done);
        if (done < this.transferTicks) return void this.copied(vmi, state.sourceNode, done / this.transferTicks);
        this.progress.delete(migration.metadata.uid);
        const failures = this.context.migrationFailures;
        if (failures.remaining > 0) {
          failures.remaining--;
          return this.finish(migration, vmi, false, failures.reason);
        }
        return this.finish(migration, vmi, true);
      }
      default:
        return undefined;
    }
  }

  /**
   * libvirt's outgoing job on the source (what `virsh domjobinfo` there shows): the share of the
   * guest's memory sent so far, evenly over the Running ticks. KubeVirt itself writes no such figure
   * on its objects, so a client reads it from libvirt, as the hypervisor adapter does.
   */
  private copied(vmi: KubeObject, sourceNode: string | undefined, share: number): void {
    const domain = this.context.domains.get(vmi.metadata.namespace!, vmi.metadata.name);
    if (!domain) return;
    const total = domain.memoryKiB.current * 1024;
    const processed = Math.round(total * share);
    domain.migrationJob = {
      sourceNode: sourceNode ?? vmi.status?.nodeName,
      startedAtMs: domain.migrationJob?.startedAtMs ?? Date.now(),
      memoryTotalBytes: total,
      memoryProcessedBytes: processed,
      memoryRemainingBytes: total - processed,
    };
  }

  /** The job ends with the migration, whichever way. */
  private jobEnded(vmi: KubeObject | undefined): void {
    if (vmi) delete this.context.domains.get(vmi.metadata.namespace!, vmi.metadata.name)?.migrationJob;
  }

  private toPhase(migration: KubeObject, phase: string, extra: Record<string, unknown> = {}): KubeObject {
    const status = { ...cloneObject(migration.status ?? {}), ...extra, phase };
    status.phaseTransitionTimestamps = [...(status.phaseTransitionTimestamps ?? []), { phase, phaseTransitionTimestamp: kubeTime() }];
    return writeStatus(this.context, types.vmim, migration, status);
  }

  private writeState(vmi: KubeObject, migrationState: Record<string, unknown>): KubeObject {
    return writeObject(this.context, types.vmi, { ...vmi, status: { ...vmi.status, migrationState } });
  }

  private finish(migration: KubeObject, vmi: KubeObject | undefined, succeeded: boolean, failureReason?: string): void {
    if (vmi?.status?.migrationState?.migrationUid === migration.metadata.uid) this.jobEnded(vmi);
    const target = vmi && launcherPods(this.context, vmi).find((p) => p.metadata.labels?.['kubevirt.io/migrationJobUID'] === migration.metadata.uid);
    const state = { ...(vmi?.status?.migrationState ?? {}), completed: true, failed: !succeeded, endTimestamp: kubeTime(), ...(failureReason ? { failureReason } : {}) };
    if (vmi && !isTerminating(vmi) && vmi.status?.migrationState?.migrationUid === migration.metadata.uid) {
      if (succeeded && target) {
        const source = launcherPods(this.context, vmi).find((p) => p.spec.nodeName === vmi.status.nodeName && p.metadata.uid !== target.metadata.uid);
        writeObject(this.context, types.vmi, {
          ...vmi,
          metadata: { ...vmi.metadata, labels: { ...(vmi.metadata.labels ?? {}), 'kubevirt.io/nodeName': target.spec.nodeName } },
          status: this.applyHotplug(vmi, { ...vmi.status, nodeName: target.spec.nodeName, activePods: { [target.metadata.uid]: target.spec.nodeName }, migrationState: state }),
        });
        if (source && !isTerminating(source)) this.context.service.delete(types.pod, source.metadata.namespace, source.metadata.name);
      } else {
        this.writeState(vmi, state);
        if (target && !isTerminating(target)) this.context.service.delete(types.pod, target.metadata.namespace, target.metadata.name);
      }
    } else if (target && !isTerminating(target)) this.context.service.delete(types.pod, target.metadata.namespace, target.metadata.name);
    const conditions = succeeded ? migration.status?.conditions : setCondition(migration.status?.conditions, { type: 'migrationFailed' as string, status: 'True', reason: 'MigrationFailed', message: failureReason ?? '' } as never);
    this.toPhase(migration, succeeded ? 'Succeeded' : 'Failed', { ...(conditions ? { conditions } : {}), migrationState: state });
  }

  /**
   * virt-handler on the target after the switch (hotplugCPU / hotplugMemory): the domain takes the
   * VMI spec's sockets and guest memory, the status reports them and the Hot*Change conditions go.
   */
  private applyHotplug(vmi: KubeObject, status: Record<string, any>): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const domain = this.context.domains.get(vmi.metadata.namespace!, vmi.metadata.name);
    const next = { ...status };
    if (conditionOf(vmi, 'HotVCPUChange')?.status === 'True') {
      const cpu = vcpusOf(vmi);
      if (domain) domain.vcpus.current = Math.min(cpu.vcpus, domain.vcpus.max);
      next.currentCPUTopology = { sockets: cpu.sockets, cores: cpu.cores, threads: cpu.threads };
      next.conditions = setCondition(next.conditions, { type: 'HotVCPUChange', status: null });
    }
    if (conditionOf(vmi, 'HotMemoryChange')?.status === 'True' && next.memory) {
      const guest = guestMemoryOf(vmi).guest;
      if (domain) domain.memoryKiB.current = Math.min(Math.round(guest / 1024), domain.memoryKiB.max);
      next.memory = { ...next.memory, guestCurrent: mebibytes(guest), guestRequested: mebibytes(guest) };
      next.conditions = setCondition(next.conditions, { type: 'HotMemoryChange', status: null });
    }
    return next;
  }

  /** Deleting an unfinished VMIM aborts it: abortRequested, abortStatus Succeeded, the target pod goes, then the finalizer. */
  private abort(migration: KubeObject, vmi: KubeObject | undefined): void {
    const target = vmi && launcherPods(this.context, vmi).find((p) => p.metadata.labels?.['kubevirt.io/migrationJobUID'] === migration.metadata.uid);
    if (target && !isTerminating(target)) this.context.service.delete(types.pod, target.metadata.namespace, target.metadata.name);
    const state = { ...(vmi?.status?.migrationState ?? {}), abortRequested: true, abortStatus: 'Succeeded', completed: true, failed: true, endTimestamp: kubeTime(), failureReason: 'Live migration aborted' };
    if (vmi && vmi.status?.migrationState?.migrationUid === migration.metadata.uid) this.writeState(vmi, state);
    this.progress.delete(migration.metadata.uid);
    if (vmi?.status?.migrationState?.migrationUid === migration.metadata.uid) this.jobEnded(vmi);
    const conditions = setCondition(migration.status?.conditions, { type: 'migrationAbortRequested', status: 'True' });
    this.toPhase(migration, 'Failed', { conditions, migrationState: state });
  }
}

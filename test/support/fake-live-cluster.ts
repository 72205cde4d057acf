import { PermanentAdapterError } from '../../src/adapters/adapter-errors.js';
import type {
  MigrationObservation,
  MigrationRef,
  NicSpec,
  NodeInfo,
  PodResizeObservation,
  VmChange,
  VmiObservation,
  VmObservation,
  VmRef,
  VmSpec,
} from '../../src/adapters/kubernetes/cluster.port.js';
import type { VmSizeClusterPort, VmTemplateSize } from '../../src/adapters/kubernetes/vm-size-cluster.port.js';
import type { LiveUpdateClusterPort, LiveUpdateObservation } from '../../src/adapters/kubernetes/live-update-cluster.port.js';
import type { SimulatedHypervisor } from '../../src/adapters/libvirt/simulated-hypervisor.js';

interface FakeVm {
  ref: VmRef;
  vmId: string;
  running: boolean;
  node: string;
  template: VmTemplateSize;
  pod: { desired: { vcpus: number; memoryMiB: number }; applied: { vcpus: number; memoryMiB: number } } | null;
  vmiUid: number;
  /** What the VMI runs with as KubeVirt reports it (changed only by a live update's migration). */
  vmiSize: { vcpus: number; memoryMiB: number };
  /** KubeVirt's live update in progress: the hot-plug waits for this migration. */
  liveUpdate: { migration: string } | null;
  restartRequired: string | null;
  notMigratable: string | null;
}

interface FakeMigration {
  ref: MigrationRef;
  vmiName: string;
  targetNode: string;
  /** getMigration calls left before it switches over (the source's migration job moves each call). */
  callsLeft: number;
  phase: MigrationObservation['phase'];
  failWith?: string;
  aborted: boolean;
  progress: number;
}

/**
 * A cluster with one node pool, for the live-change sagas' tests: launcher pods that the kubelet
 * resizes (Deferred when the node lacks room now, Infeasible when the node could never hold it),
 * migrations that progress a step per look, can fail or be aborted, and that move the guest's
 * domain in the hypervisor simulation as virt-launcher would. Only what those steps call.
 */
export class FakeLiveCluster implements VmSizeClusterPort, LiveUpdateClusterPort {
  readonly vms = new Map<string, FakeVm>();
  readonly migrations = new Map<string, FakeMigration>();
  readonly nodes = new Map<string, { cpu: number; memoryMiB: number }>();
  readonly calls: string[] = [];
  /** Memory other pods hold on each node (makes a resize Deferred). */
  readonly usedByOthersMiB = new Map<string, number>();
  /** The next migration fails mid-way with this reason. */
  failNextMigration: string | undefined;
  migrationSteps = 3;
  /** How long each look at a migration takes to answer (a slow migration in wall-clock time). */
  migrationLookMs = 0;

  constructor(private readonly hypervisor: SimulatedHypervisor) {}

  addNode(name: string, cpu: number, memoryMiB: number): void {
    this.nodes.set(name, { cpu, memoryMiB });
  }

  /** A running VM as the create saga leaves it, with its domain on the node. */
  addRunningVm(ref: VmRef, vmId: string, node: string, size: VmTemplateSize): void {
    const pod = { vcpus: size.vcpus, memoryMiB: size.memoryMiB };
    this.vms.set(key(ref), {
      ref, vmId, running: true, node, template: { ...size }, pod: { desired: { ...pod }, applied: { ...pod } }, vmiUid: 1,
      vmiSize: { ...pod }, liveUpdate: null, restartRequired: null, notMigratable: null,
    });
    this.hypervisor.defineDomain({
      ref: { vmId, node },
      vcpus: { current: size.vcpus, max: size.maxVcpus },
      memoryMiB: { current: size.memoryMiB, max: size.maxMemoryMiB },
    });
  }

  vm(ref: VmRef): FakeVm {
    const vm = this.vms.get(key(ref));
    if (!vm) throw new PermanentAdapterError('VmNotFound', `no VM ${key(ref)}`);
    return vm;
  }

  async setVmSize(ref: VmRef, size: VmTemplateSize): Promise<void> {
    this.calls.push(`setVmSize ${size.vcpus}/${size.memoryMiB}`);
    this.vm(ref).template = { ...size };
  }

  /**
   * KubeVirt under LiveUpdate: a template size above what the VMI runs with (within its maxima)
   * starts a workload-update migration that hot-plugs at the switch-over; beyond the maxima, or less
   * than it runs with, RestartRequired. Going back to what it runs with while the migration is
   * still pending ends the change (the undo's case, after it deleted the migration).
   */
  async updateVmTemplateSize(ref: VmRef, size: { vcpus: number; memoryMiB: number }): Promise<void> {
    this.calls.push(`updateVmTemplateSize ${size.vcpus}/${size.memoryMiB}`);
    const vm = this.vm(ref);
    vm.template = { ...vm.template, vcpus: size.vcpus, memoryMiB: size.memoryMiB };
    if (!vm.running) return;
    const grows = size.vcpus > vm.vmiSize.vcpus || size.memoryMiB > vm.vmiSize.memoryMiB;
    if (size.vcpus === vm.vmiSize.vcpus && size.memoryMiB === vm.vmiSize.memoryMiB) {
      vm.liveUpdate = null;
      return;
    }
    if (size.vcpus > vm.template.maxVcpus) vm.restartRequired = "CPU sockets updated in template spec to a value higher than what's available";
    else if (size.vcpus < vm.vmiSize.vcpus) vm.restartRequired = 'Reduction of CPU socket count requires a restart';
    else if (grows && !vm.liveUpdate) {
      const name = `kubevirt-workload-update-${this.migrations.size + 1}`;
      await this.startMigration(ref, { name });
      vm.liveUpdate = { migration: name };
    }
  }

  async getLiveUpdate(ref: VmRef): Promise<LiveUpdateObservation | null> {
    const vm = this.vm(ref);
    if (!vm.running) return null;
    const m = vm.liveUpdate ? this.migrations.get(key({ namespace: ref.namespace, name: vm.liveUpdate.migration })) : undefined;
    if (m) await this.advance(m);
    const pending = vm.liveUpdate !== null;
    return {
      awaitingController: false,
      restartRequired: vm.restartRequired,
      pending: { vcpus: pending && vm.template.vcpus !== vm.vmiSize.vcpus, memory: pending && vm.template.memoryMiB !== vm.vmiSize.memoryMiB },
      memoryFailed: null,
      notMigratable: vm.notMigratable,
      running: { ...vm.vmiSize },
      node: vm.node,
      migration: m ? this.observeMigration(m) : null,
    };
  }

  async resizeLauncherPod(ref: VmRef, resources: { vcpus: number; memoryMiB: number }): Promise<PodResizeObservation> {
    this.calls.push(`resizeLauncherPod ${resources.vcpus}/${resources.memoryMiB}`);
    const vm = this.vm(ref);
    if (!vm.pod) throw new PermanentAdapterError('VmNotRunning', `VM ${key(ref)} has no virt-launcher pod`);
    vm.pod.desired = { ...resources };
    return this.observePod(vm)!;
  }

  async getPodResize(ref: VmRef): Promise<PodResizeObservation | null> {
    return this.observePod(this.vm(ref));
  }

  /** The kubelet: applies the desired size when the node has room, else says why not. */
  private observePod(vm: FakeVm): PodResizeObservation | null {
    if (!vm.pod) return null;
    const node = this.nodes.get(vm.node)!;
    const { desired, applied } = vm.pod;
    const base = { pod: `virt-launcher-${vm.ref.name}-abcde`, desired: { ...desired } };
    if (desired.memoryMiB > node.memoryMiB || desired.vcpus > node.cpu) {
      return { ...base, state: 'Infeasible', message: `Node didn't have enough capacity: memory, requested: ${desired.memoryMiB}Mi, capacity: ${node.memoryMiB}Mi`, applied: { ...applied } };
    }
    if (desired.memoryMiB + (this.usedByOthersMiB.get(vm.node) ?? 0) > node.memoryMiB) {
      return { ...base, state: 'Deferred', message: 'Node didn\'t have enough resource: memory', applied: { ...applied } };
    }
    vm.pod.applied = { ...desired };
    return { ...base, state: 'Done', applied: { ...desired } };
  }

  async startMigration(ref: VmRef, options: { name: string; targetNode?: string }): Promise<MigrationObservation> {
    this.calls.push(`startMigration ${options.name}${options.targetNode ? ` to ${options.targetNode}` : ''}`);
    const vm = this.vm(ref);
    if (!vm.running) throw new PermanentAdapterError('VmNotRunning', `VMI ${key(ref)} is not running`);
    const mref = { namespace: ref.namespace, name: options.name };
    let m = this.migrations.get(key(mref));
    if (!m) {
      const target = options.targetNode ?? [...this.nodes.keys()].find((n) => n !== vm.node)!;
      m = { ref: mref, vmiName: ref.name, targetNode: target, callsLeft: this.migrationSteps, phase: 'Scheduling', aborted: false, progress: 0, ...(this.failNextMigration ? { failWith: this.failNextMigration } : {}) };
      this.failNextMigration = undefined;
      this.migrations.set(key(mref), m);
    }
    return this.observeMigration(m);
  }

  async getMigration(ref: MigrationRef): Promise<MigrationObservation | null> {
    const m = this.migrations.get(key(ref));
    if (!m) return null;
    await this.advance(m);
    return this.observeMigration(m);
  }

  async abortMigration(ref: MigrationRef): Promise<void> {
    this.calls.push(`abortMigration ${ref.name}`);
    const m = this.migrations.get(key(ref));
    if (!m) return;
    if (m.phase !== 'Succeeded' && m.phase !== 'Failed') {
      m.aborted = true;
      m.phase = 'Failed';
      const vm = [...this.vms.values()].find((v) => v.ref.name === m.vmiName && v.ref.namespace === m.ref.namespace);
      if (vm) this.hypervisor.setMigrationJob({ vmId: vm.vmId, node: vm.node }, null);
    }
    this.migrations.delete(key(ref));
  }

  /** virt-controller and the two virt-handlers: one phase per look, the domain moves at the switch-over. */
  private async advance(m: FakeMigration): Promise<void> {
    if (m.phase === 'Succeeded' || m.phase === 'Failed') return;
    if (this.migrationLookMs > 0) await new Promise((resolve) => setTimeout(resolve, this.migrationLookMs));
    m.callsLeft -= 1;
    m.phase = 'Running';
    m.progress = Math.min(99, m.progress + 40);
    const vm = [...this.vms.values()].find((v) => v.ref.name === m.vmiName && v.ref.namespace === m.ref.namespace)!;
    const source = { vmId: vm.vmId, node: vm.node };
    if (m.failWith && m.callsLeft <= 1) {
      m.phase = 'Failed';
      this.hypervisor.setMigrationJob(source, null);
      return;
    }
    const info = (await this.hypervisor.getDomain(source))!;
    if (m.callsLeft > 0) {
      // libvirt on the source copies the guest's memory: what the follow step reads as progress
      const total = info.memoryMiB.current * 2 ** 20;
      const processed = Math.round((total * m.progress) / 100);
      this.hypervisor.setMigrationJob(source, { memoryTotalBytes: total, memoryProcessedBytes: processed, memoryRemainingBytes: total - processed });
      return;
    }
    this.hypervisor.undefineDomain(source);
    this.hypervisor.defineDomain({ ref: { vmId: vm.vmId, node: m.targetNode }, vcpus: info.vcpus, memoryMiB: info.memoryMiB });
    vm.node = m.targetNode;
    m.phase = 'Succeeded';
    m.progress = 100;
    // virt-handler on the target hot-plugs a live update's change after the switch-over.
    if (vm.liveUpdate?.migration === m.ref.name) {
      vm.vmiSize = { vcpus: vm.template.vcpus, memoryMiB: vm.template.memoryMiB };
      vm.pod = { desired: { ...vm.vmiSize }, applied: { ...vm.vmiSize } };
      const target = { vmId: vm.vmId, node: vm.node };
      await this.hypervisor.setVcpus(target, vm.vmiSize.vcpus, 'live');
      await this.hypervisor.setMemory(target, vm.vmiSize.memoryMiB, 'live');
      vm.liveUpdate = null;
    }
  }

  private observeMigration(m: FakeMigration): MigrationObservation {
    const vm = [...this.vms.values()].find((v) => v.ref.name === m.vmiName)!;
    const failed = m.phase === 'Failed';
    return {
      ref: m.ref,
      vmiName: m.vmiName,
      uid: `uid-${m.ref.name}`,
      phase: m.phase,
      migrationState: {
        sourceNode: vm.node,
        targetNode: m.targetNode,
        completed: m.phase === 'Succeeded' || m.aborted,
        failed,
        ...(failed && m.failWith ? { failureReason: m.failWith } : {}),
        abortRequested: m.aborted,
      },
      deleting: false,
    };
  }

  async getVmi(ref: VmRef): Promise<VmiObservation | null> {
    const vm = this.vm(ref);
    if (!vm.running) return null;
    return { ref, uid: `vmi-${vm.vmiUid}`, phase: 'Running', node: vm.node, conditions: [], interfaces: [], migrationState: null, cpu: null, memoryMiB: null };
  }

  async getVm(ref: VmRef): Promise<VmObservation | null> {
    const vm = this.vms.get(key(ref));
    if (!vm) return null;
    return {
      ref,
      vmId: vm.vmId,
      exists: true,
      uid: 'vm-uid',
      runStrategy: vm.running ? 'Always' : 'Halted',
      labels: {},
      printableStatus: vm.running ? 'Running' : 'Stopped',
      vmiPhase: vm.running ? 'Running' : null,
      vmiUid: vm.running ? `vmi-${vm.vmiUid}` : null,
      node: vm.running ? vm.node : null,
      paused: false,
      conditions: [],
    };
  }

  async stopVm(ref: VmRef): Promise<void> {
    this.calls.push('stopVm');
    const vm = this.vm(ref);
    if (!vm.running) return;
    vm.running = false;
    vm.pod = null;
    this.hypervisor.undefineDomain({ vmId: vm.vmId, node: vm.node });
  }

  async startVm(ref: VmRef): Promise<void> {
    this.calls.push('startVm');
    const vm = this.vm(ref);
    if (vm.running) return;
    const size = vm.template;
    const node = this.nodes.get(vm.node)!;
    if (size.memoryMiB > node.memoryMiB) throw new PermanentAdapterError('NoValidHost', 'No valid host was found. There are not enough hosts available.');
    vm.running = true;
    vm.vmiUid += 1;
    vm.vmiSize = { vcpus: size.vcpus, memoryMiB: size.memoryMiB };
    vm.liveUpdate = null;
    vm.restartRequired = null;
    vm.pod = { desired: { vcpus: size.vcpus, memoryMiB: size.memoryMiB }, applied: { vcpus: size.vcpus, memoryMiB: size.memoryMiB } };
    this.hypervisor.defineDomain({ ref: { vmId: vm.vmId, node: vm.node }, vcpus: { current: size.vcpus, max: size.maxVcpus }, memoryMiB: { current: size.memoryMiB, max: size.maxMemoryMiB } });
  }

  // Not used by the live-change steps.
  ensureVm(_spec: VmSpec): Promise<VmObservation> {
    return unused('ensureVm');
  }
  deleteVm(_ref: VmRef): Promise<void> {
    return unused('deleteVm');
  }
  restartVm(_ref: VmRef): Promise<void> {
    return unused('restartVm');
  }
  pauseVm(_ref: VmRef): Promise<void> {
    return unused('pauseVm');
  }
  unpauseVm(_ref: VmRef): Promise<void> {
    return unused('unpauseVm');
  }
  listVms(): Promise<VmObservation[]> {
    return unused('listVms');
  }
  watchVms(_listener: (change: VmChange) => void): { stop(): void } {
    throw new Error('watchVms is not part of this fake');
  }
  async listNodes(): Promise<NodeInfo[]> {
    return [...this.nodes].map(([name, n]) => ({ name, cpu: { capacity: n.cpu, allocated: 0 }, memoryMiB: { capacity: n.memoryMiB, allocated: 0 }, ready: true }));
  }
  attachNic(_ref: VmRef, _nic: NicSpec): Promise<void> {
    return unused('attachNic');
  }
  detachNic(_ref: VmRef, _name: string): Promise<void> {
    return unused('detachNic');
  }
}

const key = (ref: { namespace: string; name: string }): string => `${ref.namespace}/${ref.name}`;
const unused = <T>(op: string): Promise<T> => Promise.reject(new Error(`${op} is not part of this fake`));

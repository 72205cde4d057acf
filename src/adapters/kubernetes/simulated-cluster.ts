import { randomUUID } from 'node:crypto';
import { PermanentAdapterError, TransientAdapterError } from '../adapter-errors.js';
import type { DomainHost } from '../libvirt/domain-host.js';
import { CallCounter } from '../simulation/call-counter.js';
import { FaultInjector } from '../simulation/fault-injector.js';
import { delay, latencyOf, type Latency } from '../simulation/latency.js';
import { SimTimers } from '../simulation/sim-timers.js';
import { StateFile } from '../simulation/state-file.js';
import { Watchers } from '../simulation/watchers.js';
import {
  PROJECT_ID_LABEL,
  VM_ID_LABEL,
  type ClusterOperation,
  type ClusterPort,
  type NodeInfo,
  type VmChange,
  type VmObservation,
  type VmRef,
  type VmSpec,
} from './cluster.port.js';
import { isFinal, refKey, type SimulatedClusterState, type SimulatedNode, type VmRecord } from './simulated-cluster-state.js';
import { validateVmSpec } from './vm-spec-validation.js';
import { observeVm } from './vm-observation.js';
import { placeVm } from './vm-scheduler.js';

/**
 * Controller steps that take time: 'api' is every port call's round trip; the others are the
 * transitions a VM goes through (create the VMI, Pending -> Scheduling, -> Scheduled, -> Running,
 * tear the VMI down, remove a deleted VM).
 */
export type ClusterStep = 'api' | 'createVmi' | 'schedule' | 'bind' | 'boot' | 'stopVmi' | 'delete';

export interface SimulatedClusterOptions {
  /** Default: one ready node 'node-1' with 16 CPUs and 64 GiB. Ignored when stateFile has state. */
  nodes?: SimulatedNode[];
  /** Milliseconds per step; default 0, i.e. the next macrotask. */
  latency?: Latency<ClusterStep>;
  /** Told when a VM's domain starts, pauses, resumes and goes away (the hypervisor simulation). */
  domains?: DomainHost;
  /** Saves the state (JSON) after every change and loads it at construction. */
  stateFile?: string;
}

/**
 * KubeVirt in process: VirtualMachine objects, their VMIs progressing through the phases on timers,
 * a scheduler that accounts CPU and memory per node, and watch changes for every transition.
 * `calls` counts port calls per operation and per 'namespace/name'; `effects` counts what actually
 * happened per vmId ('createVm', 'createVmi', 'deleteVm', 'startVm', 'stopVm', 'restartVm',
 * 'pauseVm', 'unpauseVm').
 */
export class SimulatedCluster implements ClusterPort {
  readonly faults = new FaultInjector<ClusterOperation>();
  readonly calls: CallCounter;
  readonly effects: CallCounter;
  private readonly nodes: SimulatedNode[];
  private readonly vms = new Map<string, VmRecord>();
  private readonly timers = new SimTimers();
  private readonly watchers = new Watchers<VmChange>();
  private readonly stateFile: StateFile<SimulatedClusterState> | undefined;

  constructor(private readonly options: SimulatedClusterOptions = {}) {
    this.stateFile = options.stateFile ? new StateFile(options.stateFile) : undefined;
    const saved = this.stateFile?.load();
    this.nodes = saved?.nodes ?? options.nodes?.map((n) => ({ ...n })) ?? [{ name: 'node-1', cpu: 16, memoryMiB: 65536, ready: true }];
    for (const vm of saved?.vms ?? []) this.vms.set(refKey(vm.spec.ref), vm);
    this.calls = new CallCounter(saved?.calls);
    this.effects = new CallCounter(saved?.effects);
    // A restarted controller picks up where the state says, as virt-controller resyncs.
    for (const key of this.vms.keys()) this.kick(key);
  }

  ensureVm(spec: VmSpec): Promise<VmObservation> {
    return this.call('ensureVm', spec.ref, () => {
      validateVmSpec(spec);
      const existing = this.vms.get(refKey(spec.ref));
      if (existing) {
        if (existing.spec.vmId === spec.vmId) return observeVm(existing);
        throw new PermanentAdapterError('AlreadyExists', `virtualmachines "${spec.ref.name}" already exists in ${spec.ref.namespace} for another VM (${existing.spec.vmId})`);
      }
      const vm: VmRecord = {
        spec: structuredClone({ ...spec, labels: { ...spec.labels, [VM_ID_LABEL]: spec.vmId, [PROJECT_ID_LABEL]: spec.projectId } }),
        uid: randomUUID(),
        runStrategy: spec.runStrategy,
        deleting: false,
        restartOf: null,
        vmi: null,
      };
      this.vms.set(refKey(spec.ref), vm);
      this.effects.record('createVm', spec.vmId);
      this.changed('ADDED', vm);
      return observeVm(vm);
    });
  }

  getVm(ref: VmRef): Promise<VmObservation | null> {
    return this.call('getVm', ref, () => {
      const vm = this.vms.get(refKey(ref));
      return vm ? observeVm(vm) : null;
    });
  }

  deleteVm(ref: VmRef): Promise<void> {
    return this.call('deleteVm', ref, () => {
      const vm = this.vms.get(refKey(ref));
      if (!vm || vm.deleting) return;
      vm.deleting = true;
      this.effects.record('deleteVm', vm.spec.vmId);
      this.changed('MODIFIED', vm);
    });
  }

  startVm(ref: VmRef): Promise<void> {
    return this.call('startVm', ref, () => {
      const vm = this.mustExist(ref);
      if (vm.runStrategy === 'Always') return;
      vm.runStrategy = 'Always';
      this.effects.record('startVm', vm.spec.vmId);
      this.changed('MODIFIED', vm);
    });
  }

  stopVm(ref: VmRef): Promise<void> {
    return this.call('stopVm', ref, () => {
      const vm = this.mustExist(ref);
      if (vm.runStrategy === 'Halted') return;
      vm.runStrategy = 'Halted';
      this.effects.record('stopVm', vm.spec.vmId);
      this.changed('MODIFIED', vm);
    });
  }

  restartVm(ref: VmRef, options: { vmiUid?: string } = {}): Promise<void> {
    return this.call('restartVm', ref, () => {
      const vm = this.mustExist(ref);
      const vmi = vm.vmi;
      if (options.vmiUid !== undefined && vmi?.uid !== options.vmiUid) return;
      if (vm.runStrategy === 'Halted' || !vmi || isFinal(vmi.phase) || vm.deleting) {
        throw new PermanentAdapterError('VmNotRunning', `VM ${refKey(ref)} is not running`);
      }
      if (vm.restartOf === vmi.uid) return;
      vm.restartOf = vmi.uid;
      this.effects.record('restartVm', vm.spec.vmId);
      this.changed('MODIFIED', vm);
    });
  }

  pauseVm(ref: VmRef): Promise<void> {
    return this.call('pauseVm', ref, () => {
      const vm = this.mustBeRunning(ref);
      const vmi = vm.vmi!;
      if (vmi.paused) return;
      vmi.paused = true;
      this.options.domains?.setDomainState({ vmId: vm.spec.vmId, node: vmi.node! }, 'paused');
      this.effects.record('pauseVm', vm.spec.vmId);
      this.changed('MODIFIED', vm);
    });
  }

  unpauseVm(ref: VmRef): Promise<void> {
    return this.call('unpauseVm', ref, () => {
      const vm = this.mustBeRunning(ref);
      const vmi = vm.vmi!;
      if (!vmi.paused) return;
      vmi.paused = false;
      this.options.domains?.setDomainState({ vmId: vm.spec.vmId, node: vmi.node! }, 'running');
      this.effects.record('unpauseVm', vm.spec.vmId);
      this.changed('MODIFIED', vm);
    });
  }

  listVms(namespace?: string): Promise<VmObservation[]> {
    return this.call('listVms', undefined, () =>
      [...this.vms.values()].filter((vm) => namespace === undefined || vm.spec.ref.namespace === namespace).map(observeVm),
    );
  }

  watchVms(listener: (change: VmChange) => void): { stop(): void } {
    for (const vm of this.vms.values()) listener({ type: 'ADDED', vm: observeVm(vm) });
    return this.watchers.add(listener);
  }

  listNodes(): Promise<NodeInfo[]> {
    return this.call('listNodes', undefined, () => this.nodeInfos());
  }

  // --- control surface for tests and the embedded default -------------------------------------

  /** Someone outside the control plane stopped the VM (virtctl stop): runStrategy becomes Halted. */
  simulateStopOutside(ref: VmRef): void {
    const vm = this.mustExistNow(ref);
    vm.runStrategy = 'Halted';
    this.effects.record('outsideStop', vm.spec.vmId);
    this.changed('MODIFIED', vm);
  }

  /** The guest died (the VMI fails); with runStrategy Always KubeVirt starts a new VMI. */
  simulateCrash(ref: VmRef): void {
    const vm = this.mustExistNow(ref);
    if (!vm.vmi || isFinal(vm.vmi.phase)) return;
    if (vm.vmi.node) this.options.domains?.undefineDomain({ vmId: vm.spec.vmId, node: vm.vmi.node });
    vm.vmi.phase = 'Failed';
    vm.vmi.paused = false;
    this.effects.record('crash', vm.spec.vmId);
    this.changed('MODIFIED', vm);
  }

  addNode(node: SimulatedNode): void {
    this.nodes.push({ ...node });
    this.capacityChanged();
  }

  setNodeReady(name: string, ready: boolean): void {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no node ${name}`);
    node.ready = ready;
    this.capacityChanged();
  }

  /** Stops every timer and releases hung calls; the state stays as it is (and on disk). */
  close(): void {
    this.timers.clear();
    this.faults.clear();
  }

  // --- the controller ----------------------------------------------------------------------------

  private async call<T>(operation: ClusterOperation, ref: VmRef | undefined, run: () => T): Promise<T> {
    const key = ref ? refKey(ref) : undefined;
    // Counts reach the state file with the next change; reads alone do not rewrite it.
    this.calls.record(operation, key);
    return this.faults.intercept(operation, key, async () => {
      await delay(latencyOf(this.options.latency, 'api'));
      return run();
    });
  }

  private changed(type: VmChange['type'], vm: VmRecord): void {
    this.save();
    this.watchers.emit({ type, vm: observeVm(vm) });
    if (type !== 'DELETED') this.kick(refKey(vm.spec.ref));
  }

  /** Schedules the VM's next controller step after that step's latency, if it has one. */
  private kick(key: string): void {
    const vm = this.vms.get(key);
    const step = vm && this.nextStep(vm);
    if (!step) return;
    this.timers.schedule(key, latencyOf(this.options.latency, step), () => this.step(key));
  }

  private nextStep(vm: VmRecord): ClusterStep | null {
    const vmi = vm.vmi;
    if (vm.deleting) return vmi ? 'stopVmi' : 'delete';
    if (vmi && (vm.runStrategy === 'Halted' || vm.restartOf === vmi.uid || isFinal(vmi.phase))) return 'stopVmi';
    if (!vmi) return vm.runStrategy === 'Always' ? 'createVmi' : null;
    if (vmi.phase === 'Pending') return 'schedule';
    if (vmi.phase === 'Scheduling') return vmi.unschedulable ? null : 'bind';
    if (vmi.phase === 'Scheduled') return 'boot';
    return null;
  }

  private step(key: string): void {
    const vm = this.vms.get(key);
    if (!vm) return;
    const vmi = vm.vmi;
    switch (this.nextStep(vm)) {
      case 'delete':
        this.vms.delete(key);
        this.save();
        this.watchers.emit({ type: 'DELETED', vm: observeVm(vm) });
        return;
      case 'stopVmi':
        this.removeVmi(vm);
        return;
      case 'createVmi':
        vm.vmi = { uid: randomUUID(), phase: 'Pending', node: null, paused: false, unschedulable: null };
        this.effects.record('createVmi', vm.spec.vmId);
        break;
      case 'schedule':
        vmi!.phase = 'Scheduling';
        break;
      case 'bind':
        if (!this.bind(vm)) return;
        break;
      case 'boot':
        vmi!.phase = 'Running';
        this.options.domains?.defineDomain({
          ref: { vmId: vm.spec.vmId, node: vmi!.node! },
          vcpus: { current: vm.spec.cpu.sockets, max: vm.spec.cpu.maxSockets },
          memoryMiB: { current: vm.spec.memory.guestMiB, max: vm.spec.memory.maxGuestMiB },
          state: 'running',
        });
        break;
      default:
        return;
    }
    this.changed('MODIFIED', vm);
  }

  /** False when the VM stays unschedulable for the same reason (nothing to report). */
  private bind(vm: VmRecord): boolean {
    const vmi = vm.vmi!;
    const placement = placeVm(this.nodeInfos(), { cpu: vm.spec.cpu.sockets, memoryMiB: vm.spec.memory.guestMiB });
    if ('node' in placement) {
      vmi.node = placement.node;
      vmi.unschedulable = null;
      vmi.phase = 'Scheduled';
      return true;
    }
    if (vmi.unschedulable === placement.unschedulable) return false;
    vmi.unschedulable = placement.unschedulable;
    return true;
  }

  private removeVmi(vm: VmRecord): void {
    const vmi = vm.vmi!;
    if (vmi.node && !isFinal(vmi.phase)) this.options.domains?.undefineDomain({ vmId: vm.spec.vmId, node: vmi.node });
    vm.vmi = null;
    if (vm.restartOf === vmi.uid) vm.restartOf = null;
    this.changed('MODIFIED', vm);
    if (vmi.node) this.capacityChanged();
  }

  /** Unschedulable VMs are retried when room may have appeared, as the scheduler's queue does. */
  private capacityChanged(): void {
    this.save();
    for (const [key, vm] of this.vms) {
      if (!vm.vmi?.unschedulable) continue;
      this.timers.schedule(key, latencyOf(this.options.latency, 'bind'), () => {
        const current = this.vms.get(key);
        if (current?.vmi?.phase === 'Scheduling' && this.nextStep(current) === null && this.bind(current)) this.changed('MODIFIED', current);
      });
    }
  }

  private nodeInfos(): NodeInfo[] {
    return this.nodes.map((node) => {
      const placed = [...this.vms.values()].filter((vm) => vm.vmi?.node === node.name && !isFinal(vm.vmi.phase));
      return {
        name: node.name,
        cpu: { capacity: node.cpu, allocated: placed.reduce((sum, vm) => sum + vm.spec.cpu.sockets, 0) },
        memoryMiB: { capacity: node.memoryMiB, allocated: placed.reduce((sum, vm) => sum + vm.spec.memory.guestMiB, 0) },
        ready: node.ready,
      };
    });
  }

  private mustExist(ref: VmRef): VmRecord {
    const vm = this.vms.get(refKey(ref));
    if (!vm) throw new PermanentAdapterError('VmNotFound', `virtualmachines "${ref.name}" not found in ${ref.namespace}`);
    return vm;
  }

  private mustExistNow(ref: VmRef): VmRecord {
    const vm = this.vms.get(refKey(ref));
    if (!vm) throw new Error(`no VM ${refKey(ref)}`);
    return vm;
  }

  /** KubeVirt's 409 "VMI is not running": final when nothing will run, transient while it starts. */
  private mustBeRunning(ref: VmRef): VmRecord {
    const vm = this.mustExist(ref);
    const vmi = vm.vmi;
    if (vmi?.phase === 'Running' && vm.runStrategy === 'Always' && !vm.deleting && vm.restartOf !== vmi.uid) return vm;
    if (vm.runStrategy === 'Always' && !vm.deleting) {
      throw new TransientAdapterError('VmNotRunningYet', `VMI ${refKey(ref)} is not running yet`);
    }
    throw new PermanentAdapterError('VmNotRunning', `VMI ${refKey(ref)} is not running`);
  }

  private save(): void {
    this.stateFile?.save({ nodes: this.nodes, vms: [...this.vms.values()], calls: this.calls.toJSON(), effects: this.effects.toJSON() });
  }
}

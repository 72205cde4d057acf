import type { ClusterPort, VmRef } from '../../adapters/kubernetes/cluster.port.js';
import type { VirtualMachineCommand } from '../../domain/virtual-machine/virtual-machine.commands.js';
import { SYSTEM_ACTOR, type CommandMetadata } from '../shared/command-metadata.js';
import { observedPowerState } from './observed-power-state.js';

export interface PowerStateObserverDeps {
  cluster: ClusterPort;
  execute(command: VirtualMachineCommand, meta: CommandMetadata): Promise<unknown>;
  /** VMs we believe exist in the cluster (built, not deleted), for finding ones that vanished. */
  knownVms(): Promise<{ vmId: string; ref: VmRef }[]>;
  newRequestId(): string;
  resyncIntervalMs: number;
  /** How long a VM's changes are gathered before it is looked at (default 100 ms). */
  settleMs?: number;
  onError?(error: unknown): void;
}

/**
 * Nova's power-state sync for the cluster: a VM that dies, is stopped or paused outside our control is
 * recorded as an event. Woken by the cluster's watch and, because a watch can miss things, by a
 * periodic resync. Every report re-reads the VM first (level-based): a change delivered late must not
 * overwrite what a task has set since. The domain ignores reports while a task runs.
 */
export class PowerStateObserver {
  private watch: { stop(): void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Reports waiting per VM: a burst of changes (a VM booting) becomes one look once it settles. */
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: PowerStateObserverDeps) {}

  start(): void {
    this.watch = this.deps.cluster.watchVms((change) => this.schedule(change.vm.vmId, change.vm.ref));
    this.timer = setInterval(() => {
      this.resync().catch((error) => this.deps.onError?.(error));
    }, this.deps.resyncIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.watch?.stop();
    if (this.timer) clearInterval(this.timer);
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private schedule(vmId: string, ref: VmRef): void {
    if (this.pending.has(vmId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(vmId);
      this.report(vmId, ref).catch((error) => this.deps.onError?.(error));
    }, this.deps.settleMs ?? 100);
    timer.unref();
    this.pending.set(vmId, timer);
  }

  /** Compares every VM we know with the cluster, reporting those that differ or vanished. */
  async resync(): Promise<void> {
    for (const { vmId, ref } of await this.deps.knownVms()) await this.report(vmId, ref);
  }

  private async report(vmId: string, ref: VmRef): Promise<void> {
    const observed = observedPowerState(await this.deps.cluster.getVm(ref));
    if (!observed) return;
    const requestId = this.deps.newRequestId();
    await this.deps.execute({ type: 'RecordObservedPowerState', data: { vmId, observed } }, { requestId, actor: SYSTEM_ACTOR });
  }
}

import type { ClusterPort, VmObservation, VmRef } from '../../../adapters/kubernetes/cluster.port.js';
import type { VirtualMachine } from '../../../domain/virtual-machine/virtual-machine.state.js';
import type { MigrationMemory } from '../../../domain/virtual-machine/virtual-machine.events.js';
import type { VmSizeClusterPort } from '../../../adapters/kubernetes/vm-size-cluster.port.js';
import type { HypervisorPort } from '../../../adapters/libvirt/hypervisor.port.js';
import type { CommandMetadata } from '../../shared/command-metadata.js';
import type { NicStepPorts } from './nic-step-ports.js';

/**
 * The ports the live-change steps (hot resize, cold resize, live migration) use; null where the
 * deployment's cluster adapter cannot do live changes, and those steps then fail with NotSupported.
 */
export interface LiveChangePorts {
  cluster: VmSizeClusterPort;
  hypervisor: HypervisorPort;
  /**
   * What the launcher pod's compute container needs beyond the guest's memory (KubeVirt's
   * overhead: QEMU, page tables, virt-launcher); a hot resize asks the pod for guest + this.
   */
  launcherMemoryOverheadMiB: number;
  /** How long each long wait of a live change may take, counted from its step's first attempt. */
  deadlines: LiveChangeDeadlines;
}

export interface LiveChangeDeadlines {
  /** The kubelet applying a launcher pod resize. */
  podResizeMs: number;
  /** The guest reporting its new size (and KubeVirt's live update reaching it). */
  guestResizeMs: number;
  /** A migration finishing, KubeVirt's own for a live update included. */
  migrationMs: number;
}

/** What a step runs with: the VM as the events say it is, the ports, and a memo that survives retries. */
export interface StepContext {
  vm: VirtualMachine;
  ref: VmRef;
  cluster: ClusterPort;
  /**
   * Values a step saves before a side effect so that its retry can tell whether the effect already
   * happened (e.g. the VMI uid before a restart). Kept with the job, so it survives a worker crash.
   */
  memo: {
    get(key: string): string | undefined;
    set(key: string, value: string): Promise<void>;
  };
  /** ISO time the step's first attempt started (kept across retries and crashes): its deadlines count from here. */
  startedAt: string;
  /** How long a step waits for the cluster to converge before it asks for a retry. */
  convergenceTimeoutMs: number;
  pollIntervalMs: number;
  live: LiveChangePorts | null;
  /** Records how far a live migration got (best effort: a report that cannot be recorded is dropped). */
  reportMigrationProgress(percent: number, memory?: MigrationMemory): Promise<void>;
  /** The ports of the AttachNic / DetachNic steps; absent, those steps fail with NotSupported. */
  nics?: NicStepPorts | null;
  /** The job's metadata, for steps whose effect is a command on another stream (the port's). */
  meta?: CommandMetadata;
}

export interface StepOutcome {
  /** The node the VM runs on, when the step learnt it. */
  host?: string;
}

export type StepRunner = (ctx: StepContext) => Promise<StepOutcome>;

export type ObservationTest = (vm: VmObservation | null) => boolean;

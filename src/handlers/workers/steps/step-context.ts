import type { ClusterPort, VmObservation, VmRef } from '../../../adapters/kubernetes/cluster.port.js';
import type { VirtualMachine } from '../../../domain/virtual-machine/virtual-machine.state.js';

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
  /** How long a step waits for the cluster to converge before it asks for a retry. */
  convergenceTimeoutMs: number;
  pollIntervalMs: number;
}

export interface StepOutcome {
  /** The node the VM runs on, when the step learnt it. */
  host?: string;
}

export type StepRunner = (ctx: StepContext) => Promise<StepOutcome>;

export type ObservationTest = (vm: VmObservation | null) => boolean;

import type { RunStrategy, VmiPhase, VmSpec } from './cluster.port.js';

/** A node the simulated scheduler may place VMs on. */
export interface SimulatedNode {
  name: string;
  cpu: number;
  memoryMiB: number;
  ready: boolean;
}

export interface VmiRecord {
  uid: string;
  phase: VmiPhase;
  node: string | null;
  paused: boolean;
  /** The scheduler's last word when no node had room; null once scheduled. */
  unschedulable: string | null;
}

export interface VmRecord {
  spec: VmSpec;
  uid: string;
  runStrategy: RunStrategy;
  deleting: boolean;
  /** The VMI a restart is replacing, until it is gone. */
  restartOf: string | null;
  vmi: VmiRecord | null;
}

/** Everything the cluster simulation persists (JSON), so a restarted process sees the same cluster. */
export interface SimulatedClusterState {
  nodes: SimulatedNode[];
  vms: VmRecord[];
  calls: Record<string, number>;
  effects: Record<string, number>;
}

export const refKey = (ref: { namespace: string; name: string }): string => `${ref.namespace}/${ref.name}`;

export const isFinal = (phase: VmiPhase): boolean => phase === 'Succeeded' || phase === 'Failed';

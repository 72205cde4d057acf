import { PowerState, type VmState } from './nova-states.js';
import type { ObservedPowerState, VirtualMachineEvent } from './virtual-machine.events.js';
import type { VirtualMachineState } from './virtual-machine.state.js';

const OBSERVED: Record<ObservedPowerState, { vmState: VmState; powerState: PowerState }> = {
  running: { vmState: 'active', powerState: PowerState.RUNNING },
  paused: { vmState: 'paused', powerState: PowerState.PAUSED },
  stopped: { vmState: 'stopped', powerState: PowerState.SHUTDOWN },
  crashed: { vmState: 'stopped', powerState: PowerState.CRASHED },
  // Nova's sync treats a domain that vanished like a shut-off one: NOSTATE, and the instance stopped.
  missing: { vmState: 'stopped', powerState: PowerState.NOSTATE },
};

/**
 * Nova's power-state sync: record what the cluster shows when it differs from what we hold. Skipped
 * while a task runs (the task is changing the state on purpose) and for VMs not yet built, deleted or
 * in ERROR (their state is ours to set, not the cluster's).
 */
export function syncPowerState(state: VirtualMachineState, observed: ObservedPowerState, now: string): VirtualMachineEvent[] {
  if (!state || state.task) return [];
  if (state.vmState === 'building' || state.vmState === 'deleted' || state.vmState === 'error') return [];
  const observedState = OBSERVED[observed];
  // A server waiting in VERIFY_RESIZE stays there whatever its guest does; only its power state follows.
  const next = state.vmState === 'resized' ? { ...observedState, vmState: 'resized' as const } : observedState;
  if (next.vmState === state.vmState && next.powerState === state.powerState) return [];
  return [{ type: 'PowerStateSynced', data: { vmId: state.id, observed, ...next, observedAt: now } }];
}

import { PermanentAdapterError, TransientAdapterError } from '../../../adapters/adapter-errors.js';
import type { VmObservation } from '../../../adapters/kubernetes/cluster.port.js';
import type { ObservationTest, StepContext } from './step-context.js';

/** Nova's words when the scheduler finds no host with room (NoValidHost). */
const NO_VALID_HOST = 'No valid host was found. There are not enough hosts available.';

/**
 * Polls the cluster until the VM looks as wanted. Not converged within the step's window: a
 * transient error, so the job retries with backoff (the task's deadline bounds the whole wait).
 * Level-based, as a controller would be: it looks at what is, not at which event woke it.
 */
export async function awaitVm(ctx: StepContext, wanted: string, test: ObservationTest): Promise<VmObservation | null> {
  const deadline = Date.now() + ctx.convergenceTimeoutMs;
  // Start looking again soon and back off to the configured interval: most transitions are quick,
  // and a flat interval would add its whole length to every step that just missed one.
  let pause = 1;
  for (;;) {
    const vm = await ctx.cluster.getVm(ctx.ref);
    if (test(vm)) return vm;
    if (vm?.printableStatus === 'ErrorUnschedulable') throw new PermanentAdapterError('NoValidHost', NO_VALID_HOST);
    if (Date.now() >= deadline) {
      throw new TransientAdapterError('NotConverged', `VM ${ctx.ref.namespace}/${ctx.ref.name} is not ${wanted} yet (${vm?.printableStatus ?? 'absent'})`);
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, ctx.pollIntervalMs);
  }
}

export const isRunning: ObservationTest = (vm) => vm?.printableStatus === 'Running' && vm.vmiPhase === 'Running' && !vm.paused;
export const isStopped: ObservationTest = (vm) => vm?.printableStatus === 'Stopped' && vm.vmiPhase === null;
export const isPaused: ObservationTest = (vm) => vm?.paused === true;
export const isGone: ObservationTest = (vm) => vm === null;

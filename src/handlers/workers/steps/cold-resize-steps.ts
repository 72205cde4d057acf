import { PermanentAdapterError } from '../../../adapters/adapter-errors.js';
import type { FlavorSnapshot } from '../../../domain/flavor/flavor-snapshot.js';
import { PowerState } from '../../../domain/virtual-machine/nova-states.js';
import { awaitVm, isRunning, isStopped } from './await-vm.js';
import { livePorts } from './live-change-context.js';
import type { StepContext, StepOutcome, StepRunner } from './step-context.js';

/**
 * Nova's cold resize on KubeVirt: stop the VM, write the new flavor's size (and headroom) into the VM
 * object, start it again. Revert runs the same steps with the old flavor. The size steps share
 * restore-vm-size, which is also an undo of a hot resize's resize-guest (and record-vm-size) and of resize-vm-object.
 */
export const COLD_RESIZE_STEPS: Readonly<Record<string, StepRunner>> = {
  'power-off-for-resize': async (ctx) => {
    await ctx.cluster.stopVm(ctx.ref);
    await awaitVm(ctx, 'stopped', isStopped);
    return {};
  },
  'resize-vm-object': async (ctx) => {
    if (!ctx.vm.resize) throw new PermanentAdapterError('Invalid', `VM ${ctx.vm.id} has no resize pending`);
    await setSize(ctx, ctx.vm.resize.newFlavor);
    return {};
  },
  'power-on-resized': (ctx) => powerOn(ctx),
  'restore-vm-size': async (ctx) => {
    if (!ctx.live) return {}; // nothing was done through ports this deployment lacks
    const old = ctx.vm.resize?.oldFlavor;
    const hot = ctx.vm.hotResize;
    if (old) await setSize(ctx, old);
    else if (hot) await setSize(ctx, { ...ctx.vm.flavor, vcpus: hot.from.vcpus, ramMb: hot.from.ramMb });
    else throw new PermanentAdapterError('Invalid', `VM ${ctx.vm.id} has no size to restore`);
    return {};
  },
  // The undo of power-off-for-resize: running again only if it ran before the task.
  'power-on-after-resize': async (ctx) => (ctx.vm.task?.previousPowerState === PowerState.RUNNING ? powerOn(ctx) : {}),
};

async function setSize(ctx: StepContext, flavor: FlavorSnapshot): Promise<void> {
  await livePorts(ctx).cluster.setVmSize(ctx.ref, { vcpus: flavor.vcpus, maxVcpus: flavor.maxVcpus, memoryMiB: flavor.ramMb, maxMemoryMiB: flavor.maxRamMb });
}

async function powerOn(ctx: StepContext): Promise<StepOutcome> {
  await ctx.cluster.startVm(ctx.ref);
  const vm = await awaitVm(ctx, 'running', isRunning);
  return vm?.node ? { host: vm.node } : {};
}

import { awaitVm, isGone, isPaused, isRunning, isStopped } from './await-vm.js';
import type { StepRunner } from './step-context.js';
import { attachmentFor, nicSpecFor } from './nic-step-ports.js';
import { vmSpec } from './vm-spec.js';

/**
 * The lifecycle steps. Each is idempotent: it asks the cluster for the end state ("ensure") and then
 * waits until the cluster shows it, so running it twice has the effect of running it once.
 */
export const LIFECYCLE_STEPS: Readonly<Record<string, StepRunner>> = {
  'create-vm-object': async (ctx) => {
    // Ports given at create are the VM's Multus interfaces from the start, each on its network's NAD
    // (made sure of first) with its fixed address and MAC as Kube-OVN annotations on the template.
    const interfaces = ctx.vm.interfaces ?? [];
    const nics = [];
    for (const nic of interfaces) nics.push(nicSpecFor(nic, await attachmentFor(ctx, nic)));
    await ctx.cluster.ensureVm({ ...vmSpec(ctx.vm), ...(nics.length > 0 ? { nics } : {}) });
    return {};
  },
  'await-running': async (ctx) => {
    const vm = await awaitVm(ctx, 'running', isRunning);
    return vm?.node ? { host: vm.node } : {};
  },
  'start-vm': async (ctx) => {
    await ctx.cluster.startVm(ctx.ref);
    const vm = await awaitVm(ctx, 'running', isRunning);
    return vm?.node ? { host: vm.node } : {};
  },
  'stop-vm': async (ctx) => {
    await ctx.cluster.stopVm(ctx.ref);
    await awaitVm(ctx, 'stopped', isStopped);
    return {};
  },
  'restart-vm': async (ctx) => {
    // A restart replaces the VMI. The uid seen before the first attempt tells a retry whether the
    // restart already happened (a new VMI runs) so that it does not restart the guest twice.
    let before = ctx.memo.get('vmiUidBefore');
    if (!before) {
      const current = await ctx.cluster.getVm(ctx.ref);
      before = current?.vmiUid ?? '';
      await ctx.memo.set('vmiUidBefore', before);
    }
    await ctx.cluster.restartVm(ctx.ref, before ? { vmiUid: before } : undefined);
    const vm = await awaitVm(ctx, 'running again', (o) => isRunning(o) && o!.vmiUid !== before);
    return vm?.node ? { host: vm.node } : {};
  },
  'pause-vm': async (ctx) => {
    await ctx.cluster.pauseVm(ctx.ref);
    await awaitVm(ctx, 'paused', isPaused);
    return {};
  },
  'unpause-vm': async (ctx) => {
    await ctx.cluster.unpauseVm(ctx.ref);
    await awaitVm(ctx, 'running', isRunning);
    return {};
  },
  'delete-vm-object': async (ctx) => {
    await ctx.cluster.deleteVm(ctx.ref);
    await awaitVm(ctx, 'deleted', isGone);
    return {};
  },
};
